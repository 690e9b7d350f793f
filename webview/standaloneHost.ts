// The host inside a standalone HTML report: the data is embedded in the page, decimation runs here
// with the same code the extension host uses, exports download as files. Nothing is fetched.
import type { ViewSeries } from '../src/chart/decimate';
import { emaDebiased, emaExtend, type Smoother } from '../src/chart/smoothing';
import { ViewCache } from '../src/chart/viewCache';
import { serve } from '../src/core/rpc';
import { STANDALONE_DATA_ID, type FromWebview, type InspectorOps, type StandaloneData, type ToWebview } from '../src/protocol';
import type { Host } from './host';

function decodeFloat64(base64: string): Float64Array {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float64Array(bytes.buffer, 0, bytes.length >> 3);
}

export function readStandaloneData(): StandaloneData | undefined {
  const el = document.getElementById(STANDALONE_DATA_ID);
  return el?.textContent ? (JSON.parse(el.textContent) as StandaloneData) : undefined;
}

export function createStandaloneHost(data: StandaloneData): Host {
  const series = new Map<string, ViewSeries>();
  // Series the report pre-decimated come with their EMA from the full data, used at that weight.
  const presmoothed = new WeakMap<Float64Array, { weight: number; smoothed: Float64Array }>();
  for (const s of data.series) {
    const values = decodeFloat64(s.values);
    series.set(s.id, { id: s.id, steps: decodeFloat64(s.steps), values });
    if (s.smoothed && s.smoothing !== undefined) presmoothed.set(values, { weight: s.smoothing, smoothed: decodeFloat64(s.smoothed) });
  }
  const smoother: Smoother = {
    smooth: (values, weight, out, state) => {
      const pre = presmoothed.get(values);
      if (pre && pre.weight === weight && pre.smoothed.length === out.length) out.set(pre.smoothed);
      else emaDebiased(values, weight, out, state);
    },
    extend: emaExtend, // the report's data never grows
  };
  const cache = new ViewCache(smoother);
  const listeners: ((msg: ToWebview) => void)[] = [];
  const deliver = (msg: ToWebview) => setTimeout(() => listeners.forEach((l) => l(msg)), 0);
  let state: unknown;
  try {
    const saved = sessionStorage.getItem('gan-inspector-state');
    state = saved ? JSON.parse(saved) : undefined;
  } catch {
    state = undefined; // file:// pages may have no storage
  }

  // The page answers the app's requests itself, through the same RPC as the extension host.
  const answer = serve<InspectorOps>(
    {
      view: (req) => {
        const wanted = req.seriesIds.map((id) => series.get(id)).filter((s): s is ViewSeries => !!s);
        return { start: req.start, end: req.end, smoothing: req.smoothing, series: cache.views(wanted, req.start, req.end, req.width, req.smoothing) };
      },
    },
    deliver,
  );

  const handle = (msg: FromWebview) => {
    switch (msg.type) {
      case 'ready':
        deliver({ type: 'init', host: 'standalone', ...data.init });
        break;
      case 'request':
      case 'cancel':
        void answer(msg);
        break;
      // Nothing to open, save through or log in a page.
      case 'openSample':
      case 'export':
      case 'painted':
      case 'showingSample':
        break;
      default:
        // A FromWebview message without its case here does not compile.
        msg satisfies never;
    }
  };

  return {
    kind: 'standalone',
    post: handle,
    onMessage: (listener) => void listeners.push(listener),
    getState: <T>() => state as T | undefined,
    setState: (s) => {
      state = s;
      try {
        sessionStorage.setItem('gan-inspector-state', JSON.stringify(s));
      } catch {
        // no storage: state lives for this page only
      }
    },
    save: (name, data, mime) => {
      const blob = new Blob([typeof data === 'string' ? data : (data.slice().buffer as ArrayBuffer)], { type: mime });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    },
  };
}
