// Worker-thread entry (built to dist/decodeWorker.js): digests sample files for a DecodePool, so a
// run's many grids are decoded on every core. Replies move the digest's arrays instead of copying.
import { parentPort, workerData } from 'node:worker_threads';
import { useBundle } from '../l10n';
import { digestSampleFile } from './digest';
import type { DecodeReply, DecodeRequest } from './decodePool';

if (parentPort) {
  // Refusal messages are written here, so they need the UI language's strings too.
  useBundle((workerData as { l10n?: Record<string, string> } | null)?.l10n);
  const port = parentPort;
  port.on('message', (req: DecodeRequest) => {
    digestSampleFile(req.embedded ? { file: req.file, embedded: req.embedded } : req.file, req.name, req.maxBytes, req.previewDir).then(
      (digest) => {
        const { profile, small } = digest;
        // The axes' edge arrays are rowEdge/colEdge themselves (digest.ts): listed once, as a transfer list must.
        const transfer = [
          profile.rowFlat.buffer,
          profile.colFlat.buffer,
          profile.rowEdge.buffer,
          profile.colEdge.buffer,
          small.gray.buffer,
          profile.rowAxis.mean.buffer,
          profile.rowAxis.spread.buffer,
          profile.colAxis.mean.buffer,
          profile.colAxis.spread.buffer,
        ] as ArrayBuffer[];
        port.postMessage({ id: req.id, digest } satisfies DecodeReply, transfer);
      },
      (err: unknown) => port.postMessage({ id: req.id, message: err instanceof Error ? err.message : String(err) } satisfies DecodeReply),
    );
  });
}
