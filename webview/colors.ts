// Colours come from VS Code's theme variables (light, dark, high contrast); the standalone report
// defines fallbacks for the same variables in style.css.
import type { FindingKind, Role } from '../src/core/model';

export function themeColor(variable: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(variable).trim();
  return v || fallback;
}

/** `color` (#rgb, #rrggbb, rgb()/rgba()) with its alpha replaced; anything else is returned as is. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(color.trim());
  if (hex) {
    let h = hex[1]!;
    if (h.length === 3 || h.length === 4) h = [...h.slice(0, 3)].map((c) => c + c).join('');
    const n = parseInt(h.slice(0, 6), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/i.exec(color.trim());
  return rgb ? `rgba(${rgb[1]!.trim()}, ${rgb[2]!.trim()}, ${rgb[3]!.trim()}, ${alpha})` : color;
}

const kindVars: Record<FindingKind, [string, string]> = {
  'non-finite': ['--vscode-charts-red', '#e51400'],
  exploding: ['--vscode-charts-red', '#e51400'],
  // Not orange or blue: those are the G and D curves, and a band must not hide its curve.
  saturated: ['--gan-saturated', '#a0522d'],
  'd-dominant': ['--vscode-charts-purple', '#652d90'],
  'g-dominant': ['--vscode-charts-yellow', '#bf8803'],
  equilibrium: ['--vscode-charts-green', '#388a34'],
  // A plateau is a quiet note: grey, not the green of a reached equilibrium.
  plateau: ['--gan-plateau', '#8a8a8a'],
  oscillation: ['--gan-oscillation', '#0e8a8a'],
  'mode-collapse': ['--vscode-charts-purple', '#b180d7'],
  'metric-invalid': ['--vscode-charts-red', '#e51400'],
  'metric-worse': ['--vscode-charts-yellow', '#bf8803'],
};

export function kindColor(kind: FindingKind): string {
  const [v, fallback] = kindVars[kind] ?? ['--vscode-charts-foreground', '#888'];
  // Mode collapse and D-dominant share purple in the theme; keep them apart with a fixed magenta.
  return kind === 'mode-collapse' ? '#c239b3' : themeColor(v, fallback);
}

const runPalettes: [string, string][] = [
  ['#1a85ff', '#d18616'],
  // Not magenta: that is the mode-collapse band.
  ['#17becf', '#bcbd22'],
  ['#8250df', '#bf8803'],
  ['#0e8a8a', '#e51400'],
];
const otherColors = ['#6e7781', '#2ea043', '#8250df', '#0e8a8a', '#bc4c00'];

/** D blue and G orange for the first run, other pairs for compared runs; 'other' series in greys/greens. */
export function seriesColor(role: Role, runIndex: number, otherIndex: number): string {
  const [d, g] = runPalettes[runIndex % runPalettes.length]!;
  if (runIndex === 0) {
    if (role === 'discriminator') return themeColor('--vscode-charts-blue', d);
    if (role === 'generator') return themeColor('--vscode-charts-orange', g);
  }
  if (role === 'discriminator') return d;
  if (role === 'generator') return g;
  if (role === 'metric') return runIndex === 0 ? themeColor('--vscode-charts-green', '#2ea043') : otherColors[(runIndex + 1) % otherColors.length]!;
  return otherColors[otherIndex % otherColors.length]!;
}
