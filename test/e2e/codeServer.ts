// code-server and headless Chromium for one test file: install the built .vsix into a fresh
// profile, start code-server in its own process group, open a browser page on it, read its logs,
// and stop it all. Recipe: ../shared/notes/vscode-e2e.md. The page object (vscodePage.ts) drives it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureVsix, repoRoot } from './vsix';

export const codeServerVersion = '4.100.3';
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const codeServerBin = join(
  process.env.GAN_E2E_CACHE ?? join(homedir(), '.cache', 'gan-run-inspector'),
  `code-server-${codeServerVersion}`,
  'node_modules',
  '.bin',
  'code-server',
);
export const screenshotDir = join(repoRoot, 'test-results', 'e2e');

/** What is missing to run real VS Code here, as one line saying what to install; null when all is there. */
export function missingPrerequisite(): string | null {
  if (!existsSync(chromiumPath)) return `Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`;
  if (!existsSync(codeServerBin)) return `code-server ${codeServerVersion} not found at ${codeServerBin}: run bash scripts/install-code-server.sh`;
  return null;
}

export interface SuiteOptions {
  /** false: Workspace Trust on and the folder not trusted (Restricted Mode), as a user who declined. */
  trusted?: boolean;
  /**
   * 'zh-tw': VS Code in Traditional Chinese. code-server 4.100.3 honours `--locale` only for a
   * declared language pack; none can be downloaded here, so the profile declares an empty one (VS
   * Code's own UI stays English, which is what a pack would translate) and VS Code then resolves our
   * package.nls.zh-tw.json and hands the extension l10n/bundle.l10n.zh-tw.json.
   */
  locale?: 'zh-tw';
  /** true: VS Code alone, the extension not installed (the bench's baseline of the extension host's own cost). */
  withoutExtension?: boolean;
}

/** The name of the extension's log output channel (src/extension/activate.ts). */
const EXTENSION_LOG = 'GAN Run Inspector';

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** An empty language pack for `locale`, declared in the profile as VS Code's languagepacks.json does. */
function declareLanguagePack(profile: string, locale: string): void {
  const translations = join(profile, 'main.i18n.json');
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(
    join(profile, 'data', 'languagepacks.json'),
    JSON.stringify({
      [locale]: {
        hash: 'c15201b3d90335b81f868ceaac84b5c9',
        extensions: [{ extensionIdentifier: { id: `local-test.${locale}` }, version: '0.0.1' }],
        translations: { vscode: translations },
        label: locale,
      },
    }),
  );
}

export class CodeServer {
  page!: Page;
  /** Console errors and warnings of the page and all its frames (webviews included), with their source URL. */
  readonly console: { type: string; text: string; url: string }[] = [];
  workspace = '';
  port = 0;
  private browser?: Browser;
  private server?: ChildProcess;
  private profile = '';

  /** Starts code-server on `workspace` and a browser page on it (not yet opened: see VsCode.start). */
  async start(workspace: string, opts: SuiteOptions = {}): Promise<void> {
    const untrusted = opts.trusted === false;
    this.workspace = workspace;
    this.profile = mkdtempSync(join(tmpdir(), 'gan-e2e-profile-'));
    const profileArgs = ['--user-data-dir', join(this.profile, 'data'), '--extensions-dir', join(this.profile, 'ext')];
    if (!opts.withoutExtension) {
      const vsix = ensureVsix();
      const install = spawnSync(codeServerBin, [...profileArgs, '--install-extension', vsix], { encoding: 'utf8', timeout: 120_000 });
      if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
        throw new Error(`code-server --install-extension ${vsix} failed: ${(install.stderr || install.stdout).trim().split('\n').pop()}`);
      }
    }
    // No welcome page, tips or telemetry banner over the workbench the scenarios look at.
    mkdirSync(join(this.profile, 'data', 'User'), { recursive: true });
    writeFileSync(
      join(this.profile, 'data', 'User', 'settings.json'),
      JSON.stringify({
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': untrusted,
        // Restricted Mode without the startup dialog: the folder simply stays untrusted.
        ...(untrusted ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {}),
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'window.restoreWindows': 'none',
        'files.watcherExclude': {},
      }),
    );
    if (opts.locale) declareLanguagePack(this.profile, opts.locale);
    this.port = await freePort();
    const log = createWriteStream(join(this.profile, 'code-server.log'));
    // detached: code-server gets its own process group, so stop() ends it and its children by that id.
    this.server = spawn(
      codeServerBin,
      [
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${this.port}`,
        ...profileArgs,
        '--disable-telemetry',
        '--disable-update-check',
        ...(untrusted ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        ...(opts.locale ? ['--locale', opts.locale] : []),
        workspace,
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // If the test process dies without running after(), still end code-server's group.
    const serverPid = this.server.pid;
    process.once('exit', () => {
      try {
        if (serverPid) process.kill(-serverPid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    });
    this.server.stdout?.pipe(log);
    this.server.stderr?.pipe(log);
    const base = `http://127.0.0.1:${this.port}`;
    await waitFor('code-server /healthz', 60_000, async () => {
      if (this.server?.exitCode !== null) throw new Error(`code-server exited: ${this.serverLog().slice(-300)}`);
      return (await fetch(`${base}/healthz`)).ok;
    });
    this.browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    this.page = await this.browser.newPage({ viewport: { width: 1440, height: 900 } });
    this.page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') this.console.push({ type: m.type(), text: m.text(), url: m.location().url });
    });
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => {});
    const pid = this.server?.pid;
    if (pid && this.server?.exitCode === null) {
      const exited = new Promise((r) => this.server?.once('exit', r));
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = new Promise((r) => setTimeout(r, 5000, 'timeout'));
      if ((await Promise.race([exited, timer])) === 'timeout') {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    if (this.profile && !process.env.GAN_E2E_KEEP) rmSync(this.profile, { recursive: true, force: true });
  }

  serverLog(): string {
    try {
      return readFileSync(join(this.profile, 'code-server.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** The extension host's log (activation errors land here), newest window first. */
  extensionHostLog(): string {
    return this.logs((dir, name) => name === 'exthost.log' || name === 'remoteexthost.log');
  }

  /**
   * Our extension's own log, the "GAN Run Inspector" channel of the Output panel, which VS Code
   * writes as data/logs/<session>/exthost1/<publisher>.<name>/GAN Run Inspector.log.
   */
  extensionLog(): string {
    const { publisher, name: extension } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string };
    return this.logs((dir, name) => name === `${EXTENSION_LOG}.log` && basename(dir) === `${publisher}.${extension}`);
  }

  /** The first line of our extension's log matching `pattern`, once VS Code has written it (bounded wait); null if none came. */
  async extensionLogLine(pattern: RegExp, timeoutMs = 20_000): Promise<string | null> {
    return waitFor(`a line matching ${pattern} in the extension's log`, timeoutMs, async () =>
      this.extensionLog()
        .split('\n')
        .find((line) => pattern.test(line)),
    ).catch(() => null);
  }

  /** The log files under the profile's data/logs that `wanted` picks, joined. */
  private logs(wanted: (dir: string, name: string) => boolean): string {
    const found: string[] = [];
    const walk = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (wanted(dir, name)) found.push(p);
      }
    };
    walk(join(this.profile, 'data', 'logs'));
    return found.map((p) => readFileSync(p, 'utf8')).join('\n');
  }
}
