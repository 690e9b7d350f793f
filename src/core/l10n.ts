// Every user-facing string in core goes through `t` (the English text is the key), so the CLI,
// the extension and the webview can show it in the user's language. The extension configures the
// bundle from `vscode.l10n.bundle`; the CLI and the standalone report from `useLanguage`.
//
// The one piece of module-level state core has (kept inside @vscode/l10n, set only here; the
// layers test allows it nowhere else): the UI language. It is one per process by nature (VS Code's
// display language for the extension host, one choice per CLI run, one per page or worker, which
// gets it explicitly at start), and passing a translator to every reader, finding and report that
// words a message would thread a parameter through all of core for a value that never changes.
import * as l10n from '@vscode/l10n';
import zhTw from '../../l10n/bundle.l10n.zh-tw.json';

export const t = l10n.t;

export type Language = 'en' | 'zh-tw';

/** Selects the language for every later `t` call in this process (or page). */
export function useLanguage(language: Language): void {
  l10n.config({ contents: bundleOf(language) });
}

/** The strings of a language we ship (for a worker thread, which configures its own `t`). */
export function bundleOf(language: Language): Record<string, string> {
  return language === 'zh-tw' ? (zhTw as Record<string, string>) : {};
}

/** Loads an explicit bundle, e.g. `vscode.l10n.bundle` in the extension host. */
export function useBundle(contents: Record<string, string> | undefined): void {
  l10n.config({ contents: contents ?? {} });
}

/** Maps a locale like `zh_TW.UTF-8`, `zh-Hant` or `zh-tw` to a language we ship; English otherwise. */
export function languageFromLocale(locale: string | undefined): Language {
  const l = (locale ?? '').toLowerCase().replace('_', '-');
  return l.startsWith('zh-tw') || l.startsWith('zh-hant') || l.startsWith('zh-hk') ? 'zh-tw' : 'en';
}
