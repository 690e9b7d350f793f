// The part of wandb's wandb/proto/wandb_internal.proto that a run's history lives in, as a
// protobufjs JSON descriptor with the real field numbers. The reader takes its field numbers from
// here; tests and the benchmark encode records with it (`protobuf.Root.fromJSON`).
//
// A `.wandb` file holds one `Record` per logged thing: `history` is one row per `wandb.log` call
// (its items carry JSON-encoded values, `_step` among them), `config` and `run.config` the settings,
// `exit` how the process ended. Everything else (stats, output, files, telemetry…) is skipped.

import { field, repeated } from './protoFields';

/** One key (or nested key) and its JSON value: the items of history, summary and config records alike. */
const jsonItem = { fields: { key: field('string', 1), nestedKey: repeated('string', 2), valueJson: field('string', 16) } } as const;
/** Summary and config records: the items set and the items removed. */
const updates = <T extends string>(item: T) => ({ fields: { update: repeated(item, 1), remove: repeated(item, 2) } }) as const;
/** A line of the console, as output and outputRaw records hold it. */
const outputLine = { fields: { outputType: field('int32', 1), line: field('string', 3) } } as const;

export const wandbDescriptor = {
  nested: {
    wandb_internal: {
      nested: {
        Record: {
          fields: {
            num: field('int64', 1),
            history: field('HistoryRecord', 2),
            summary: field('SummaryRecord', 3),
            output: field('OutputRecord', 4),
            config: field('ConfigRecord', 5),
            outputRaw: field('OutputRawRecord', 13),
            run: field('RunRecord', 17),
            exit: field('RunExitRecord', 18),
            uuid: field('string', 19),
          },
          oneofs: { recordType: { oneof: ['history', 'summary', 'output', 'config', 'outputRaw', 'run', 'exit'] } },
        },
        HistoryRecord: {
          fields: {
            item: repeated('HistoryItem', 1),
            step: field('HistoryStep', 2),
          },
        },
        HistoryItem: jsonItem,
        HistoryStep: {
          fields: {
            num: field('int64', 1),
          },
        },
        SummaryRecord: updates('SummaryItem'),
        SummaryItem: jsonItem,
        ConfigRecord: updates('ConfigItem'),
        ConfigItem: jsonItem,
        OutputRecord: outputLine,
        OutputRawRecord: outputLine,
        RunRecord: {
          fields: {
            runId: field('string', 1),
            entity: field('string', 2),
            project: field('string', 3),
            config: field('ConfigRecord', 4),
            displayName: field('string', 8),
            startingStep: field('int64', 14),
          },
        },
        RunExitRecord: {
          fields: {
            exitCode: field('int32', 1),
            runtime: field('int32', 2),
          },
        },
      },
    },
  },
} as const;

const w = wandbDescriptor.nested.wandb_internal.nested;
export const RecordFields = w.Record.fields;
export const HistoryRecordFields = w.HistoryRecord.fields;
export const HistoryItemFields = w.HistoryItem.fields;
export const HistoryStepFields = w.HistoryStep.fields;
export const ConfigRecordFields = w.ConfigRecord.fields;
export const ConfigItemFields = w.ConfigItem.fields;
export const RunRecordFields = w.RunRecord.fields;
export const RunExitFields = w.RunExitRecord.fields;
