// The part of wandb's wandb/proto/wandb_internal.proto that a run's history lives in, as a
// protobufjs JSON descriptor with the real field numbers. The reader takes its field numbers from
// here; tests and the benchmark encode records with it (`protobuf.Root.fromJSON`).
//
// A `.wandb` file holds one `Record` per logged thing: `history` is one row per `wandb.log` call
// (its items carry JSON-encoded values, `_step` among them), `config` and `run.config` the settings,
// `exit` how the process ended. Everything else (stats, output, files, telemetry…) is skipped.

export const wandbDescriptor = {
  nested: {
    wandb_internal: {
      nested: {
        Record: {
          fields: {
            num: { type: 'int64', id: 1 },
            history: { type: 'HistoryRecord', id: 2 },
            summary: { type: 'SummaryRecord', id: 3 },
            output: { type: 'OutputRecord', id: 4 },
            config: { type: 'ConfigRecord', id: 5 },
            outputRaw: { type: 'OutputRawRecord', id: 13 },
            run: { type: 'RunRecord', id: 17 },
            exit: { type: 'RunExitRecord', id: 18 },
            uuid: { type: 'string', id: 19 },
          },
          oneofs: { recordType: { oneof: ['history', 'summary', 'output', 'config', 'outputRaw', 'run', 'exit'] } },
        },
        HistoryRecord: {
          fields: {
            item: { rule: 'repeated', type: 'HistoryItem', id: 1 },
            step: { type: 'HistoryStep', id: 2 },
          },
        },
        HistoryItem: {
          fields: {
            key: { type: 'string', id: 1 },
            nestedKey: { rule: 'repeated', type: 'string', id: 2 },
            valueJson: { type: 'string', id: 16 },
          },
        },
        HistoryStep: {
          fields: {
            num: { type: 'int64', id: 1 },
          },
        },
        SummaryRecord: {
          fields: {
            update: { rule: 'repeated', type: 'SummaryItem', id: 1 },
            remove: { rule: 'repeated', type: 'SummaryItem', id: 2 },
          },
        },
        SummaryItem: {
          fields: {
            key: { type: 'string', id: 1 },
            nestedKey: { rule: 'repeated', type: 'string', id: 2 },
            valueJson: { type: 'string', id: 16 },
          },
        },
        ConfigRecord: {
          fields: {
            update: { rule: 'repeated', type: 'ConfigItem', id: 1 },
            remove: { rule: 'repeated', type: 'ConfigItem', id: 2 },
          },
        },
        ConfigItem: {
          fields: {
            key: { type: 'string', id: 1 },
            nestedKey: { rule: 'repeated', type: 'string', id: 2 },
            valueJson: { type: 'string', id: 16 },
          },
        },
        OutputRecord: {
          fields: {
            outputType: { type: 'int32', id: 1 },
            line: { type: 'string', id: 3 },
          },
        },
        OutputRawRecord: {
          fields: {
            outputType: { type: 'int32', id: 1 },
            line: { type: 'string', id: 3 },
          },
        },
        RunRecord: {
          fields: {
            runId: { type: 'string', id: 1 },
            entity: { type: 'string', id: 2 },
            project: { type: 'string', id: 3 },
            config: { type: 'ConfigRecord', id: 4 },
            displayName: { type: 'string', id: 8 },
            startingStep: { type: 'int64', id: 14 },
          },
        },
        RunExitRecord: {
          fields: {
            exitCode: { type: 'int32', id: 1 },
            runtime: { type: 'int32', id: 2 },
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
