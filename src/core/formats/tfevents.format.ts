// TensorBoard event files (`events.out.tfevents.*`): TFRecord framing around Event protos, appended
// to as training runs; their image summaries are the images the file holds (tfeventsImages.ts).
import { t } from '../l10n';
import { maskedCrc32c, readTfEvents, TfEventsReader, type FoundImage } from './tfevents';
import { summaryImages } from './tfeventsImages';
import type { FileFormat } from './format';
import { isStyleGanSeries, KIMG } from './styleganNames';

/** The first record's length checksum verifies: TFRecord framing, as every event file starts. */
function startsWithRecord(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return maskedCrc32c(head.subarray(0, 8)) === view.getUint32(8, true);
}

export const tfeventsFormat = {
  id: 'tfevents',
  label: () => t('TensorBoard event files'),
  examples: ['runs/exp1/events.out.tfevents.1700000000.host.1234.0', 'logs/train/events.out.tfevents.1.host'],
  names: ['events.out.tfevents.*'],
  sniff: startsWithRecord,
  read(bytes, fileName, { report }) {
    const found: FoundImage[] = [];
    const series = readTfEvents(bytes, fileName, report, found);
    return { series, images: summaryImages(found) };
  },
  incremental(fileName) {
    const reader = new TfEventsReader(fileName);
    return {
      push: (bytes) => reader.push(bytes),
      result: (report) => {
        const series = reader.series(true);
        if (report) report.skipped = reader.skipped();
        return { series, images: summaryImages(reader.images()) };
      },
      get heldBytes() {
        return reader.heldBytes;
      },
    };
  },
  // PGGAN / StyleGAN (TF) events count images shown; with `Progress/kimg` they are put on kimg (stepUnits.ts).
  stepUnit: (_fileName, names) => (isStyleGanSeries(names) && !names.includes(KIMG) && names.some((n) => n.startsWith('Progress/')) ? 'kimg' : null),
  wake: ['**/events.out.tfevents.*'],
} satisfies FileFormat;
