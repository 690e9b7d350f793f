// Frees the next webview from a one-second wait. code-server serves every webview of a window from
// one origin, so they share one service worker registration, which each new webview updates to its
// own worker. Once a webview of it has closed, Chromium keeps the next webview's worker "activating"
// for a fixed 1,000 ms (measured on every open after a window's first), and the new page waits for
// it. Unregistering once this page is controlled lets the next webview register a fresh
// registration, which activates at once, as on a window's first open. This page keeps its worker (a
// controlled page keeps it until it goes away). Tried and refused: registering a fresh one here
// brings the wait back (it too loses its pages), and unregistering on pagehide is not carried out.
// Known cost: until the next webview opens, another open webview whose content is set again finds
// no registration for its new page, so the host asks for this only where no other webview can be
// open, or where the user said always (`ganInspector.inspector.releaseServiceWorker`,
// src/extension/inspector/serviceWorkerRelease.ts). Desktop VS Code gives each webview an origin of its own.
export function releaseServiceWorker(): void {
  const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!container?.controller) return;
  container
    .getRegistration()
    .then((registration) => registration?.unregister())
    .catch(() => undefined);
}
