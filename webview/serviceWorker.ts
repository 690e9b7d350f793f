// Frees the next webview from a one-second wait. VS Code (code-server; desktop too, where a view
// type's panels share an origin) serves every webview of an origin through one service worker
// registration, which each new webview updates to its own worker. When the registration already
// has a worker, Chromium activates the new one only after a fixed one-second delay (measured: the
// new worker sits in "activating" for 1,000 ms on every open after a window's first), and the
// webview's page waits for it. Unregistering once our page is controlled costs this page nothing
// (a controlled page keeps its worker until it goes away) and lets the next webview register a
// fresh one, which activates at once, as on a window's first open.
export function releaseServiceWorker(): void {
  const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!container?.controller) return;
  container
    .getRegistration()
    .then((registration) => registration?.unregister())
    .catch(() => undefined);
}
