// Entry of dist/webview.js: styles, then the Host (VS Code or the standalone report), then, once the
// curves are painted, the toolbar's components (components.ts).
// Marks (with the bundle's first line, 'gan-inspector-script') let the bench split an open's time
// into the page's start, this script's modules, the app and the data.
import codiconFont from '@vscode/codicons/dist/codicon.ttf';
import { App } from './app';
import { createStandaloneHost, readStandaloneData } from './standaloneHost';
import styles from './style.css';
import { createVsCodeHost } from './vscodeHost';
import { releaseServiceWorker } from './serviceWorker';

// A constructed stylesheet needs no 'unsafe-inline' in the CSP (a <style> element would).
const sheet = new CSSStyleSheet();
sheet.replaceSync(`@font-face { font-family: "codicon"; font-display: block; src: url("${codiconFont}") format("truetype"); }\n${styles}`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

performance.mark('gan-inspector-modules');
const data = readStandaloneData();
const host = data ? createStandaloneHost(data) : createVsCodeHost();
if (data) document.body.classList.add('standalone');
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const app = new App(host, root, () => void import('./components'));
// For the browser tests and the bench: counts of views received and the largest one.
(window as unknown as { ganInspector: App }).ganInspector = app;
performance.mark('gan-inspector-ready');
host.post({ type: 'ready' });
// Where the host says so (no other webview in the window, or the user's setting): it frees the next
// open from a 1 s wait in code-server at a cost to other webviews (see serviceWorker.ts).
if (!data && document.body.dataset.releaseServiceWorker === 'true') releaseServiceWorker();
