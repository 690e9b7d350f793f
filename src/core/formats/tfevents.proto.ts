// The part of TensorFlow's event.proto, summary.proto, tensor.proto and tensor_shape.proto that
// holds scalars and images, as a protobufjs JSON descriptor with the real field numbers. The reader takes
// its field numbers from here; tests encode events with it (`protobuf.Root.fromJSON`).

export const tfEventsDescriptor = {
  nested: {
    tensorflow: {
      nested: {
        Event: {
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            graphDef: { type: 'bytes', id: 4 },
            summary: { type: 'Summary', id: 5 },
          },
          oneofs: { what: { oneof: ['fileVersion', 'graphDef', 'summary'] } },
        },
        Summary: {
          fields: {
            value: { rule: 'repeated', type: 'Value', id: 1 },
          },
          nested: {
            Value: {
              fields: {
                nodeName: { type: 'string', id: 7 },
                tag: { type: 'string', id: 1 },
                metadata: { type: 'SummaryMetadata', id: 9 },
                simpleValue: { type: 'float', id: 2 },
                image: { type: 'Image', id: 4 },
                tensor: { type: 'TensorProto', id: 8 },
              },
              oneofs: { value: { oneof: ['simpleValue', 'image', 'tensor'] } },
            },
            // TF1 `tf.summary.image`, PyTorch `add_image`: one encoded PNG (or JPEG) per value.
            Image: {
              fields: {
                height: { type: 'int32', id: 1 },
                width: { type: 'int32', id: 2 },
                colorspace: { type: 'int32', id: 3 },
                encodedImageString: { type: 'bytes', id: 4 },
              },
            },
          },
        },
        SummaryMetadata: {
          fields: {
            pluginData: { type: 'PluginData', id: 1 },
            displayName: { type: 'string', id: 2 },
            summaryDescription: { type: 'string', id: 3 },
          },
          nested: {
            PluginData: {
              fields: {
                pluginName: { type: 'string', id: 1 },
                content: { type: 'bytes', id: 2 },
              },
            },
          },
        },
        TensorProto: {
          fields: {
            dtype: { type: 'DataType', id: 1 },
            tensorShape: { type: 'TensorShapeProto', id: 2 },
            versionNumber: { type: 'int32', id: 3 },
            tensorContent: { type: 'bytes', id: 4 },
            halfVal: { rule: 'repeated', type: 'int32', id: 13, options: { packed: true } },
            floatVal: { rule: 'repeated', type: 'float', id: 5, options: { packed: true } },
            doubleVal: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
            // TF2 `tf.summary.image`: [width, height, encoded image…] as strings.
            stringVal: { rule: 'repeated', type: 'bytes', id: 8 },
          },
        },
        TensorShapeProto: {
          fields: {
            dim: { rule: 'repeated', type: 'Dim', id: 2 },
            unknownRank: { type: 'bool', id: 3 },
          },
          nested: {
            Dim: {
              fields: {
                size: { type: 'int64', id: 1 },
                name: { type: 'string', id: 2 },
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
