// The webview app talks to a Host, so the same app runs in a VS Code panel, in the standalone
// HTML report and in the browser tests.
import type { FromWebview, ToWebview } from '../src/protocol';

export interface Host {
  readonly kind: 'vscode' | 'standalone';
  post(msg: FromWebview): void;
  onMessage(listener: (msg: ToWebview) => void): void;
  getState<T>(): T | undefined;
  setState<T>(state: T): void;
  /** Saves an export: through the host's save dialog in VS Code, as a download standalone. */
  save(name: string, data: Uint8Array | string, mime: string): void;
}
