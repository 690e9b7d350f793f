// Every message between the inspector host (extension or standalone page) and the webview app,
// one typed union each way. The webview is a web page: the host trusts nothing it sends, so every
// incoming message goes through `validateFromWebview` before it is looked at.
import type { DiversityPoint, Finding, LossType, ReadError, Role, SeriesStats } from './core/model';
import type { RpcCancel, RpcReply, RpcRequest } from './core/rpc';

/** A series' id inside one panel: its run's id and its index in the run. The one place it is made. */
export function seriesId(runId: string, index: number): string {
  return `${runId}/${index}`;
}

/** What the webview needs to know about one series; the numbers come later, decimated, in `view`. */
export interface SeriesMeta {
  /** Unique inside one panel: seriesId(runId, index). */
  id: string;
  runId: string;
  name: string;
  role: Role;
  source: string;
  length: number;
  firstStep: number | null;
  lastStep: number | null;
  stats: SeriesStats;
  /** One of two GANs trained together (CycleGAN's `A`, `B`), as the readers found it; groups follow it. */
  pair?: string;
  /** For role 'metric': which way is better, and its best valid value and step (null when none). */
  better?: 'lower' | 'higher';
  best?: { step: number; value: number; valid: boolean } | null;
}

/** A reference image (training data, input, target, reconstruction); not a sample. */
export interface ReferenceRef {
  step: number | null;
  path: string;
  uri: string;
  /** A stage's own reference (SinGAN's `real_scale.png`): beside every sample from `step` to this step. */
  until?: number;
  /** See SampleRef.pending. */
  pending?: boolean;
}

/**
 * An image of the run on no step (a test output, a batch position, a draw from the final G): shown
 * in the gallery's results, never on the scrubber. `path` is untrusted text: render it as text.
 */
export interface ResultRef {
  path: string;
  uri: string;
  /** See SampleRef.pending. */
  pending?: boolean;
}

/** A sample image the webview can show: `uri` is a webview URI or a data: URI. */
export interface SampleRef {
  step: number;
  /** Relative to the run root (forward slashes); the key for `openSample`. */
  path: string;
  uri: string;
  /**
   * A large grid whose preview is being made: `uri` is empty (the original is never sent) and a
   * `sampleImage` message brings the preview; the webview shows a placeholder meanwhile.
   */
  pending?: boolean;
}

export interface RunSummary {
  id: string;
  name: string;
  lossType: LossType;
  /** The run's loss formulation in words, its reference values and where it was learned (describeFormulation). */
  formulation: string;
  /** What one step means ('kimg', 'epoch', 'iteration'…), from gan-run.json or the codebase; '' when unknown. */
  stepUnit: string;
  series: SeriesMeta[];
  findings: Finding[];
  samples: SampleRef[];
  /** Reference images shown beside the samples of their step (step null: beside every step). */
  references: ReferenceRef[];
  /** The run's results: images on no step, shown apart from the samples and never scored. */
  results: ResultRef[];
  diversity: DiversityPoint[];
  /** What could not be judged and how to fix it (Run.notes), e.g. no grid found in the samples. */
  notes: string[];
  /** Where each stage of a training with stages begins (Run.stages: SinGAN's scales, progressive growing's resolutions); empty with one stage. */
  stages: { label: string; start: number }[];
  errors: ReadError[];
}

export interface InspectorSettings {
  /** EMA weight the slider starts at (TensorBoard's default is 0.6). */
  smoothing: number;
}

export interface InitMessage {
  type: 'init';
  runs: RunSummary[];
  settings: InspectorSettings;
  /** Translations for `t` (English text → translated), or undefined for English. */
  l10n: Record<string, string> | undefined;
  /** Step range to zoom to on open, e.g. from a Problems entry. */
  focus?: { start: number; end: number };
  /** 'vscode' posts exports to the host; 'standalone' downloads them in the page. */
  host: 'vscode' | 'standalone';
  /** Opaque to the webview: kept in its state so the panel serializer can reopen the same runs. */
  restore?: RestoreState;
  /** The chart's first view, made before the page asked (a small run's open saves a request; src/chart/firstView.ts). */
  view?: FirstView;
}

/** A view the host made before it was asked, with the request it answers. */
export interface FirstView {
  request: ViewRequest;
  result: ViewResult;
}

/**
 * What the panel serializer needs to reopen a panel after a reload: `runRoot` (the first run; all a
 * single-run panel needs, and what older states hold) plus `runRoots` for a comparison.
 */
export interface RestoreState {
  runRoot: string;
  runRoots?: string[];
}

/** One decimated series: Float64Array payloads as ArrayBuffers (steps, raw, smoothed share an x). */
export interface SeriesView {
  id: string;
  steps: ArrayBuffer;
  values: ArrayBuffer;
  smoothed: ArrayBuffer;
  /** Non-finite stretches as flattened [startStep, endStep] pairs. */
  gaps: ArrayBuffer;
  /** Source points in the range. */
  total: number;
  /** True when every finite source point of the range is in the view. */
  exact: boolean;
}

/** The chart's series over one step range, decimated to its width: the answer to a `view` request. */
export interface ViewResult {
  start: number;
  end: number;
  smoothing: number;
  series: SeriesView[];
}

/** What the chart asks for when its range, width, smoothing or shown series change. */
export interface ViewRequest {
  seriesIds: string[];
  start: number;
  end: number;
  /** Chart width in pixels: one bucket per pixel. */
  width: number;
  /** EMA weight in [0, 1). */
  smoothing: number;
}

/**
 * What the webview asks the inspector host and is answered (src/core/rpc.ts): requests go out as
 * FromWebview `request` messages, their replies come back as ToWebview `done`/`failed` messages.
 */
export interface InspectorOps {
  view: { request: ViewRequest; result: ViewResult };
}

export interface FocusMessage {
  type: 'focus';
  start: number;
  end: number;
}

/** The host replaced the data (the run changed on disk): same shape as init, keeps the UI state. */
export interface RefreshMessage extends Omit<InitMessage, 'type'> {
  type: 'refresh';
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

export interface ExportedMessage {
  type: 'exported';
  name: string;
}

/** The preview of a pending sample or reference (`path` of run `runId`) is ready at `uri`. */
export interface SampleImageMessage {
  type: 'sampleImage';
  runId: string;
  path: string;
  uri: string;
}

/** The replies to the webview's requests. */
export type RpcReplyToWebview = RpcReply<InspectorOps>;

export type ToWebview = InitMessage | RefreshMessage | RpcReplyToWebview | FocusMessage | ErrorMessage | ExportedMessage | SampleImageMessage;

export interface ReadyMessage {
  type: 'ready';
}

export interface OpenSampleMessage {
  type: 'openSample';
  runId: string;
  /** Relative to the run root; the host refuses anything outside it. */
  path: string;
}

export interface ExportMessage {
  type: 'export';
  /** A plain file name, no folders. */
  name: string;
  data: ArrayBuffer | Uint8Array | string;
}

/** The loss chart has drawn its first view (once per page): the host logs how long the open took. */
export interface PaintedMessage {
  type: 'painted';
  /** Points on the chart's lines (raw and smoothed) in that first view. */
  points: number;
}

/** The gallery shows a pending sample (a placeholder): the host makes that preview next. */
export interface ShowingSampleMessage {
  type: 'showingSample';
  runId: string;
  path: string;
}

export type FromWebview = ReadyMessage | RpcRequest<InspectorOps> | RpcCancel | OpenSampleMessage | ExportMessage | PaintedMessage | ShowingSampleMessage;

// Limits on what the webview may ask for, so a forged message cannot make the host do unbounded work.
export const MAX_VIEW_WIDTH = 8192;
export const MAX_SERIES_PER_REQUEST = 64;
export const MAX_EXPORT_BYTES = 200 * 1024 * 1024;
const MAX_ID_LENGTH = 200;
const MAX_PATH_LENGTH = 1024;

/**
 * One check per field of a message (every field but `type`), each required: a field added to a
 * message type without its check here, or a check for a field the type does not have, fails to
 * compile. Every field of a FromWebview message is required (the validator refuses missing ones).
 */
export type FieldChecks<M> = { [K in Exclude<keyof M, 'type'>]-?: (v: unknown) => boolean };
type Shape = Record<string, (v: unknown) => boolean>;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isId = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;
const isRequestId = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** A relative, forward-slash path with no `..` segment, no drive letter and no control characters. */
export function isSafeRelativePath(v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_PATH_LENGTH) return false;
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\\]/.test(v) || v.startsWith('/') || /^[a-zA-Z]:/.test(v)) return false;
  return v.split('/').every((part) => part !== '..' && part !== '');
}

/** A plain file name to save under: no folder separators, no control characters, not `.`/`..`. */
export function isSafeFileName(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    v.length > 0 &&
    v.length <= 255 &&
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    !/[\u0000-\u001f/\\:]/.test(v) &&
    v !== '.' &&
    v !== '..'
  );
}

/** The body of each request the webview may make, checked like a message (every field, nothing else). */
const requestShapes: { [K in keyof InspectorOps]: FieldChecks<InspectorOps[K]['request']> } = {
  view: {
    seriesIds: (v) => Array.isArray(v) && v.length <= MAX_SERIES_PER_REQUEST && v.every(isId),
    start: isFiniteNumber,
    end: isFiniteNumber,
    width: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_VIEW_WIDTH,
    smoothing: (v) => isFiniteNumber(v) && v >= 0 && v < 1,
  },
};

const isOp = (v: unknown): v is keyof InspectorOps => typeof v === 'string' && Object.prototype.hasOwnProperty.call(requestShapes, v);

const shapes: { [T in FromWebview['type']]: FieldChecks<Extract<FromWebview, { type: T }>> } = {
  ready: {},
  // The body is checked against its op's shape once the op is known (validateFromWebview).
  request: { id: isRequestId, op: isOp, body: (v) => typeof v === 'object' && v !== null && !Array.isArray(v) },
  cancel: { id: isRequestId },
  openSample: { runId: isId, path: isSafeRelativePath },
  showingSample: { runId: isId, path: isSafeRelativePath },
  export: {
    name: isSafeFileName,
    data: (v) =>
      (typeof v === 'string' && v.length <= MAX_EXPORT_BYTES) ||
      (v instanceof ArrayBuffer && v.byteLength <= MAX_EXPORT_BYTES) ||
      // VS Code may hand a posted ArrayBuffer to the host as a Uint8Array.
      (v instanceof Uint8Array && v.byteLength <= MAX_EXPORT_BYTES),
  },
  painted: { points: (v) => Number.isSafeInteger(v) && (v as number) >= 0 },
};

/**
 * Returns the message if it has exactly the shape of one `FromWebview` message (no missing, extra
 * or mistyped fields, numbers finite, paths relative and inside), or null.
 */
export function validateFromWebview(msg: unknown): FromWebview | null {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return null;
  const record = msg as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(shapes, type)) return null;
  if (!hasShape(record, shapes[type as FromWebview['type']], 'type')) return null;
  if (type === 'request') {
    const op = record.op as keyof InspectorOps;
    const body = record.body as Record<string, unknown>;
    if (!hasShape(body, requestShapes[op])) return null;
    if (op === 'view' && (body.start as number) > (body.end as number)) return null;
  }
  return msg as FromWebview;
}

/** Exactly the fields of `shape` (and `except`), each passing its check. */
function hasShape(record: Record<string, unknown>, shape: Shape, except?: string): boolean {
  const keys = Object.keys(record);
  if (keys.length !== Object.keys(shape).length + (except ? 1 : 0)) return false;
  for (const key of keys) {
    if (key === except) continue;
    const check = Object.prototype.hasOwnProperty.call(shape, key) ? shape[key] : undefined;
    if (!check || !check(record[key])) return false;
  }
  return true;
}

/**
 * The data a standalone HTML report embeds in `<script type="application/json" id="gan-report-data">`:
 * the init message plus every series at full (or report-capped) resolution as base64 Float64 LE.
 */
export interface StandaloneData {
  init: Omit<InitMessage, 'type' | 'host'>;
  series: {
    id: string;
    steps: string;
    values: string;
    /**
     * For a series pre-decimated for the report: its EMA at `smoothing`, computed on the full
     * series before decimation (smoothing the decimated points would not give the same curve).
     */
    smoothed?: string;
    smoothing?: number;
  }[];
}

export const STANDALONE_DATA_ID = 'gan-report-data';
