/**
 * Runs query operations on worker threads, one query at a time per worker.
 * A query that outlives its timeout has its worker terminated and replaced:
 * a synchronous SQLite read cannot be interrupted any other way.
 */
import type { Worker } from 'node:worker_threads';
import { VigilError, type ErrorCode } from '../errors.ts';
import { startTypeScriptWorker } from '../ts-worker.ts';
import type { OperationArgs, OperationName } from './operations.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

interface Job {
  request: WorkerRequest;
  resolve: (json: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export interface QueryRunner {
  /** Resolves with the result serialised as UTF-8 JSON. */
  run<N extends OperationName>(op: N, tenant: string, args: OperationArgs<N>): Promise<Buffer>;
}

export class QueryWorkerPool implements QueryRunner {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly dataDir: string,
    size: number,
    private readonly timeoutMs: number,
    /** Runs before a query is handed to a worker: makes the metrics head readable (TsdbWriter.flushHead). */
    private readonly beforeDispatch: () => void = () => {},
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  run<N extends OperationName>(op: N, tenant: string, args: OperationArgs<N>): Promise<Buffer> {
    if (this.closed) return Promise.reject(new VigilError('VIGIL_ERR_STORE_UNAVAILABLE', 'the server is shutting down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, op, tenant, args }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new VigilError('VIGIL_ERR_STORE_UNAVAILABLE', 'the server is shutting down'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    // A young generation of 16 MB instead of V8's 48: it stays resident after a large
    // query, and query_range times measured the same (bench/metrics-vs-peers.ts).
    const worker = startTypeScriptWorker(new URL('./worker.ts', import.meta.url), {
      workerData: { dataDir: this.dataDir },
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    const slot: Slot = { worker };
    worker.on('message', (reply: WorkerReply) => this.finish(slot, reply));
    worker.on('error', (err) => this.replace(slot, 'VIGIL_ERR_STORE_UNAVAILABLE', `query worker failed: ${err.message}`));
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      this.beforeDispatch();
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(
        () => this.replace(slot, 'VIGIL_ERR_QUERY_TIMEOUT', `query timed out after ${this.timeoutMs} ms (query.timeout)`),
        this.timeoutMs,
      );
      slot.worker.postMessage(job.request);
    }
  }

  private finish(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    if (job && job.request.id === reply.id) {
      if ('json' in reply) job.resolve(Buffer.from(reply.json.buffer, reply.json.byteOffset, reply.json.byteLength));
      else job.reject(new VigilError(reply.error.code as ErrorCode, reply.error.message));
    }
    this.dispatch();
  }

  private replace(slot: Slot, code: ErrorCode, message: string): void {
    clearTimeout(slot.timer);
    slot.job?.reject(new VigilError(code, message));
    slot.job = undefined;
    void slot.worker.terminate();
    if (this.closed) return;
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots[index] = this.spawn();
    this.dispatch();
  }
}
