// The inspector host's copies of embedded images (src/extension/inspector/embeddedFiles.ts): the
// bytes of the image, named by their content in the preview folder, kept within a budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EmbeddedFiles } from '../../src/extension/inspector/embeddedFiles';
import { SamplePreviews } from '../../src/extension/inspector/samplePreviews';
import type { ImageSource } from '../../src/core/samples/imageSource';
import { gridPng } from '../support/notebooks';

function folder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  test.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A container file holding images at known offsets (raw, as in an event file). */
function container(dir: string, images: Uint8Array[]): { file: string; sources: ImageSource[] } {
  const file = path.join(dir, 'events.out.tfevents.1.host');
  const parts: Buffer[] = [Buffer.from('head')];
  const sources: ImageSource[] = [];
  let at = 4;
  for (const img of images) {
    sources.push({ file, embedded: { offset: at, length: img.length, encoding: 'raw', format: 'png' } });
    parts.push(Buffer.from(img), Buffer.from('gap!'));
    at += img.length + 4;
  }
  writeFileSync(file, Buffer.concat(parts));
  return { file, sources };
}

test('an embedded image becomes a file of its bytes in the preview folder, one file per content', async () => {
  const dir = folder('emb-');
  const previews = path.join(dir, 'previews');
  mkdirSync(previews);
  const { sources } = container(dir, [gridPng(1), gridPng(2), gridPng(1)]);
  const files = new EmbeddedFiles(previews);
  const out = await Promise.all(sources.map((s) => files.fileOf(s)));
  assert.deepEqual(readFileSync(out[0]!), Buffer.from(gridPng(1)));
  assert.deepEqual(readFileSync(out[1]!), Buffer.from(gridPng(2)));
  assert.equal(out[2], out[0], 'the same image twice is one file');
  assert.ok(out.every((f) => path.dirname(f) === previews && /^embedded-[0-9a-f]{32}\.png$/.test(path.basename(f))));
  // A file of its own is shown where it is.
  assert.equal(await files.fileOf({ file: path.join(dir, 'x.png') }), path.join(dir, 'x.png'));
});

test('the folder keeps extracted images within its budget, the oldest dropped first', async () => {
  const dir = folder('emb-budget-');
  const previews = path.join(dir, 'previews');
  mkdirSync(previews);
  const images = [1, 2, 3, 4, 5].map((k) => gridPng(k));
  const { sources } = container(dir, images);
  const one = images[0]!.length;
  const files = new EmbeddedFiles(previews, Math.floor(one * 2.5));
  for (const s of sources) await files.fileOf(s);
  const left = readdirSync(previews).filter((n) => n.startsWith('embedded-'));
  assert.equal(left.length, 2, left.join(', '));
});

test('a container rewritten since it was read: no file, and the webview is told nothing false', async () => {
  const dir = folder('emb-changed-');
  const { file, sources } = container(dir, [gridPng(1)]);
  writeFileSync(file, Buffer.alloc(20_000, 7));
  const previews = new SamplePreviews(path.join(dir, 'previews'), async () => null);
  assert.equal(await previews.fileOf(sources[0]!), null);
});
