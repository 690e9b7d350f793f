// TensorBoard event records for tests, encoded with protobufjs over the descriptor the reader takes its field numbers from.
import protobuf from 'protobufjs';
import { tfRecord } from '../../src/core/formats/tfevents';
import { tfEventsDescriptor } from '../../src/core/formats/tfevents.proto';

const Event = protobuf.Root.fromJSON(tfEventsDescriptor as unknown as protobuf.INamespace).lookupType('tensorflow.Event');
/** One record: an event at `step` with a scalar per tag (`plugin`: the summary's plugin name). */
export const event = (step: number, values: Record<string, number>, plugin?: string): Uint8Array =>
  tfRecord(
    Event.encode(
      Event.fromObject({
        wallTime: 1700000000 + step,
        step,
        summary: {
          value: Object.entries(values).map(([tag, simpleValue]) => ({
            tag,
            simpleValue,
            ...(plugin ? { metadata: { pluginData: { pluginName: plugin } } } : {}),
          })),
        },
      }),
    ).finish(),
  );
export const concat = (parts: Uint8Array[]) => Buffer.concat(parts);
