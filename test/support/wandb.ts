// W&B `.wandb` files for tests and the benchmark: records encoded with protobufjs over the same
// descriptor the reader takes its field numbers from, framed by the writer that frames them as
// wandb's DataStore does. (test/unit/core/formats/wandb.test.ts also checks the reader against a writer written
// from wandb's datastore.py in Python, so this writer is not the only witness.)
import protobuf from 'protobufjs';
import { wandbDescriptor } from '../../src/core/formats/wandb.proto';
import { WandbWriter } from '../../src/core/formats/wandbLog';

const root = protobuf.Root.fromJSON(wandbDescriptor as unknown as protobuf.INamespace);
const Record = root.lookupType('wandb_internal.Record');

/** A history item: `[key, valueJson]`, or `[[nested, key, parts], valueJson]`. */
export type Item = [string | string[], string];

/** One serialized `Record` of any kind (`{ history: … }`, `{ exit: … }`, `{ outputRaw: … }`…). */
export function wandbRecord(fields: object, num = 0): Uint8Array {
  return Record.encode(Record.fromObject({ num, ...fields })).finish();
}

/** A history record as wandb writes one per `wandb.log`: the items, then `_runtime`, `_timestamp`, `_step`. */
export function historyRecord(step: number, items: Item[], opts: { stepItem?: boolean; num?: number } = {}): Uint8Array {
  const all: Item[] = [...items, ['_timestamp', String(1710158371 + step / 10)], ['_runtime', String(6.5 + step / 10)]];
  if (opts.stepItem !== false) all.push(['_step', String(step)]);
  return wandbRecord(
    {
      history: {
        item: all.map(([key, valueJson]) => (Array.isArray(key) ? { nestedKey: key, valueJson } : { key, valueJson })),
        ...(step ? { step: { num: step } } : {}),
      },
    },
    opts.num ?? step + 1,
  );
}

/** A whole `.wandb` file of the given records. */
export function wandbFile(records: Uint8Array[]): Uint8Array {
  const writer = new WandbWriter();
  for (const r of records) writer.write(r);
  return writer.take();
}

/** Each record's bytes `[start, end)` in `wandbFile(records)`: its chunks, a block's zero padding before it left out. */
export function recordRanges(records: Uint8Array[]): [number, number][] {
  const writer = new WandbWriter();
  let at = writer.take().length;
  const ranges: [number, number][] = [];
  for (const r of records) {
    const left = 32768 - (at % 32768);
    writer.write(r);
    const end = at + writer.take().length;
    ranges.push([left < 7 ? at + left : at, end]);
    at = end;
  }
  return ranges;
}

/** Where each record's first chunk starts in `wandbFile(records)`. */
export const recordStarts = (records: Uint8Array[]): number[] => recordRanges(records).map(([start]) => start);
