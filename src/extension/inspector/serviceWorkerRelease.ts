// Whether the inspector's page releases code-server's shared service-worker registration
// (webview/serviceWorker.ts: later opens about 1 s sooner). Releasing hurts only another webview
// of the window that sets its content again before a new webview opens: it would find no
// registration and fail to load its images and styles. So 'auto' releases only where no such
// webview can be open: VS Code in a browser, every open tab a text editor, a diff, a terminal or an
// inspector, and no other running extension offering a webview view. No `vscode` import: tested
// under plain Node; panel.ts describes the window.

export type ReleaseSetting = 'auto' | 'always' | 'never';

/** What the decision looks at in the window. */
export interface WindowWebviews {
  /** VS Code runs in a browser (code-server): every webview of the window shares one origin. */
  web: boolean;
  /** Each open tab's kind: 'text' (text, diff, terminal), 'inspector' (ours), 'other' (any other webview, notebook, custom editor or unknown). */
  tabs: ('text' | 'inspector' | 'other')[];
  /** Running extensions, other than this one, that contribute a webview view. */
  webviewViewExtensions: string[];
}

/** `window` is looked at only for 'auto' (it walks the tabs and the extensions' manifests). */
export function releasesServiceWorker(setting: ReleaseSetting, window: () => WindowWebviews): boolean {
  if (setting !== 'auto') return setting === 'always';
  const w = window();
  return w.web && w.tabs.every((t) => t !== 'other') && w.webviewViewExtensions.length === 0;
}

/** Whether an extension's manifest contributes a webview view (one of `contributes.views`' lists has `type: "webview"`). */
export function contributesWebviewView(manifest: unknown): boolean {
  const views = (manifest as { contributes?: { views?: unknown } } | null)?.contributes?.views;
  if (!views || typeof views !== 'object') return false;
  return Object.values(views).some((list) => Array.isArray(list) && list.some((v) => (v as { type?: unknown } | null)?.type === 'webview'));
}
