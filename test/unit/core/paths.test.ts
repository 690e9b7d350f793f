// One path module: the base name, the parent, POSIX form, and "inside the folder" done right (a
// child named `..data` is inside; a sibling sharing a prefix is not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { fileBaseName, isInside, isUnder, parentOf, relativeInside } from '../../../src/core/paths';

test('base name and parent of run-relative paths', () => {
  assert.equal(fileBaseName('result/image/400.png'), '400.png');
  assert.equal(fileBaseName('d_loss.npy'), 'd_loss.npy');
  assert.equal(parentOf('a/b/c.png'), 'a/b');
  assert.equal(parentOf('c.png'), '');
  assert.equal(parentOf(''), null);
});

test('inside a folder: itself, children, children whose names start with dots; never a prefix sibling or a parent', () => {
  const root = path.resolve('/ws/result');
  assert.ok(isInside(root, root));
  assert.ok(isInside(root, path.join(root, 'image', '400.png')));
  assert.ok(isInside(root, path.join(root, '..data', 'x.npy')), 'a folder named ..data is inside');
  assert.ok(!isInside(root, path.resolve('/ws/result_old/d.npy')));
  assert.ok(!isInside(root, path.resolve('/ws')));
  assert.ok(isInside(path.resolve('/'), path.resolve('/ws/x')), 'everything is inside the file system root');
  assert.equal(relativeInside(root, path.join(root, '..data', 'x.npy')), '..data/x.npy');
  assert.equal(relativeInside(root, root), '');
  assert.equal(relativeInside(root, path.resolve('/ws/result2/x')), null);
});

test('under a run-relative folder', () => {
  assert.ok(isUnder('a/b', ''));
  assert.ok(isUnder('a/b', 'a'));
  assert.ok(!isUnder('ab/c', 'a'));
});
