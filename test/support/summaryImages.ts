// TensorBoard event files with image summaries, written by python3 the way TensorFlow's writers lay
// them out: protobuf fields encoded by hand (field numbers from tensorflow/core/framework/summary.proto
// and tensor.proto, not from the reader's descriptor, so a wrong number there fails here) in TFRecord
// framing with masked CRC-32C.
import { execFileSync } from 'node:child_process';

export type SummaryValue =
  | { tag: string; scalar: number }
  /** TF1 `tf.summary.image` / PyTorch `add_image`: a `Summary.Image`. */
  | { tag: string; image: Uint8Array; width: number; height: number }
  /** TF2 `tf.summary.image`: a string tensor [width, height, image…]; `plugin` on the tag's first value only, as TF2 writes it. */
  | { tag: string; images: Uint8Array[]; width: number; height: number; plugin: boolean };

export interface SummaryEvent {
  step: number;
  values: SummaryValue[];
}

/** Writes an event file (with TF's first `file_version` record) at `file`. */
export function writeEvents(file: string, events: SummaryEvent[]): void {
  const b64 = (a: Uint8Array) => Buffer.from(a).toString('base64');
  const spec = events.map((e) => ({
    step: e.step,
    values: e.values.map((v) => ('image' in v ? { ...v, image: b64(v.image) } : 'images' in v ? { ...v, images: v.images.map(b64) } : v)),
  }));
  execFileSync('python3', ['-c', WRITER, file], { input: JSON.stringify(spec) });
}

const WRITER = `
import base64, json, struct, sys
def varint(n):
    out = b''
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])
def key(field, wire): return varint(field << 3 | wire)
def ld(field, data): return key(field, 2) + varint(len(data)) + data
def vi(field, n): return key(field, 0) + varint(n)
TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (0x82F63B78 ^ (c >> 1)) if c & 1 else c >> 1
    TABLE.append(c)
def crc32c(data):
    c = 0xffffffff
    for b in data:
        c = TABLE[(c ^ b) & 0xff] ^ (c >> 8)
    return c ^ 0xffffffff
def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff
def record(event):
    length = struct.pack('<Q', len(event))
    return length + struct.pack('<I', masked(length)) + event + struct.pack('<I', masked(event))
def value(v):
    out = ld(1, v['tag'].encode())
    if 'scalar' in v:
        out += key(2, 5) + struct.pack('<f', v['scalar'])
    elif 'image' in v:
        img = vi(1, v['height']) + vi(2, v['width']) + vi(3, 3) + ld(4, base64.b64decode(v['image']))
        out += ld(4, img)
    else:
        strings = [str(v['width']).encode(), str(v['height']).encode()] + [base64.b64decode(i) for i in v['images']]
        shape = ld(2, vi(1, len(strings)))
        tensor = vi(1, 7) + ld(2, shape) + b''.join(ld(8, s) for s in strings)
        if v['plugin']:
            out += ld(9, ld(1, ld(1, b'images') + ld(2, b'')))
        out += ld(8, tensor)
    return out
spec = json.load(sys.stdin)
with open(sys.argv[1], 'wb') as f:
    f.write(record(key(1, 1) + struct.pack('<d', 1700000000.0) + ld(3, b'brain.Event:2')))
    for i, e in enumerate(spec):
        summary = b''.join(ld(1, value(v)) for v in e['values'])
        f.write(record(key(1, 1) + struct.pack('<d', 1700000001.0 + i) + vi(2, e['step']) + ld(5, summary)))
`;
