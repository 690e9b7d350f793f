// When the inspector's page releases code-server's shared service-worker registration
// (inspector/serviceWorkerRelease.ts): by default only in a browser window where no other webview
// can be open to lose it; the setting forces either way (older true/false settings still read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contributesWebviewView, releasesServiceWorker, type WindowWebviews } from '../../../src/extension/inspector/serviceWorkerRelease';
import { readSettings } from '../../../src/extension/settings';

const quiet: WindowWebviews = { web: true, tabs: ['text', 'inspector', 'text'], webviewViewExtensions: [] };

test("'auto' releases only in a browser window holding no other webview", () => {
  assert.equal(
    releasesServiceWorker('auto', () => quiet),
    true,
  );
  assert.equal(
    releasesServiceWorker('auto', () => ({ ...quiet, tabs: [] })),
    true,
  );
  assert.equal(
    releasesServiceWorker('auto', () => ({ ...quiet, web: false })),
    false,
    'desktop: each webview has its own origin',
  );
  assert.equal(
    releasesServiceWorker('auto', () => ({ ...quiet, tabs: ['inspector', 'other'] })),
    false,
    'a Markdown preview, a notebook or an unknown editor is open',
  );
  assert.equal(
    releasesServiceWorker('auto', () => ({ ...quiet, webviewViewExtensions: ['eamodio.gitlens'] })),
    false,
  );
  assert.equal(
    releasesServiceWorker('always', () => ({ web: true, tabs: ['other'], webviewViewExtensions: ['x.y'] })),
    true,
  );
  assert.equal(
    releasesServiceWorker('never', () => quiet),
    false,
  );
});

test('an extension offers a webview view when one of its contributed views has type "webview"', () => {
  assert.equal(contributesWebviewView({ contributes: { views: { explorer: [{ id: 'a' }], chat: [{ id: 'b', type: 'webview' }] } } }), true);
  assert.equal(contributesWebviewView({ contributes: { views: { explorer: [{ id: 'a', type: 'tree' }] } } }), false);
  for (const odd of [
    null,
    undefined,
    3,
    {},
    { contributes: null },
    { contributes: { views: [] } },
    { contributes: { views: { x: 'y' } } },
    { contributes: { views: { x: [null] } } },
  ]) {
    assert.equal(contributesWebviewView(odd), false, JSON.stringify(odd));
  }
});

test('the setting reads auto by default; true and false of older settings read as always and never', () => {
  const read = (v: unknown) => readSettings((key) => (key === 'inspector.releaseServiceWorker' ? v : undefined)).releaseServiceWorker;
  assert.equal(read(undefined), 'auto');
  assert.equal(read('auto'), 'auto');
  assert.equal(read('always'), 'always');
  assert.equal(read(true), 'always');
  assert.equal(read('never'), 'never');
  assert.equal(read(false), 'never');
  assert.equal(read('sometimes'), 'auto');
});
