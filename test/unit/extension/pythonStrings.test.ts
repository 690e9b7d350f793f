// String-literal extraction in Python source, as the hover and the Problems panel use it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { literalPath, pythonStringAt, pythonStrings } from '../../../src/extension/hover/pythonStrings';

/** The literal under the first `|` in `src` (the marker is removed). */
function at(src: string) {
  const offset = src.indexOf('|');
  const text = src.slice(0, offset) + src.slice(offset + 1);
  return pythonStringAt(text, offset);
}

test('finds the literal under the cursor in np.save / np.load calls', () => {
  assert.equal(at("np.save('./result/discrim|inator_loss.npy', d_losses)")?.value, './result/discriminator_loss.npy');
  assert.equal(at('x = np.load("result/g|_loss.npy")')?.value, 'result/g_loss.npy');
  assert.equal(at("np.load('a.npy') + np.load('b|.npy')")?.value, 'b.npy');
  assert.equal(at("np.load('a.npy') |+ np.load('b.npy')"), undefined);
});

test('the quotes and the prefix count as on the literal', () => {
  const src = "p = r'C:\\runs\\x'";
  const all = pythonStrings(src);
  assert.equal(all.length, 1);
  assert.equal(all[0]!.start, src.indexOf("r'"));
  assert.equal(pythonStringAt(src, src.indexOf("r'"))?.value, 'C:\\runs\\x');
  assert.equal(pythonStringAt(src, src.length)?.value, 'C:\\runs\\x');
});

test('raw strings keep backslashes; plain strings decode escapes but keep unknown ones', () => {
  assert.equal(at("r'C:\\data\\n|ew'")?.value, 'C:\\data\\new');
  assert.equal(at("'C:\\data\\n|ew'")?.value, 'C:\\data\new');
  assert.equal(at("'a\\'b|'")?.value, "a'b");
  assert.equal(at('"say \\"hi|\\""')?.value, 'say "hi"');
  assert.equal(at("'\\x41|\\u00e9'")?.value, 'Aé');
  assert.equal(at("rb'x\\'|y'")?.value, "x\\'y");
});

test('escaped quotes do not end the literal; the next literal is found after it', () => {
  const src = "save('it\\'s/loss.npy'); load('other.npy')";
  const all = pythonStrings(src);
  assert.deepEqual(
    all.map((s) => s.value),
    ["it's/loss.npy", 'other.npy'],
  );
});

test('f-strings and templates give the folder before the first placeholder', () => {
  const f = at("plt.savefig(f'result/image/{ep|och}.png')")!;
  assert.equal(f.formatted, true);
  assert.equal(literalPath(f), 'result/image');
  assert.equal(literalPath(at("F'out/|img_{i:04d}.png'")!), 'out');
  assert.equal(literalPath(at("'out/samples/%|d.png' % step")!), 'out/samples');
  assert.equal(literalPath(at("'{}/loss|.npy'.format(d)")!), undefined);
  assert.equal(literalPath(at("f'{ro|ot}'")!), undefined);
  assert.equal(literalPath(at("'result/ima|ge'")!), 'result/image');
  assert.equal(literalPath(at("'|'")!), undefined);
});

test('triple-quoted strings span lines; comments are skipped', () => {
  const src = "# don't 'count' this\nx = '''multi\nline|'''\ny = 'a.npy'";
  const all = pythonStrings(src.replace('|', ''));
  assert.deepEqual(
    all.map((s) => s.value),
    ['multi\nline', 'a.npy'],
  );
  assert.equal(literalPath(all[0]!), undefined);
});

test('an identifier ending in r/b/f is not a string prefix', () => {
  const src = "bar'x'";
  const [s] = pythonStrings(src);
  assert.ok(s);
  assert.equal(s.start, 3);
  assert.equal(s.raw, false);
  const [t] = pythonStrings("(rf'a\\n{b}')");
  assert.ok(t);
  assert.equal(t.raw && t.formatted, true);
  assert.equal(t.start, 1);
});

test('an unterminated single-quoted string ends at the line end', () => {
  const all = pythonStrings("x = 'open\ny = 'closed.npy'");
  assert.deepEqual(
    all.map((s) => s.value),
    ['open', 'closed.npy'],
  );
});

test('a string with a hash inside is not a comment', () => {
  const all = pythonStrings("p = 'runs/#3/loss.npy'  # the third run");
  assert.deepEqual(
    all.map((s) => s.value),
    ['runs/#3/loss.npy'],
  );
});
