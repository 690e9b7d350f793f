// The lit components of the toolbar and the series chips: the y-axis select and the checkboxes.
// main.ts imports this module once the curves are painted (App's afterCurves): defining and
// rendering them cost the curves' first paint ~20 ms, and until then style.css keeps their place.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
