// The "first chart painted" line of the log: stages in the order they happen, the user's words,
// and only once per panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenTimings } from '../../../src/extension/inspector/openTimings';

/** A clock the test moves by hand, so the line's figures are known. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

const run = { runs: ['run-10000000'], series: 2, points: 20_000_000, drawn: 7996 };

test('names the run, the time from open to paint, each stage and the sizes', async () => {
  const clock = manualClock();
  const timings = new OpenTimings(clock.now);
  await timings.timeAsync('read', async () => clock.advance(420.4));
  timings.time('smoothing', () => clock.advance(60));
  clock.advance(100);
  timings.webviewReady();
  assert.equal(timings.has('first view'), false);
  timings.time('first view', () => clock.advance(3));
  assert.equal(timings.has('first view'), true);
  clock.advance(1228.6);
  assert.equal(
    timings.painted(run),
    'Inspector run-10000000: first chart painted 1,812 ms after open (read 420 ms, smoothing 60 ms, webview ready after 580 ms, first view 3 ms; 2 series, 20,000,000 points, 7,996 drawn)',
  );
});

test('a second paint (refresh, reloaded webview) is not told again', () => {
  const timings = new OpenTimings(manualClock().now);
  assert.ok(timings.painted(run));
  assert.equal(timings.painted(run), undefined);
});

test('a stage that did not happen is left out; a retried read keeps its latest time; a failed one still counts', async () => {
  const clock = manualClock();
  const timings = new OpenTimings(clock.now);
  await assert.rejects(
    timings.timeAsync('read', async () => {
      clock.advance(5);
      throw new Error('no loader yet');
    }),
  );
  await timings.timeAsync('read', async () => clock.advance(250));
  const line = timings.painted({ runs: ['a', 'b'], series: 4, points: 40, drawn: 40 }) ?? '';
  assert.match(line, /^Inspector a · b: first chart painted 255 ms after open \(read 250 ms; 4 series, 40 points, 40 drawn\)$/);
});
