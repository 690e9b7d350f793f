// A new inspector panel reads its runs and builds its init after `nextTask()` (inspector/panel.ts),
// so what VS Code was asked in the panel's task (the panel, its page) is sent first: the extension
// host sends that batch on a timer it sets at the first request. A timer set before nextTask() is
// called has run once it settles; a microtask, which the init used to follow, settles before it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextTask } from '../../../src/extension/nextTask';

test('a timer set before nextTask() has fired when it settles; a microtask comes before it', async () => {
  const fired: string[] = [];
  setTimeout(() => fired.push('batch sent'), 0);
  await Promise.resolve();
  assert.deepEqual(fired, [], 'a microtask runs before the batch is sent');
  await nextTask();
  assert.deepEqual(fired, ['batch sent']);
});
