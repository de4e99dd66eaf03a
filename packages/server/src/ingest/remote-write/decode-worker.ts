/**
 * The remote-write decode thread: snappy and protobuf decoding off the main
 * thread, which then only appends. Label sets cross as numbers: each is sent
 * once (the first request that has it), later requests name it by id, so the
 * main thread does not clone 2,000 label objects per request.
 */
import { parentPort } from 'node:worker_threads';
import type { ErrorCode } from '../../errors.ts';
import type { SeriesLabels } from '../../tsdb/model.ts';
import { snappyDecompress } from '../body.ts';
import { decodeWriteRequestParts, labelCacheGeneration, type RemoteWriteMetadata, type RemoteWriteRejection } from './decode.ts';

export interface DecodeRequest {
  id: number;
  body: Uint8Array;
  maxBytes: number;
}

export type DecodeReply =
  | {
      id: number;
      ok: true;
      /** Ids were reused: forget every id before reading newLabels. */
      reset: boolean;
      newLabels: [number, SeriesLabels][];
      labelIds: Uint32Array;
      start: Uint32Array;
      t: Float64Array;
      v: Float64Array;
      rejected: RemoteWriteRejection[];
      samples: number;
      metadata: RemoteWriteMetadata[];
    }
  | { id: number; ok: false; code: ErrorCode; message: string };

let generation = labelCacheGeneration();

function decode({ id, body, maxBytes }: DecodeRequest): DecodeReply {
  const raw = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const { labelSets, start, t, v, rejected, samples, metadata } = decodeWriteRequestParts(snappyDecompress(raw, maxBytes));
  const reset = generation !== labelCacheGeneration();
  generation = labelCacheGeneration();
  const labelIds = new Uint32Array(labelSets.length);
  const newLabels: [number, SeriesLabels][] = [];
  labelSets.forEach((decoded, i) => {
    labelIds[i] = decoded.id;
    if (!decoded.sent) {
      decoded.sent = true;
      newLabels.push([decoded.id, decoded.labels!]);
      decoded.labels = undefined; // the main thread keeps them: held once, not in both threads
    }
  });
  return { id, ok: true, reset, newLabels, labelIds, start, t, v, rejected, samples, metadata };
}

parentPort!.on('message', (request: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    reply = decode(request);
  } catch (err) {
    const e = err as { code?: ErrorCode; message?: string };
    reply = { id: request.id, ok: false, code: e.code ?? 'VIGIL_ERR_BODY_MALFORMED', message: e.message ?? String(err) };
  }
  parentPort!.postMessage(reply, reply.ok ? [reply.labelIds, reply.start, reply.t, reply.v].map((a) => a.buffer as ArrayBuffer) : []);
});
