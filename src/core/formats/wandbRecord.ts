// A `.wandb` record's bytes → history rows (and how the run ended), walking the protobuf fields
// with protobufjs's Reader in the shape `pbjs --target static` generates (no code generated at run
// time). Only `history` and `exit` are read; every other record kind is skipped.
import { Reader } from 'protobufjs/minimal';
import type { HistoryRows } from './wandbHistory';
import { HistoryItemFields, HistoryRecordFields, HistoryStepFields, RecordFields, RunExitFields } from './wandb.proto';
import { KeyCache, textAt } from './wandbText';

/** How the process ended, from the run's exit record. */
export interface RunExit {
  code: number;
  runtime: number;
}

export class RecordDecoder {
  private readonly keys = new KeyCache();
  // One protobuf reader, pointed at each record in turn.
  private readonly reader = Reader.create(new Uint8Array(0));

  /** Reads the record at bytes[start, end) into `rows`; its exit record when it is one. Throws on bytes that are not a record. */
  decode(bytes: Uint8Array, start: number, end: number, rows: HistoryRows): RunExit | null {
    const r = this.reader;
    let exit: RunExit | null = null;
    r.buf = bytes;
    r.pos = start;
    r.len = end;
    while (r.pos < r.len) {
      const key = r.uint32();
      const field = key >>> 3;
      const wire = key & 7;
      if (field === RECORD_HISTORY && wire === WIRE_BYTES) this.decodeHistory(r, r.uint32(), rows);
      else if (field === RECORD_EXIT && wire === WIRE_BYTES) exit = decodeExit(r, r.uint32());
      else r.skipType(wire);
    }
    return exit;
  }

  private decodeHistory(r: Reader, length: number, rows: HistoryRows): void {
    const end = r.pos + length;
    if (end > r.len) throw new RangeError('history past the record');
    let step = 0;
    rows.begin();
    while (r.pos < end) {
      const key = r.uint32();
      const field = key >>> 3;
      const wire = key & 7;
      if (field === HISTORY_ITEM && wire === WIRE_BYTES) decodeItem(r, r.uint32(), rows, this.keys);
      else if (field === HISTORY_STEP && wire === WIRE_BYTES) step = decodeStep(r, r.uint32());
      else r.skipType(wire);
    }
    rows.end(step);
  }
}

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;

// Field numbers read once: the loops below ask them for every item.
const RECORD_HISTORY = RecordFields.history.id;
const RECORD_EXIT = RecordFields.exit.id;
const HISTORY_ITEM = HistoryRecordFields.item.id;
const HISTORY_STEP = HistoryRecordFields.step.id;
const ITEM_KEY = HistoryItemFields.key.id;
const ITEM_NESTED = HistoryItemFields.nestedKey.id;
const ITEM_VALUE = HistoryItemFields.valueJson.id;

/** One item: its key from the cache, its value read in place (see wandbText.ts). */
function decodeItem(r: Reader, length: number, rows: HistoryRows, keys: KeyCache): void {
  const end = r.pos + length;
  const bytes = r.buf;
  let keyStart = 0;
  let keyEnd = 0;
  let valueStart = 0;
  let valueEnd = 0;
  let nested: string[] | null = null;
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (wire === WIRE_BYTES && (field === ITEM_VALUE || field === ITEM_KEY)) {
      const n = r.uint32();
      const start = r.pos;
      r.pos += n;
      if (r.pos > end) throw new RangeError('item field past the item');
      if (field === ITEM_VALUE) {
        valueStart = start;
        valueEnd = r.pos;
      } else {
        keyStart = start;
        keyEnd = r.pos;
      }
    } else if (field === ITEM_NESTED && wire === WIRE_BYTES) (nested ??= []).push(r.string());
    else r.skipType(wire);
  }
  if (nested && nested.length > 1) rows.item('', nested, textAt(bytes, valueStart, valueEnd));
  else if (!nested && keyEnd > keyStart && bytes[keyStart] === 95 /* _ */) {
    // wandb's own keys: only `_step` is read (`_runtime`, `_timestamp` are not series).
    if (isStepKey(bytes, keyStart, keyEnd)) rows.itemAt('_step', bytes, valueStart, valueEnd);
  } else rows.itemAt(nested ? nested[0]! : keys.name(bytes, keyStart, keyEnd), bytes, valueStart, valueEnd);
}

const STEP_KEY = [0x5f, 0x73, 0x74, 0x65, 0x70]; // _step

function isStepKey(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== STEP_KEY.length) return false;
  for (let i = 0; i < STEP_KEY.length; i++) if (bytes[start + i] !== STEP_KEY[i]) return false;
  return true;
}

function decodeStep(r: Reader, length: number): number {
  const end = r.pos + length;
  let num = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === HistoryStepFields.num.id && (tag & 7) === WIRE_VARINT) num = longToNumber(r.int64());
    else r.skipType(tag & 7);
  }
  return num;
}

function decodeExit(r: Reader, length: number): RunExit {
  const end = r.pos + length;
  const exit: RunExit = { code: 0, runtime: 0 };
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === RunExitFields.exitCode.id && (tag & 7) === WIRE_VARINT) exit.code = r.int32();
    else if (field === RunExitFields.runtime.id && (tag & 7) === WIRE_VARINT) exit.runtime = r.int32();
    else r.skipType(tag & 7);
  }
  return exit;
}

/** protobufjs gives a Long when the `long` package is loaded, a number otherwise. */
function longToNumber(v: { low: number; high: number } | number): number {
  return typeof v === 'number' ? v : v.high * 2 ** 32 + (v.low >>> 0);
}
