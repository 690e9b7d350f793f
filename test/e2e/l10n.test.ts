// Proof that real VS Code shows the extension in Traditional Chinese. code-server 4.100.3 switches
// to a locale with `--locale zh-tw` only when a language pack for it is declared; none can be
// downloaded here, so the profile declares an empty one (VS Code's own UI stays English, which is
// what a pack would translate) and VS Code then resolves our package.nls.zh-tw.json and hands the
// extension the l10n/bundle.l10n.zh-tw.json bundle. The harness's VsCode takes no extra server
// arguments, so this file starts code-server itself and reuses VsCode's UI helpers on its page.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { chromium, type Browser, type Frame } from 'playwright-core';
import { chromiumPath, codeServerBin, missingPrerequisite, VsCode, waitForChart, type PageElement } from './harness';
import { ensureVsix } from './vsix';
import { goodRun, makeWorkspace, removeWorkspace } from './workspace';

declare const document: { body: PageElement };

const CJK = /[\u4e00-\u9fff]/;
const INSPECT_ZH = '檢查 GAN 訓練紀錄';
const CONTAINER_ZH = 'GAN 訓練紀錄';
const VIEW_ZH = '訓練紀錄';

/** code-server in zh-tw with a throwaway profile; stop() ends its process group. */
class ChineseCodeServer {
  readonly vs = new VsCode();
  private server?: ChildProcess;
  private browser?: Browser;
  private profile = '';

  async start(workspace: string): Promise<void> {
    this.profile = mkdtempSync(join(tmpdir(), 'gan-e2e-zh-'));
    const data = join(this.profile, 'data');
    const profileArgs = ['--user-data-dir', data, '--extensions-dir', join(this.profile, 'ext')];
    const install = spawnSync(codeServerBin, [...profileArgs, '--install-extension', ensureVsix()], { encoding: 'utf8', timeout: 120_000 });
    if (install.status !== 0) throw new Error(`code-server --install-extension failed: ${(install.stderr || install.stdout).trim().split('\n').pop()}`);
    mkdirSync(join(data, 'User'), { recursive: true });
    writeFileSync(join(data, 'User', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off' }));
    // The declared (empty) language pack that lets --locale zh-tw take effect.
    const translations = join(this.profile, 'main.i18n.json');
    writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
    writeFileSync(
      join(data, 'languagepacks.json'),
      JSON.stringify({
        'zh-tw': {
          hash: 'c15201b3d90335b81f868ceaac84b5c9',
          extensions: [{ extensionIdentifier: { id: 'local-test.zh-tw' }, version: '0.0.1' }],
          translations: { vscode: translations },
          label: '中文(繁體)',
        },
      }),
    );
    const port = await freePort();
    this.server = spawn(
      codeServerBin,
      ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, ...profileArgs, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--locale', 'zh-tw', workspace],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // If the test process dies without running after(), still end code-server's group.
    const serverPid = this.server.pid;
    process.once('exit', () => {
      try {
        if (serverPid) process.kill(-serverPid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    });
    const log = createWriteStream(join(this.profile, 'code-server.log'));
    this.server.stdout?.pipe(log);
    this.server.stderr?.pipe(log);
    const deadline = Date.now() + 60_000;
    while (!(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || this.server.exitCode !== null) throw new Error('code-server did not start (see its log in the profile)');
      await new Promise((r) => setTimeout(r, 200));
    }
    this.browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    this.vs.page = await this.browser.newPage({ viewport: { width: 1440, height: 900 } });
    this.vs.port = port;
    this.vs.workspace = workspace;
    await this.vs.page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await this.vs.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.vs.page.locator('.explorer-folders-view').first().waitFor({ timeout: 60_000 });
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => {});
    const pid = this.server?.pid;
    if (pid && this.server?.exitCode === null) {
      const exited = new Promise((r) => this.server?.once('exit', r));
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      if ((await Promise.race([exited, new Promise((r) => setTimeout(r, 5000, 'timeout'))])) === 'timeout') {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    if (this.profile && !process.env.GAN_E2E_KEEP) rmSync(this.profile, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

const missing = missingPrerequisite();
describe('e2e l10n: real VS Code started with --locale zh-tw shows the extension in Traditional Chinese', { timeout: 600_000, skip: missing && process.env.CI !== 'true' ? missing : false }, () => {
  const server = new ChineseCodeServer();
  const vs = server.vs;
  let workspace = '';
  before(async () => {
    if (missing) throw new Error(missing);
    workspace = makeWorkspace();
    await server.start(workspace);
  }, { timeout: 420_000 });
  afterEach(async (t) => {
    await vs.screenshot(`l10n--${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 50)}`).catch(() => {});
  });
  after(async () => {
    await server.stop();
    removeWorkspace(workspace);
  }, { timeout: 60_000 });

  test('the GAN Runs view container and view are titled in Chinese and its rows read in Chinese', async () => {
    // The activity bar item is named by the container title: its Chinese title is the proof.
    await vs.page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${CONTAINER_ZH}"]`).first().waitFor({ timeout: 90_000 });
    await vs.showViewContainer(CONTAINER_ZH);
    const sidebarTitle = await vs.page.locator('.part.sidebar .composite.title h2').first().innerText();
    const rows = await vs.treeRows(VIEW_ZH, 2, 60_000);
    await vs.screenshot('l10n-zh-runs-view');
    console.log(`sidebar title: ${sidebarTitle}; rows: ${rows.map((r) => r.text).join(' | ')}`);
    assert.match(sidebarTitle, new RegExp(CONTAINER_ZH, 'i'));
    const run = rows.find((r) => r.text.includes(goodRun));
    assert.ok(run, `no ${goodRun} row: ${rows.map((r) => r.text).join(' | ')}`);
    assert.match(run.text, /步/, `the run's description is not Chinese: ${run.text}`);
  });

  test(`right-click the run folder in the Explorer: the menu offers "${INSPECT_ZH}"`, async () => {
    const labels = await vs.rightClickInExplorer(goodRun);
    await vs.screenshot('l10n-zh-explorer-menu');
    console.log(`context menu: ${labels.join(' | ')}`);
    assert.ok(labels.includes(INSPECT_ZH), `context menu: ${labels.join(' | ')}`);
    assert.ok(!labels.includes('Inspect GAN run'), 'the English title is still shown');
  });

  test('the inspector it opens has Chinese labels and Chinese finding messages', async () => {
    await vs.pickContextMenu(INSPECT_ZH);
    const frame: Frame = await vs.webviewFrame(async (f) => (await f.locator('canvas').count()) > 0 && (await vs.isFrameVisible(f)), 60_000);
    const pixels = await waitForChart(frame);
    // Findings come from the worker, which reads with the same zh-tw bundle.
    await frame.waitForFunction(() => /判別器|納許均衡|模式崩潰/.test(document.body.innerText), undefined, { timeout: 30_000 });
    await vs.screenshot('l10n-zh-inspector');
    const text = await frame.evaluate(() => document.body.innerText);
    console.log(`inspector text: ${text.replace(/\s+/g, ' ').slice(0, 400)}`);
    assert.ok(pixels.coloured >= 300, `the chart shows no curve (${JSON.stringify(pixels)})`);
    for (const label of ['平滑', 'Y 軸', '樣本']) assert.ok(text.includes(label), `no "${label}" in the inspector`);
    assert.match(text, /判別器從第 [\d,]+ 步到第 [\d,]+ 步都佔上風/, 'the d-dominant finding is not in Chinese');
    assert.match(text, /納許均衡/, 'the equilibrium finding is not in Chinese');
    assert.doesNotMatch(text, /The discriminator won|Both losses settled|Smoothing/);
    assert.match(text, CJK);
  });
});
