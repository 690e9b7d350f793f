import type { ToWebview } from '../src/protocol';
import type { Host } from './host';

export function createVsCodeHost(): Host {
  const api = acquireVsCodeApi();
  return {
    kind: 'vscode',
    post: (msg) => api.postMessage(msg),
    onMessage: (listener) => window.addEventListener('message', (e: MessageEvent<ToWebview>) => listener(e.data)),
    getState: <T>() => api.getState() as T | undefined,
    setState: (state) => void api.setState(state),
    save: (name, data) => {
      // Copy into a fresh ArrayBuffer: a Uint8Array may be a view into a larger buffer.
      const payload = typeof data === 'string' ? data : (data.slice().buffer as ArrayBuffer);
      api.postMessage({ type: 'export', name, data: payload });
    },
  };
}
