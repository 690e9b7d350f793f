// VS Code's webview API as the inspector app sees it, for the browser tests that host the app as the
// extension does: `acquireVsCodeApi` records what the app posts and hands it to the Node side
// (window.__hostReceive), and window.__deliver(json) posts a host message to the app.
// Runs in the page before the app: VS Code's API as the app sees it. ArrayBuffers cross the
// Node ⇄ page bridge as {__ab: base64} and are restored on each side.
export const STAND_IN = `(() => {
  const b64 = (buf) => { const u = new Uint8Array(buf); let s = ''; for (let i = 0; i < u.length; i += 8192) s += String.fromCharCode(...u.subarray(i, i + 8192)); return btoa(s); };
  const enc = (v) => v instanceof ArrayBuffer ? { __ab: b64(v) }
    : Array.isArray(v) ? v.map(enc) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, enc(x)])) : v;
  const dec = (v) => v && typeof v === 'object' && typeof v.__ab === 'string' ? Uint8Array.from(atob(v.__ab), (c) => c.charCodeAt(0)).buffer
    : Array.isArray(v) ? v.map(dec) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dec(x)])) : v;
  window.__posted = [];
  // The chart's view requests (src/core/rpc.ts requests of op 'view'): each one's id and body.
  window.__views = () => window.__posted.filter((m) => m.type === 'request' && m.op === 'view').map((m) => ({ id: m.id, ...m.body }));
  let state = window.__savedState;
  window.acquireVsCodeApi = () => ({
    postMessage: (msg) => { window.__posted.push(msg); window.__hostReceive(JSON.stringify(enc(msg))); },
    getState: () => state,
    setState: (s) => { state = s; window.__lastState = s; },
  });
  window.__deliver = (json) => window.postMessage(dec(JSON.parse(json)), '*');
})();`;

export function encode(v: unknown): unknown {
  if (v instanceof ArrayBuffer) return { __ab: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v;
}
export function decode(v: unknown): unknown {
  if (v && typeof v === 'object' && typeof (v as { __ab?: unknown }).__ab === 'string') {
    const b = Buffer.from((v as { __ab: string }).__ab, 'base64');
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  }
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  return v;
}
