// Writes baseline JPEGs straight from quantized DCT coefficients, for the streaming decoder's tests:
// one or three components with any sampling factors 1–4, restart intervals, a chosen component order
// in the scan, Huffman tables made for the data (libjpeg's optimal-table method, so code lengths run
// from 1 to 16 bits). jpeg-js's encoder writes only 4:4:4 without restarts, and PIL (9.x) no restarts.

export interface JpegSpec {
  width: number;
  height: number;
  /** Sampling factors, one entry per component (1 or 3 entries). */
  sampling: Array<[h: number, v: number]>;
  /** Quantized coefficient `k` (zigzag order, 0 = DC) of a block of component `c` at block row `by`, column `bx`. */
  coefficient: (c: number, by: number, bx: number, k: number) => number;
  /** Quantization table values (zigzag order) of component `c`; default all 4. */
  quant?: (c: number, k: number) => number;
  /** MCUs (blocks for one component) between restart markers; 0 or absent: none. */
  restart?: number;
  /** The order the scan lists the components in (default 0, 1, 2). */
  scanOrder?: number[];
  /** An Adobe APP14 segment with this colour transform code (0: RGB, 1: YCbCr). */
  adobe?: number;
}

type Code = { length: number; code: number };
interface Table {
  counts: number[];
  values: number[];
  codes: Map<number, Code>;
}

/** libjpeg's jpeg_gen_optimal_table: Huffman lengths from frequencies, limited to 16 bits. */
function optimalTable(freq: Map<number, number>): Table {
  const f = new Array<number>(257).fill(0);
  for (const [s, n] of freq) f[s] = n;
  if (freq.size === 0) f[0] = 1; // a table must hold a code
  f[256] = 1; // reserved, so no code is all ones
  const size = new Array<number>(257).fill(0);
  const others = new Array<number>(257).fill(-1);
  for (;;) {
    let c1 = -1;
    let c2 = -1;
    for (let i = 0; i <= 256; i++) if (f[i] && (c1 < 0 || f[i]! <= f[c1]!)) c1 = i;
    for (let i = 0; i <= 256; i++) if (f[i] && i !== c1 && (c2 < 0 || f[i]! <= f[c2]!)) c2 = i;
    if (c2 < 0) break;
    f[c1]! += f[c2]!;
    f[c2] = 0;
    size[c1]!++;
    while (others[c1]! >= 0) size[(c1 = others[c1]!)]!++;
    others[c1] = c2;
    size[c2]!++;
    while (others[c2]! >= 0) size[(c2 = others[c2]!)]!++;
  }
  const bits = new Array<number>(40).fill(0);
  for (let i = 0; i <= 256; i++) if (size[i]) bits[size[i]!]!++;
  for (let i = 39; i > 16; i--) {
    while (bits[i]! > 0) {
      let j = i - 2;
      while (bits[j] === 0) j--;
      bits[i]! -= 2;
      bits[i - 1]!++;
      bits[j + 1]! += 2;
      bits[j]!--;
    }
  }
  let last = 16;
  while (bits[last] === 0) last--;
  bits[last]!--;
  const values: number[] = [];
  for (let len = 1; len < 40; len++) for (let s = 0; s < 256; s++) if (size[s] === len) values.push(s);
  const counts = bits.slice(1, 17);
  const codes = new Map<number, Code>();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < counts[len - 1]!; i++) codes.set(values[k++]!, { length: len, code: code++ });
    code <<= 1;
  }
  return { counts, values: values.slice(0, k), codes };
}

const category = (v: number) => (v === 0 ? 0 : 32 - Math.clz32(Math.abs(v)));

export function writeJpeg(spec: JpegSpec): Buffer {
  const { width, height, sampling } = spec;
  const n = sampling.length;
  const order = spec.scanOrder ?? sampling.map((_, i) => i);
  const maxH = Math.max(...sampling.map((s) => s[0]));
  const maxV = Math.max(...sampling.map((s) => s[1]));
  const single = n === 1;
  const across = single ? Math.ceil(width / 8) : Math.ceil(width / (8 * maxH));
  const down = single ? Math.ceil(height / 8) : Math.ceil(height / (8 * maxV));
  const table = (c: number) => Math.min(c, 1);
  // The blocks in scan order, each with its DC difference, then Huffman symbols and extra bits.
  type Item = { c: number; symbol: number; ac: boolean; extra: number; bits: number } | { rst: number };
  const items: Item[] = [];
  const pred = new Array<number>(n).fill(0);
  let units = 0;
  for (let my = 0; my < down; my++) {
    for (let mx = 0; mx < across; mx++) {
      if (spec.restart && units > 0 && units % spec.restart === 0) {
        items.push({ rst: (units / spec.restart - 1) % 8 });
        pred.fill(0);
      }
      units++;
      for (const c of order) {
        const [h, v] = single ? [1, 1] : sampling[c]!;
        for (let j = 0; j < v; j++) {
          for (let i = 0; i < h; i++) {
            const by = my * v + j;
            const bx = mx * h + i;
            const dc = spec.coefficient(c, by, bx, 0);
            const diff = dc - pred[c]!;
            pred[c] = dc;
            items.push({ c, symbol: category(diff), ac: false, extra: diff, bits: category(diff) });
            let run = 0;
            for (let k = 1; k < 64; k++) {
              const a = spec.coefficient(c, by, bx, k);
              if (a === 0) {
                run++;
                continue;
              }
              for (; run > 15; run -= 16) items.push({ c, symbol: 0xf0, ac: true, extra: 0, bits: 0 });
              items.push({ c, symbol: (run << 4) | category(a), ac: true, extra: a, bits: category(a) });
              run = 0;
            }
            if (run > 0) items.push({ c, symbol: 0, ac: true, extra: 0, bits: 0 });
          }
        }
      }
    }
  }
  const freq = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
  for (const it of items)
    if (!('rst' in it)) freq[table(it.c) * 2 + (it.ac ? 1 : 0)]!.set(it.symbol, (freq[table(it.c) * 2 + (it.ac ? 1 : 0)]!.get(it.symbol) ?? 0) + 1);
  const tables = freq.map((f) => optimalTable(f));

  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]) => out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body);
  segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  if (spec.adobe !== undefined) segment(0xee, [0x41, 0x64, 0x6f, 0x62, 0x65, 0, 100, 0, 0, 0, 0, spec.adobe]);
  for (let c = 0; c < Math.min(n, 2); c++) segment(0xdb, [c, ...Array.from({ length: 64 }, (_, k) => spec.quant?.(c, k) ?? 4)]);
  const ids = sampling.map((_, c) => c + 1);
  segment(0xc0, [8, height >> 8, height & 255, width >> 8, width & 255, n, ...sampling.flatMap(([h, v], c) => [ids[c]!, (h << 4) | v, table(c)])]);
  for (let t = 0; t < 4; t++) {
    if (t >= 2 && n === 1) break;
    segment(0xc4, [((t & 1) << 4) | (t >> 1), ...tables[t]!.counts, ...tables[t]!.values]);
  }
  if (spec.restart) segment(0xdd, [spec.restart >> 8, spec.restart & 255]);
  segment(0xda, [n, ...order.flatMap((c) => [ids[c]!, (table(c) << 4) | table(c)]), 0, 63, 0]);
  let acc = 0;
  let count = 0;
  const put = (code: number, length: number) => {
    for (let b = length - 1; b >= 0; b--) {
      acc = (acc << 1) | ((code >> b) & 1);
      if (++count === 8) {
        out.push(acc);
        if (acc === 0xff) out.push(0);
        acc = 0;
        count = 0;
      }
    }
  };
  const flush = () => {
    while (count !== 0) put(1, 1);
  };
  for (const it of items) {
    if ('rst' in it) {
      flush();
      out.push(0xff, 0xd0 + it.rst);
      continue;
    }
    const code = tables[table(it.c) * 2 + (it.ac ? 1 : 0)]!.codes.get(it.symbol)!;
    put(code.code, code.length);
    if (it.bits) put(it.extra < 0 ? it.extra + (1 << it.bits) - 1 : it.extra, it.bits);
  }
  flush();
  out.push(0xff, 0xd9);
  return Buffer.from(out);
}
