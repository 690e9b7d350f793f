// A promise settled in a later task (on a timer), not in a microtask of this one. The extension host
// sends what a task asked of VS Code (a new panel, its page) in one batch, on a timer it sets at the
// first request; work after `await nextTask()` runs once that batch is sent instead of delaying it.
// No `vscode` import: tested under plain Node.
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
