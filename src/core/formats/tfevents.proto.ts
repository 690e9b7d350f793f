// The part of TensorFlow's event.proto, summary.proto, tensor.proto and tensor_shape.proto that
// holds scalars and images, as a protobufjs JSON descriptor with the real field numbers. The reader takes
// its field numbers from here; tests encode events with it (`protobuf.Root.fromJSON`).

import { field, packed, repeated } from './protoFields';

export const tfEventsDescriptor = {
  nested: {
    tensorflow: {
      nested: {
        Event: {
          fields: {
            wallTime: field('double', 1),
            step: field('int64', 2),
            fileVersion: field('string', 3),
            graphDef: field('bytes', 4),
            summary: field('Summary', 5),
          },
          oneofs: { what: { oneof: ['fileVersion', 'graphDef', 'summary'] } },
        },
        Summary: {
          fields: {
            value: repeated('Value', 1),
          },
          nested: {
            Value: {
              fields: {
                nodeName: field('string', 7),
                tag: field('string', 1),
                metadata: field('SummaryMetadata', 9),
                simpleValue: field('float', 2),
                image: field('Image', 4),
                tensor: field('TensorProto', 8),
              },
              oneofs: { value: { oneof: ['simpleValue', 'image', 'tensor'] } },
            },
            // TF1 `tf.summary.image`, PyTorch `add_image`: one encoded PNG (or JPEG) per value.
            Image: {
              fields: {
                height: field('int32', 1),
                width: field('int32', 2),
                colorspace: field('int32', 3),
                encodedImageString: field('bytes', 4),
              },
            },
          },
        },
        SummaryMetadata: {
          fields: {
            pluginData: field('PluginData', 1),
            displayName: field('string', 2),
            summaryDescription: field('string', 3),
          },
          nested: {
            PluginData: {
              fields: {
                pluginName: field('string', 1),
                content: field('bytes', 2),
              },
            },
          },
        },
        TensorProto: {
          fields: {
            dtype: field('DataType', 1),
            tensorShape: field('TensorShapeProto', 2),
            versionNumber: field('int32', 3),
            tensorContent: field('bytes', 4),
            halfVal: packed('int32', 13),
            floatVal: packed('float', 5),
            doubleVal: packed('double', 6),
            // TF2 `tf.summary.image`: [width, height, encoded image…] as strings.
            stringVal: repeated('bytes', 8),
          },
        },
        TensorShapeProto: {
          fields: {
            dim: repeated('Dim', 2),
            unknownRank: field('bool', 3),
          },
          nested: {
            Dim: {
              fields: {
                size: field('int64', 1),
                name: field('string', 2),
              },
            },
          },
        },
        DataType: {
          values: { DT_INVALID: 0, DT_FLOAT: 1, DT_DOUBLE: 2, DT_INT32: 3, DT_STRING: 7, DT_INT64: 9, DT_BFLOAT16: 14, DT_HALF: 19 },
        },
      },
    },
  },
} as const;

const tf = tfEventsDescriptor.nested.tensorflow.nested;
export const EventFields = tf.Event.fields;
export const SummaryFields = tf.Summary.fields;
export const ValueFields = tf.Summary.nested.Value.fields;
export const ImageFields = tf.Summary.nested.Image.fields;
export const MetadataFields = tf.SummaryMetadata.fields;
export const PluginDataFields = tf.SummaryMetadata.nested.PluginData.fields;
export const TensorFields = tf.TensorProto.fields;
export const ShapeFields = tf.TensorShapeProto.fields;
export const DimFields = tf.TensorShapeProto.nested.Dim.fields;
export const DataType = tf.DataType.values;
