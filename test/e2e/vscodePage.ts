// The page object: what a user does in VS Code (run a command, pick from a menu, open a file,
// hover, read the tree, the Problems panel and notifications), each move waiting on a selector,
// never on a sleep. It is a CodeServer (codeServer.ts) with the workbench open in its page.
import type { Frame, Locator } from 'playwright-core';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { CodeServer, screenshotDir, waitFor, type SuiteOptions } from './codeServer';

// Functions passed to page.evaluate run in the browser, but the host tsconfig has no DOM types:
// these module-local declarations describe the little of the page those functions touch.
declare const document: any;
declare const NodeFilter: { SHOW_TEXT: number };
/** A DOM element as seen from page.evaluate. */
export interface PageElement {
  innerText: string;
  className: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  closest(selector: string): PageElement | null;
  classList: { contains(name: string): boolean };
}
type PageText = { length: number; textContent: string | null };

/** The activity bar title of our view container, in the language the window runs in. */
const CONTAINER_TITLE = { en: 'GAN Runs', 'zh-tw': 'GAN 訓練紀錄' };

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface TreeRow {
  /** What the row shows: label and description. */
  text: string;
  ariaLabel: string;
  /** Codicon name of the row's icon, e.g. 'warning' (from the codicon-* class), or ''. */
  icon: string;
  level: number;
  expanded: boolean | null;
}

export class VsCode extends CodeServer {
  private containerTitle = CONTAINER_TITLE.en;

  /** code-server and its page, then the workspace opened in the workbench. */
  override async start(workspace: string, opts: SuiteOptions = {}): Promise<void> {
    this.containerTitle = CONTAINER_TITLE[opts.locale ?? 'en'];
    await super.start(workspace, opts);
    await this.openFolder(workspace, !opts.withoutExtension);
  }

  /** Opens `folder`; with `extension` (the default), waits until the extension has registered. */
  async openFolder(folder: string, extension = true): Promise<void> {
    this.workspace = folder;
    await this.page.goto(`http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(folder)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.page.locator('.explorer-folders-view').first().waitFor({ timeout: 60_000 });
    if (!extension) return;
    // A workspace extension's menus and views exist only once the remote extension host has
    // registered it, seconds after the workbench shows: its activity bar item is the sign.
    await this.page
      .locator(`.part.activitybar .action-item a.action-label[aria-label^="${this.containerTitle}"]`)
      .first()
      .waitFor({ timeout: 90_000 })
      .catch(() => {
        throw new Error(`the extension never registered: no "${this.containerTitle}" item in the activity bar after 90 s`);
      });
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Runs a command by its title from the F1 palette, e.g. 'GAN: Inspect GAN run'. */
  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput('F1');
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 20_000 });
    await input.press('Enter');
  }

  private async openQuickInput(key: string): Promise<Locator> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press(key);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    return input;
  }

  /** The labels of the rows of the open quick pick, once at least one is shown. */
  async quickPickItems(): Promise<string[]> {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 20_000 });
    return rows.evaluateAll((els) => els.map((e) => (e as PageElement).innerText.replace(/\s+/g, ' ').trim()));
  }

  /** Picks the quick-pick row whose text contains `text`. */
  async pickQuickPick(text: string): Promise<void> {
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
  }

  /** The Explorer row for a path relative to the workspace, expanding its parent folders. */
  async explorerRow(rel: string): Promise<Locator> {
    await this.showExplorer();
    const parts = rel.split('/');
    let row!: Locator;
    for (let i = 0; i < parts.length; i++) {
      row = this.page
        .locator('.explorer-folders-view .monaco-list-row')
        .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(parts[i]!)}$`) }) })
        .first();
      await row.waitFor({ timeout: 20_000 });
      if (i < parts.length - 1 && (await row.getAttribute('aria-expanded')) === 'false') await row.click();
    }
    return row;
  }

  async showExplorer(): Promise<void> {
    if (await this.page.locator('.explorer-folders-view').isVisible()) return;
    await this.page.keyboard.press('Control+Shift+E');
    await this.page.locator('.explorer-folders-view').waitFor({ timeout: 15_000 });
  }

  /** Right-clicks a file or folder in the Explorer; returns the labels of the context menu. */
  async rightClickInExplorer(rel: string): Promise<string[]> {
    await this.page.keyboard.press('Escape');
    const row = await this.explorerRow(rel);
    await row.click({ button: 'right' });
    const items = this.page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label');
    await items.first().waitFor({ timeout: 15_000 });
    return items.evaluateAll((els) => els.map((e) => (e as PageElement).innerText.trim()).filter(Boolean));
  }

  /** Clicks a context-menu item; the workbench sometimes drops a click (menu still open), so it clicks again. */
  async pickContextMenu(label: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    const item = this.page.locator('.context-view .monaco-menu .action-item .action-label', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }).first();
    for (let attempt = 0; attempt < 3; attempt++) {
      await item.click();
      if (
        await menu
          .first()
          .waitFor({ state: 'hidden', timeout: 3000 })
          .then(
            () => true,
            () => false,
          )
      )
        return;
    }
    throw new Error(`the context menu stayed open after picking "${label}"`);
  }

  /**
   * The first frame for which `predicate` holds, searched across every (nested) webview frame
   * until the timeout. Webview content lives two iframes deep in the web workbench.
   */
  async webviewFrame(predicate: (frame: Frame) => Promise<boolean>, timeoutMs = 30_000): Promise<Frame> {
    return waitFor('a webview frame', timeoutMs, async () => {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame() || frame.isDetached()) continue;
        if (await predicate(frame).catch(() => false)) return frame;
      }
      return undefined;
    });
  }

  /** Whether a (nested) frame is on screen: every iframe up to the page is visible (hidden webviews stay in the DOM). */
  async isFrameVisible(frame: Frame): Promise<boolean> {
    for (let f: Frame | null = frame; f && f !== this.page.mainFrame(); f = f.parentFrame()) {
      const element = await f.frameElement();
      if (!(await element.isVisible())) return false;
      const box = await element.boundingBox();
      if (!box || box.width < 10 || box.height < 10) return false;
    }
    return true;
  }

  /** Titles of the editor tabs, the active one first. */
  async tabTitles(): Promise<string[]> {
    const active = await this.page.locator('.tabs-container .tab.active').evaluateAll((els) => els.map((e) => (e as PageElement).innerText.trim()));
    const all = await this.page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => (e as PageElement).innerText.trim()));
    return [...active, ...all.filter((t) => !active.includes(t))];
  }

  /** Opens a workspace file by its relative path through Quick Open, and waits for its editor. */
  async openFileInEditor(rel: string, opts: { text?: boolean } = {}): Promise<void> {
    const name = rel.split('/').pop() ?? rel;
    const folder = rel.split('/').slice(0, -1).join('/');
    const tab = this.page.locator('.tabs-container .tab.active', { hasText: name }).first();
    // Quick Open refreshes its list while it searches: an Enter in that moment opens nothing, so
    // wait for the row of this very file (its folder shows as the description) and retry once or twice.
    for (let attempt = 1; ; attempt++) {
      const input = await this.openQuickInput('Control+P');
      await input.fill(rel);
      const row = this.page
        .locator('.quick-input-list .monaco-list-row', { hasText: name })
        .filter({ hasText: folder || name })
        .first();
      await row.waitFor({ timeout: 20_000 });
      await row.click();
      const opened = await tab.waitFor({ timeout: attempt < 3 ? 7_000 : 20_000 }).then(
        () => true,
        () => false,
      );
      if (opened) break;
      if (attempt >= 3) throw new Error(`Quick Open did not open ${rel}`);
      await this.page.keyboard.press('Escape');
    }
    if (opts.text !== false) await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 20_000 });
  }

  /** Clicks an action of the active editor's title bar by its label, e.g. 'Inspect GAN run'. */
  async clickEditorTitleAction(label: string): Promise<void> {
    const action = this.page.locator(`.editor-group-container.active .editor-actions .action-label[aria-label^="${label}"]`).first();
    await action.waitFor({ timeout: 20_000 });
    await action.click();
  }

  /**
   * Hovers the first occurrence of `text` in the visible editor and returns the hover's text once
   * it is no longer loading (and matches `until`, if given).
   */
  async hoverText(text: string, until?: RegExp, timeoutMs = 20_000): Promise<string> {
    // The text's own rectangle (not its token's): tokens can hold more than the literal.
    const box = await waitFor(`"${text}" in the visible editor`, 20_000, () =>
      this.page.evaluate((needle) => {
        for (const line of document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')) {
          const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          const nodes: PageText[] = [];
          let all = '';
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            nodes.push(n as PageText);
            all += (n.textContent ?? '').replace(/\u00a0/g, ' ');
          }
          const at = all.indexOf(needle);
          if (at < 0) continue;
          const range = document.createRange();
          let offset = 0;
          for (const node of nodes) {
            const len = node.length;
            if (at >= offset && at < offset + len) range.setStart(node, at - offset);
            if (at + needle.length > offset && at + needle.length <= offset + len) range.setEnd(node, at + needle.length - offset);
            offset += len;
          }
          const r = range.getBoundingClientRect();
          if (r.width > 0) return { x: r.x, y: r.y, width: r.width, height: r.height };
        }
        return null;
      }, text),
    );
    const hover = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
    let last = '';
    return waitFor(`a hover over "${text}"${until ? ` matching ${until}` : ''}`, timeoutMs, async () => {
      // Re-hover each round: a hover can close while the extension is still activating.
      if (!(await hover.isVisible())) {
        await this.page.mouse.move(box.x + box.width / 2, box.y + 200);
        await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 1);
        await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await hover.waitFor({ timeout: 3000 }).catch(() => {});
      }
      if (!(await hover.isVisible())) return undefined;
      last = (await hover.innerText()).trim();
      if (!last || /^loading/i.test(last)) return undefined;
      return !until || until.test(last) ? last : undefined;
    }).catch((e: Error) => {
      throw new Error(`${e.message}; last hover text: ${JSON.stringify(last.slice(0, 300))}`);
    });
  }

  /** Opens the Problems panel and returns its rows' texts (files and their problems). */
  async problems(min = 1, timeoutMs = 20_000): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ timeout: 15_000 });
    }
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    let texts: string[] = [];
    await waitFor(`${min} rows in the Problems panel`, timeoutMs, async () => {
      texts = await rows.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') || (e as PageElement).innerText).replace(/\s+/g, ' ').trim()));
      return texts.length >= min;
    }).catch(() => {});
    return texts;
  }

  /** Shows a view container of the activity bar by its title, e.g. 'GAN Runs'. */
  async showViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title}"]`).first();
    await item.waitFor({ timeout: 30_000 });
    const checked = await item.evaluate((a) => a.closest('.action-item')?.classList.contains('checked') ?? false);
    if (!checked) await item.click();
  }

  /** The welcome text of a view (shown when it has no rows), once it matches `until`. */
  async viewWelcome(viewTitle: string, until: RegExp, timeoutMs = 30_000): Promise<string> {
    const pane = this.page
      .locator('.pane')
      .filter({ has: this.page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRegExp(viewTitle)}$`, 'i') }) })
      .first();
    await pane.waitFor({ timeout: 20_000 });
    let text = '';
    await waitFor(`the ${viewTitle} view's welcome matching ${until}`, timeoutMs, async () => {
      text = await pane
        .locator('.welcome-view-content')
        .first()
        .innerText()
        .catch(() => '');
      return until.test(text);
    }).catch((e: Error) => {
      throw new Error(`${e.message}; it shows: ${JSON.stringify(text)}`);
    });
    return text;
  }

  /** The rows of a tree view (e.g. 'Runs'), once at least `min` are shown. */
  async treeRows(viewTitle: string, min = 1, timeoutMs = 30_000): Promise<TreeRow[]> {
    const pane = this.page
      .locator('.pane')
      .filter({ has: this.page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRegExp(viewTitle)}$`, 'i') }) })
      .first();
    await pane.waitFor({ timeout: 20_000 });
    const header = pane.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const rows = pane.locator('.monaco-list-row');
    let found: TreeRow[] = [];
    await waitFor(`${min} rows in the ${viewTitle} view`, timeoutMs, async () => {
      found = await rows.evaluateAll((els) =>
        els.map((e) => {
          // The row's own icon, not the twistie's (which is a codicon too).
          const iconEl = e.querySelector('.custom-view-tree-node-item-icon') ?? e.querySelector('.monaco-icon-label .codicon');
          const icon = /codicon-([\w-]+)/.exec(iconEl?.className ?? '')?.[1] ?? '';
          const expanded = e.getAttribute('aria-expanded');
          return {
            text: (e as PageElement).innerText.replace(/\s+/g, ' ').trim(),
            ariaLabel: e.getAttribute('aria-label') ?? '',
            icon,
            level: Number(e.getAttribute('aria-level') ?? 0),
            expanded: expanded === null ? null : expanded === 'true',
          };
        }),
      );
      return found.length >= min;
    });
    return found;
  }

  /**
   * The rows of a tree view once at least `min` are shown and no run row (level 1) is still being
   * read (the spinner of "reading…" / "scoring N samples…"), or as they are at `timeoutMs`.
   */
  async settledRows(viewTitle: string, min = 1, timeoutMs = 60_000): Promise<TreeRow[]> {
    const deadline = Date.now() + timeoutMs;
    let rows = await this.treeRows(viewTitle, min, timeoutMs);
    while (rows.some((r) => r.level === 1 && r.icon === 'loading') && Date.now() < deadline) {
      await this.page.waitForTimeout(250);
      rows = await this.treeRows(viewTitle);
    }
    return rows;
  }

  /** The tree row whose text contains `text`, to click or expand. */
  treeRow(viewTitle: string, text: string): Locator {
    return this.page
      .locator('.pane')
      .filter({ has: this.page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRegExp(viewTitle)}$`, 'i') }) })
      .locator('.monaco-list-row', { hasText: text })
      .first();
  }

  /** Texts of the notification toasts and the notification center (errors show up here). */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-list-item-message').evaluateAll((els) => els.map((e) => (e as PageElement).innerText.trim()));
  }
}
