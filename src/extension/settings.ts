// The `ganInspector.*` settings, read once per use (workspaceSettings.ts asks VS Code) and checked:
// a setting is user input, so a wrong type falls back to the default instead of reaching the readers.
import { DEFAULT_SMOOTHING } from '../chart/smoothing';
import type { LossType } from '../core/model';
import type { RunReadSettings } from './worker/protocol';
import { DEFAULT_LIVE_MINUTES } from '../core/live/liveness';
import type { ReleaseSetting } from './inspector/serviceWorkerRelease';

export interface Settings {
  /** Folders to scan (absolute, or relative to each workspace folder); empty = the workspace folders. */
  include: string[];
  /** Folder names or relative paths left out of the scan. */
  exclude: string[];
  maxDepth: number;
  maxFolders: number;
  lossType: LossType | 'auto';
  thresholds: Record<string, number>;
  smoothing: number;
  liveRefresh: boolean;
  /**
   * code-server only: the inspector's page releases the webviews' shared service-worker registration,
   * so the next inspector opens about 1 s sooner; other open webviews that reload their content
   * before another webview opens can then fail to load their resources. 'auto' releases only where
   * no other webview can be open (inspector/serviceWorkerRelease.ts); true and false of older
   * settings read as 'always' and 'never'.
   */
  releaseServiceWorker: ReleaseSetting;
  maxFileSizeMB: number;
  /** Which new findings of a live run raise a notification. */
  liveAlerts: LiveAlerts;
  /** A run is live while its files grew within this many minutes. */
  liveMinutes: number;
  /** Seconds between stats of the live runs' files where file events do not come; 0: never. */
  livePollSeconds: number;
}

export type LiveAlerts = 'warnings' | 'errors' | 'off';
const LIVE_ALERTS: LiveAlerts[] = ['warnings', 'errors', 'off'];

export const DEFAULT_SETTINGS: Settings = {
  include: [],
  exclude: [],
  maxDepth: 6,
  maxFolders: 20000,
  lossType: 'auto',
  thresholds: {},
  smoothing: DEFAULT_SMOOTHING,
  liveRefresh: true,
  releaseServiceWorker: 'auto',
  maxFileSizeMB: 512,
  liveAlerts: 'warnings',
  liveMinutes: DEFAULT_LIVE_MINUTES,
  livePollSeconds: 2,
};

const LOSS_TYPES = ['auto', 'bce', 'wgan', 'hinge', 'lsgan'];

/** Settings from a getter like `workspace.getConfiguration('ganInspector').get`. */
export function readSettings(get: (key: string) => unknown): Settings {
  const strings = (v: unknown, d: string[]) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : d);
  const num = (v: unknown, d: number, lo: number, hi: number) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : d);
  const thresholds: Record<string, number> = {};
  const th = get('thresholds');
  if (th && typeof th === 'object' && !Array.isArray(th)) {
    for (const [k, v] of Object.entries(th)) if (typeof v === 'number' && Number.isFinite(v)) thresholds[k] = v;
  }
  const lossType = get('lossType');
  const live = get('liveRefresh');
  const release = get('inspector.releaseServiceWorker');
  const alerts = get('live.alerts');
  return {
    include: strings(get('scan.include'), DEFAULT_SETTINGS.include),
    exclude: strings(get('scan.exclude'), DEFAULT_SETTINGS.exclude),
    maxDepth: Math.round(num(get('scan.maxDepth'), DEFAULT_SETTINGS.maxDepth, 0, 32)),
    maxFolders: Math.round(num(get('scan.maxFolders'), DEFAULT_SETTINGS.maxFolders, 1, 1_000_000)),
    lossType: typeof lossType === 'string' && LOSS_TYPES.includes(lossType) ? (lossType as Settings['lossType']) : 'auto',
    thresholds,
    smoothing: num(get('smoothing'), DEFAULT_SETTINGS.smoothing, 0, 0.999),
    liveRefresh: typeof live === 'boolean' ? live : DEFAULT_SETTINGS.liveRefresh,
    releaseServiceWorker: release === true || release === 'always' ? 'always' : release === false || release === 'never' ? 'never' : 'auto',
    maxFileSizeMB: num(get('maxFileSizeMB'), DEFAULT_SETTINGS.maxFileSizeMB, 1, 1_000_000),
    liveAlerts: LIVE_ALERTS.includes(alerts as LiveAlerts) ? (alerts as LiveAlerts) : DEFAULT_SETTINGS.liveAlerts,
    liveMinutes: num(get('live.minutes'), DEFAULT_SETTINGS.liveMinutes, 1, 24 * 60),
    livePollSeconds: num(get('live.pollSeconds'), DEFAULT_SETTINGS.livePollSeconds, 0, 3600),
  };
}

/** The options `inspectRun` gets from the settings (plain JSON: they cross to the worker thread). */
export function inspectOptions(s: Settings): RunReadSettings {
  return {
    ...(s.lossType !== 'auto' ? { lossType: s.lossType as LossType } : {}),
    ...(Object.keys(s.thresholds).length ? { thresholds: s.thresholds } : {}),
    maxFileBytes: Math.round(s.maxFileSizeMB * 1024 * 1024),
  };
}
