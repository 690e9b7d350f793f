// Frees the next webview from a one-second wait. code-server serves every webview of a window from
// one origin, so they share one service worker registration, which each new webview updates to its
// own worker. Once an earlier webview of it has closed, Chromium activates the next webview's worker
// only after a fixed one-second delay (measured: "activating" for 1,000 ms on every open after a
// window's first, with the new page waiting for it). Moving the scope to a fresh registration of the
// same worker once this page is up avoids it: later webviews update one that never lost a page, and
// activate at once, as on a window's first open. The scope always has a registration, so any other
// webview whose content is set again still gets a worker. Desktop VS Code gives each webview an
// origin of its own, where this changes nothing.
export function releaseServiceWorker(): void {
  const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!container?.controller) return;
  void (async () => {
    const registration = await container.getRegistration();
    const script = registration?.active?.scriptURL;
    if (!registration || !script) return;
    const { scope } = registration;
    await registration.unregister();
    await container.register(script, { scope });
  })().catch(() => undefined);
}
