// Worker-thread entry (built to dist/decodeWorker.js): digests sample files for a DecodePool, so a
// run's many grids are decoded on every core. Replies move the digest's arrays instead of copying.
import { parentPort, workerData } from 'node:worker_threads';
import { useBundle } from '../l10n';
import { digestSampleFile } from './digest';
import { serve } from '../rpc';
import type { DecodeMessage, DecodeOps, DecodeReply } from './decodePool';

if (parentPort) {
  // Refusal messages are written here, so they need the UI language's strings too.
  useBundle((workerData as { l10n?: Record<string, string> } | null)?.l10n);
  const port = parentPort;
  const answer = serve<DecodeOps>(
    {
      digest: async (req, call) => {
        const digest = await digestSampleFile(req.embedded ? { file: req.file, embedded: req.embedded } : req.file, req.name, req.maxBytes, req.previewDir);
        const { profile, small } = digest;
        // The axes' edge arrays are rowEdge/colEdge themselves (digest.ts): listed once, as a transfer list must.
        call.transfer.push(
          ...([
            profile.rowFlat.buffer,
            profile.colFlat.buffer,
            profile.rowEdge.buffer,
            profile.colEdge.buffer,
            small.gray.buffer,
            profile.rowAxis.mean.buffer,
            profile.rowAxis.spread.buffer,
            profile.colAxis.mean.buffer,
            profile.colAxis.spread.buffer,
          ] as ArrayBuffer[]),
        );
        return digest;
      },
    },
    (reply: DecodeReply, transfer) => port.postMessage(reply, transfer),
  );
  port.on('message', (msg: DecodeMessage) => void answer(msg));
}
