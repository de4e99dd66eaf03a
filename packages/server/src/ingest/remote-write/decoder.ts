/**
 * Decodes remote-write bodies on a worker thread (decode-worker.ts), in
 * arrival order, so that decoding one request overlaps appending the one
 * before: decoding and appending each cost about half of remote write's CPU.
 */
import type { Worker } from 'node:worker_threads';
import { VigilError } from '../../errors.ts';
import { startTypeScriptWorker } from '../../ts-worker.ts';
import { LabelValueInterner, type SeriesLabels } from '../../tsdb/index.ts';
import type { BodyLimits } from '../body.ts';
import { checkRemoteWriteHeaders, type RemoteWriteHeaders, type RemoteWriteResult } from './decode.ts';
import type { DecodeReply, DecodeRequest } from './decode-worker.ts';

interface Pending {
  resolve: (result: RemoteWriteResult) => void;
  reject: (err: Error) => void;
}

export class RemoteWriteDecoder {
  /** Started by the first request (~20 MB that a server without remote write does not need). */
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  /** Label sets by the worker's ids, frozen (the TSDB finds series by a frozen object's identity). */
  private labelsById: SeriesLabels[] = [];
  private readonly labelValues = new LabelValueInterner();
  private nextId = 1;
  private closed = false;

  async decode(raw: Buffer, headers: RemoteWriteHeaders, limits: BodyLimits): Promise<RemoteWriteResult> {
    checkRemoteWriteHeaders(headers);
    if (this.closed) throw new VigilError('VIGIL_ERR_STORE_UNAVAILABLE', 'the server is shutting down');
    const body = new Uint8Array(raw); // a copy the worker can own: request bodies may share a pooled buffer
    const request: DecodeRequest = { id: this.nextId++, body, maxBytes: limits.maxBytes };
    const worker = (this.worker ??= this.spawn());
    return await new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref(); // an idle decoder does not keep the process alive
      this.pending.set(request.id, { resolve, reject });
      worker.postMessage(request, [body.buffer]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.terminate();
  }

  private spawn(): Worker {
    // A small young generation: the worker's garbage is short-lived and RSS is a figure we are measured on.
    const worker = startTypeScriptWorker(new URL('./decode-worker.ts', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    worker.on('message', (reply: DecodeReply) => this.finish(reply));
    worker.on('error', (err) => this.failAll(`remote write decoder failed: ${err.message}`));
    worker.on('exit', () => {
      if (this.closed) return;
      this.failAll('remote write decoder stopped');
      this.labelsById = [];
      this.worker = undefined; // the next request starts another
    });
    worker.unref();
    return worker;
  }

  private finish(reply: DecodeReply): void {
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (!reply.ok) {
      pending?.reject(new VigilError(reply.code, reply.message));
      return;
    }
    if (reply.reset) this.labelsById = [];
    for (const [id, labels] of reply.newLabels) this.labelsById[id] = Object.freeze(this.labelValues.intern(labels));
    const labels = Array.from(reply.labelIds, (id) => this.labelsById[id]);
    pending?.resolve({
      batch: { labels, start: reply.start, t: reply.t, v: reply.v },
      rejected: reply.rejected,
      samples: reply.samples,
      metadata: reply.metadata,
    });
  }

  /** Clients are told 503: remote-write senders retry it. */
  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new VigilError('VIGIL_ERR_STORE_UNAVAILABLE', message));
    this.pending.clear();
  }
}
