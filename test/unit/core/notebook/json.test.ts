// The notebook's JSON parser (src/core/notebook/json.ts): everything JSON.parse gives, except the
// values of the keys asked for, which are left in the file as byte ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isSpan, JsonError, parseJson, type JsonValue } from '../../../../src/core/notebook/json';

const bytes = (text: string) => new TextEncoder().encode(text);

test('parses what JSON.parse parses, to the same values', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
      const text = JSON.stringify(value, null, pretty ? 1 : undefined);
      assert.deepEqual(
        parseJson(bytes(text), () => false),
        JSON.parse(text),
      );
    }),
    { numRuns: 300 },
  );
  // A key `__proto__` is a member, as JSON.parse makes it (fast-check finds it now and then).
  const proto = parseJson(bytes('{"__proto__": false, "a": 1}'), () => false) as Record<string, unknown>;
  assert.deepEqual(Object.keys(proto), ['__proto__', 'a']);
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  assert.deepEqual(proto, JSON.parse('{"__proto__": false, "a": 1}'));
  assert.deepEqual(
    parseJson(bytes('\ufeff {"a": "é\\u00e9\\n\\"", "b": [1.5e3, -0, true, null]} '), () => false),
    { a: 'éé\n"', b: [1500, -0, true, null] },
  );
});

test('a spanned key keeps the exact bytes of its value, whatever it is', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.jsonValue(), (image, other) => {
      const text = JSON.stringify({ data: { 'image/png': image, 'text/plain': other } }, null, 1);
      const parsed = parseJson(bytes(text), (key) => key === 'image/png') as { data: Record<string, JsonValue> };
      const span = parsed.data['image/png'];
      assert.ok(isSpan(span));
      // As JSON wrote them (JSON.stringify writes -0 as 0).
      const written = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
      assert.deepEqual(JSON.parse(Buffer.from(bytes(text).subarray(span.start, span.end)).toString()), written(image));
      assert.deepEqual(parsed.data['text/plain'], written(other));
    }),
    { numRuns: 300 },
  );
  // An object that happens to have start and end keys is not a span.
  assert.equal(isSpan(parseJson(bytes('{"start": 1, "end": 2}'), () => false)), false);
});

test('bad JSON is a JsonError with the byte where it went wrong, never a crash', () => {
  for (const [text, reason] of [
    ['{"cells": [', /ends early at byte 11/],
    ['{"a": "unterminated', /unterminated string/],
    ['{"a" 1}', /expected :/],
    ['[1 2]', /expected , or ]/],
    ['{"a": 1} x', /unexpected data after the end/],
    ['{"a": "\\q"}', /bad string escape/],
    ['['.repeat(100000), /nested too deep/],
    ['{"image/png": ' + '['.repeat(100000), /nested too deep/],
  ] as const) {
    assert.throws(
      () => parseJson(bytes(text), (k) => k === 'image/png'),
      (e: unknown) => e instanceof JsonError && reason.test((e as Error).message),
      text.slice(0, 30),
    );
  }
});
