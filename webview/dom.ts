// The one way this app makes elements: text always goes in as textContent, never as markup,
// because run, series and file names are data from anywhere.
type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
export function el(tag: string, attrs?: Attrs, ...children: (Node | string)[]): HTMLElement;
export function el(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k === 'className') e.className = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) e.append(c);
  return e;
}

export function icon(name: string): HTMLElement {
  return el('span', { className: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/**
 * Labels a vscode-checkbox: its label property is drawn in its shadow once the component is defined,
 * and `data-label` in the box style.css keeps for it until then.
 */
export function labelCheckbox(box: HTMLElement & { label: string }, text: string): void {
  box.label = text;
  box.dataset.label = text;
}

/** Runs `fn` once the next frame is painted: a task queued from the frame's callback runs after it. */
export function afterNextFrame(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}
