// Knows the runs of the workspace: discovers them in every workspace folder (or the folders the
// settings name), inspects each in the worker thread, keeps the latest good inspection per run and
// tells the tree, the hover, the Problems panel and the open inspectors when something changed.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunLocation } from '../../core/discover';
import type { RunGlance } from '../../core/glance';
import type { Inspection } from '../../core/inspect';
import { isImageFile } from '../../core/samples/naming';
import { relativeInside } from '../../core/paths';
import { WorkerClient } from '../worker/client';
import { Disposable } from '../dispose';
import { matchRun, setFailure, setGlance, setInspection, type PathMatch, type RunEntry } from './runEntry';
import { inspectOptions, type Settings } from '../settings';
import { currentSettings } from '../workspaceSettings';
import type { RunReadSettings } from '../worker/protocol';

/** The settings' options for one run, with its workspace folder as the bound for finding its training code. */
function optionsFor(root: string, settings: Settings): RunReadSettings {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root))?.uri.fsPath;
  return { ...inspectOptions(settings), ...(folder ? { codeBoundary: folder } : {}) };
}

/** A single read should never take this long; past it the worker is restarted. */
const READ_TIMEOUT_MS = 120_000;
/**
 * Runs asked of the worker at once in a scan. It reads them concurrently; with four asked, a run
 * read while the host is busy answering the last one's numbers finds the next read under way (two
 * left the worker idle in those round trips, and then judging in them).
 */
const INSPECT_CONCURRENCY = 4;

export class RunStore extends Disposable {
  private readonly entries = new Map<string, RunEntry>();
  private readonly locations = new Map<string, RunLocation>();
  private readonly modified = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<Inspection>>();
  /** Folders the user inspected explicitly (maybe outside the workspace): kept across rescans. */
  private readonly extraFolders = new Set<string>();
  private scanAbort: AbortController | undefined;
  private scanDone: Promise<void> = Promise.resolve();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<string[]>());
  /** Run roots whose entry changed (added, inspected, removed). */
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly client: WorkerClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register({ dispose: () => this.scanAbort?.abort() });
  }

  get runs(): ReadonlyMap<string, RunEntry> {
    return this.entries;
  }

  /** Latest inspections by run root (only runs read so far). */
  inspections(): Map<string, Inspection> {
    const out = new Map<string, Inspection>();
    for (const [root, e] of this.entries) if (e.inspection) out.set(root, e.inspection);
    return out;
  }

  /** Resolves when the current scan (and the inspections it started) finished. */
  get ready(): Promise<void> {
    return this.scanDone;
  }

  lastModified(root: string): number {
    return this.modified.get(root) ?? 0;
  }

  /** The known run holding an absolute path. */
  runFor(absPath: string): PathMatch | undefined {
    return matchRun(path.resolve(absPath), this.entries.keys());
  }

  /** Folders to scan: the settings' include list resolved against each workspace folder, or the folders themselves. */
  scanRoots(settings: Settings = currentSettings()): string[] {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    const roots = new Set<string>();
    if (settings.include.length) {
      for (const inc of settings.include) {
        if (path.isAbsolute(inc)) roots.add(path.normalize(inc));
        else for (const f of folders) roots.add(path.resolve(f, inc));
      }
    } else {
      for (const f of folders) roots.add(f);
    }
    for (const extra of this.extraFolders) roots.add(extra);
    return [...roots];
  }

  /** Rediscovers every run (with progress in the status bar), then inspects them. The old data stays until replaced. */
  scan(): Promise<void> {
    this.scanAbort?.abort();
    const abort = (this.scanAbort = new AbortController());
    const done = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Scanning for GAN runs'), cancellable: false },
      async (progress) => {
        const started = performance.now();
        const settings = currentSettings();
        const found = new Map<string, RunLocation>();
        for (const root of this.scanRoots(settings)) {
          if (abort.signal.aborted) return;
          try {
            const locs = await this.client.discover(
              root,
              { maxDepth: settings.maxDepth, exclude: settings.exclude, maxFolders: settings.maxFolders },
              { signal: abort.signal, timeoutMs: READ_TIMEOUT_MS, onProgress: (n) => progress.report({ message: vscode.l10n.t('{0} folders', n) }) },
            );
            for (const loc of locs) if (!found.has(loc.root)) found.set(loc.root, loc);
          } catch (e) {
            if (abort.signal.aborted) return;
            this.log.warn(`${root}: ${message(e)}`);
          }
        }
        if (abort.signal.aborted) return;
        const discovered = performance.now();
        this.replaceLocations(found);
        progress.report({ message: vscode.l10n.t('reading {0} runs', found.size) });
        // Cheap runs first (fewest images to decode), so most rows appear at once.
        const order = [...found.values()].sort((a, b) => a.sampleFiles.length - b.sampleFiles.length).map((l) => l.root);
        const shown = this.whenAll(order, (e) => !!(e.inspection || e.glance));
        const judged = this.whenAll(order, (e) => !!e.inspection);
        const settling: Promise<void>[] = [];
        // Every run's numbers first, then every run's findings, then every run's grids: a lane moves
        // on once its run is read, the worker judges the runs once no read is under way and holds
        // the grids until all are, and then the decode pool has all of them queued at once (one
        // run's grids waiting for another's left a core idle between runs, and decoding beside the
        // loss reads slowed them several times over on 2 cores).
        try {
          await runLimited(order, INSPECT_CONCURRENCY, (root) => {
            if (abort.signal.aborted) return Promise.resolve();
            return new Promise<void>((lossesShown) => {
              const settled = this.inspect(root, lossesShown, true).then(
                () => undefined,
                () => undefined,
              );
              settling.push(settled);
              void settled.then(lossesShown);
            });
          });
        } finally {
          this.client.releaseScoring();
        }
        await Promise.all(settling);
        if (abort.signal.aborted) return;
        // One line per scan, so a slow workspace can be told from a slow run (and the bench reads it).
        const ms = (t: number) => `${Math.round(t - started).toLocaleString('en-US')} ms`;
        this.log.info(
          `Scan of ${order.length} runs: discovered in ${ms(discovered)}, every run's losses shown after ${ms(await shown)}, judged after ${ms(await judged)}, all settled after ${ms(performance.now())}`,
        );
      },
    );
    this.scanDone = Promise.resolve(done);
    return this.scanDone;
  }

  /** Resolves with the time when every one of `roots` is `done` (or could not be read). */
  private whenAll(roots: string[], done: (entry: RunEntry) => boolean): Promise<number> {
    const waiting = new Set(roots);
    return new Promise((resolve) => {
      const check = (changed: Iterable<string>) => {
        for (const root of changed) {
          const e = this.entries.get(root);
          if (!e || e.failure || done(e)) waiting.delete(root);
        }
        if (waiting.size) return;
        sub.dispose();
        resolve(performance.now());
      };
      const sub = this.onDidChange(check);
      check([...waiting]);
    });
  }

  /**
   * Makes sure the runs in a folder (or the run holding a file) are known, discovering them if
   * needed; returns their roots. Used for the Explorer menu and paths named in code.
   */
  async addPath(absPath: string): Promise<string[]> {
    const abs = path.resolve(absPath);
    const known = this.runFor(abs);
    const info = await stat(abs).catch(() => undefined);
    if (!info) return known ? [known.runRoot] : [];
    if (info.isDirectory()) {
      const inside = [...this.entries.keys()].filter((r) => r === abs || r.startsWith(abs + path.sep));
      if (inside.length) return inside;
      if (known) return [known.runRoot];
      const settings = currentSettings();
      const locs = await this.client.discover(
        abs,
        { maxDepth: settings.maxDepth, exclude: settings.exclude, maxFolders: settings.maxFolders },
        { timeoutMs: READ_TIMEOUT_MS },
      );
      if (locs.length) this.extraFolders.add(abs);
      return this.addLocations(locs);
    }
    if (known) return [known.runRoot];
    // A file: the run of its folder, else the file alone as a run (the user chose it).
    const dir = path.dirname(abs);
    const settings = currentSettings();
    const locs = await this.client.discover(dir, { maxDepth: 1, exclude: settings.exclude, maxFolders: 200 }, { timeoutMs: READ_TIMEOUT_MS });
    const own = locs.filter((l) => matchRun(abs, [l.root]) && (l.lossFiles.length || l.sampleFiles.length));
    const rel = path.basename(abs);
    // A file that is a run of its own (a notebook) is that run, even one whose outputs print no losses (its read says so).
    const { FORMATS } = await import('../../core/formats');
    const runFile = FORMATS.runFormat(rel) !== null;
    const holding = runFile
      ? own.find((l) => l.root === abs)
      : (own.find((l) => l.lossFiles.includes(rel) || l.sampleFiles.includes(rel)) ?? own.find((l) => l.root === dir));
    const fileRun: RunLocation = { root: abs, name: rel, lossFiles: [rel], sampleFiles: [], file: true };
    const loc =
      holding ??
      (runFile ? fileRun : { root: dir, name: path.basename(dir), lossFiles: isImageFile(rel) ? [] : [rel], sampleFiles: isImageFile(rel) ? [rel] : [] });
    this.extraFolders.add(dir);
    return this.addLocations([loc]);
  }

  /** The run's inspection: cached, being read, or read now. */
  inspection(root: string): Promise<Inspection> {
    const cached = this.entries.get(root)?.inspection;
    if (cached) return Promise.resolve(cached);
    return this.inflight.get(root) ?? this.inspect(root);
  }

  /** Reads the run again (its files may have changed) without showing it yet: the live refresh decides. */
  async read(root: string): Promise<Inspection> {
    const settings = currentSettings();
    const old = this.locations.get(root);
    // Rediscover the folder so new sample images and new loss files are seen.
    const locs = await this.client.discover(
      root,
      { maxDepth: settings.maxDepth, exclude: settings.exclude, maxFolders: settings.maxFolders },
      { timeoutMs: READ_TIMEOUT_MS },
    );
    const fresh = locs.find((l) => l.root === root);
    const loc = fresh ? { ...fresh, name: old?.name ?? fresh.name } : old;
    if (!loc) throw new Error(`${root}: no run found`);
    this.locations.set(root, loc);
    const started = Date.now();
    let decoded = 0;
    const inspection = await this.client.inspect(loc, optionsFor(root, settings), { timeoutMs: READ_TIMEOUT_MS, onDecoded: (n) => (decoded = n) });
    this.logScored(loc.name, inspection, decoded, started);
    return inspection;
  }

  /** One line per read of a run with samples: how many were decoded (a live refresh: only the new ones). */
  private logScored(name: string, inspection: Inspection, decoded: number, started: number): void {
    const n = inspection.run.samples.length;
    if (n) this.log.info(`${name}: ${n} samples scored in ${Date.now() - started} ms, ${decoded} decoded, ${n - decoded} unchanged since the last read`);
  }

  /** Shows a new inspection of a run; `scoring`: only its losses, its sample grids still being scored. */
  publish(root: string, inspection: Inspection, scoring = false): void {
    const entry = this.entries.get(root);
    if (!entry) return;
    setInspection(entry, inspection, scoring);
    void this.updateModified(root);
    this._onDidChange.fire([root]);
  }

  /**
   * Reads and scores the run in the worker; `onLossesShown` is called once its losses are shown
   * (before its grids are scored). `inScan`: one of a scan's runs, whose numbers are shown as soon as
   * it is read (and `onLossesShown` called then), judged once no read is under way, its grids held
   * until the scan releases them.
   */
  private inspect(root: string, onLossesShown?: () => void, inScan = false): Promise<Inspection> {
    const loc = this.locations.get(root);
    if (!loc) return Promise.reject(new Error(vscode.l10n.t('{0}: not a known GAN run', root)));
    // The losses are shown as soon as they are read; the diversity score follows when the run's
    // sample grids are decoded (seconds for a StyleGAN run's hundreds of large grids).
    const onLosses = (losses: Inspection) => {
      if (this.inflight.get(root) === running) this.publish(root, losses, true);
      onLossesShown?.();
    };
    // A scan's runs: their numbers as soon as they are read, their findings once every run is.
    const onRead = (glance: RunGlance) => {
      const entry = this.entries.get(root);
      if (entry && this.inflight.get(root) === running) {
        setGlance(entry, glance);
        this._onDidChange.fire([root]);
      }
      onLossesShown?.();
    };
    const started = Date.now();
    let decoded = 0;
    const opts = { ...optionsFor(root, currentSettings()), ...(inScan ? { holdScoring: true, glanceFirst: true } : {}) };
    const request = { timeoutMs: READ_TIMEOUT_MS, onLosses, onRead, onDecoded: (n: number) => (decoded = n) };
    const running: Promise<Inspection> = this.client.inspect(loc, opts, request).then(
      (inspection) => {
        this.inflight.delete(root);
        this.logScored(loc.name, inspection, decoded, started);
        this.publish(root, inspection);
        return inspection;
      },
      (e: unknown) => {
        this.inflight.delete(root);
        const entry = this.entries.get(root);
        if (entry && (!entry.inspection || entry.scoring)) {
          // Scoring failed as a whole: the losses stay, with the reason in the tooltip.
          setFailure(entry, `${root}: ${message(e)}`);
          this._onDidChange.fire([root]);
        }
        this.log.warn(`${root}: ${message(e)}`);
        throw e;
      },
    );
    this.inflight.set(root, running);
    return running;
  }

  private replaceLocations(found: Map<string, RunLocation>): void {
    const changed: string[] = [];
    for (const root of [...this.entries.keys()]) {
      if (!found.has(root)) {
        this.entries.delete(root);
        this.locations.delete(root);
        changed.push(root);
      }
    }
    for (const [root, found1] of found) {
      const loc = { ...found1, name: this.nameFor(found1) };
      this.locations.set(root, loc);
      const entry = this.entries.get(root);
      if (entry) entry.name = loc.name;
      else this.entries.set(root, { root, name: loc.name });
      changed.push(root);
      void this.updateModified(root);
    }
    this._onDidChange.fire(changed);
  }

  private async addLocations(locs: RunLocation[]): Promise<string[]> {
    const roots: string[] = [];
    for (const found of locs) {
      const loc = { ...found, name: this.nameFor(found) };
      roots.push(loc.root);
      if (this.entries.has(loc.root)) continue;
      this.locations.set(loc.root, loc);
      this.entries.set(loc.root, { root: loc.root, name: loc.name });
      void this.updateModified(loc.root);
    }
    if (roots.length) this._onDidChange.fire(roots);
    return roots;
  }

  /**
   * A run's display name: its path from the workspace folder holding it, whichever folder it was
   * discovered from (a scan, the Explorer menu, a path in code), so one run has one name.
   */
  private nameFor(loc: RunLocation): string {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath).sort((a, b) => b.length - a.length);
    for (const f of folders) {
      const rel = relativeInside(f, loc.root);
      if (rel === null) continue;
      return rel === '' ? path.basename(loc.root) : rel;
    }
    return loc.name;
  }

  /** Newest modification time among a run's files (a bounded number of them), for "most recent first". */
  private async updateModified(root: string): Promise<void> {
    const loc = this.locations.get(root);
    if (!loc) return;
    const files = [...loc.lossFiles.slice(0, 20), ...loc.sampleFiles.slice(-5)];
    const times = await Promise.all(
      files.map((f) =>
        stat(path.resolve(loc.file ? path.dirname(root) : root, f)).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    this.modified.set(root, Math.max(0, ...times));
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}
