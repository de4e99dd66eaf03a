/**
 * Delivery of one batch: POST it, retry what is safe to retry (network
 * errors, timeouts, 408, 429, 5xx) with exponential backoff and full jitter
 * or after the server's Retry-After, give up at once on other 4xx, and stop
 * when the shipper closes. Outcomes are counted; nothing throws.
 */
import type { Warnings } from './drop-report.ts';
import type { Entry } from './line-queue.ts';
import type { ResolvedShipOptions } from './options.ts';
import { encodePush, postPush, type PushBody } from './push-request.ts';

export interface SendCounts {
  sent: number;
  rejected: number;
  retries: number;
  failedBatches: number;
}

export class BatchSender {
  readonly #o: ResolvedShipOptions;
  readonly #counts: SendCounts;
  readonly #warnings: Warnings;
  readonly #drop: (lines: number, why: string) => void;
  readonly #cancel: AbortSignal;
  #wake: (() => void) | undefined;

  /** `cancel` (the shipper's close) stops retries and aborts the request in flight. */
  constructor(options: ResolvedShipOptions, counts: SendCounts, warnings: Warnings, drop: (lines: number, why: string) => void, cancel: AbortSignal) {
    this.#o = options;
    this.#counts = counts;
    this.#warnings = warnings;
    this.#drop = drop;
    this.#cancel = cancel;
  }

  /** Cuts a backoff short (flush and close want it now), unless the server asked for the wait. */
  wake(): void {
    this.#wake?.();
  }

  /** Sends until accepted (true), refused, out of retries, or cancelled. */
  async send(batch: readonly Entry[]): Promise<boolean> {
    const lines = batch.reduce((sum, entry) => sum + (entry.internal ? 0 : 1), 0);
    let push: PushBody;
    try {
      push = await encodePush(batch, this.#o.gzip);
    } catch (err) {
      this.#counts.failedBatches++;
      this.#drop(lines, `could not encode a batch: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    for (let attempt = 0; ; attempt++) {
      const outcome = await postPush(this.#o.pushUrl, push, this.#o.headers, this.#o.timeoutMs, this.#cancel);
      if (outcome.kind === 'sent') {
        this.#counts.sent += lines;
        return true;
      }
      if (outcome.kind === 'rejected') {
        // Loki has stored the batch's good lines; sending it again would only duplicate them
        this.#counts.failedBatches++;
        this.#counts.rejected += lines;
        this.#warnings.once(
          `http-${outcome.status}`,
          `the server refused a batch of ${lines} lines with HTTP ${outcome.status}, not retried` +
            ` (shown once for this status): ${outcome.message}`,
        );
        return false;
      }
      if (this.#cancel.aborted) {
        this.#drop(lines, 'not sent before close');
        return false;
      }
      if (attempt >= this.#o.maxRetries) {
        this.#counts.failedBatches++;
        this.#drop(lines, `gave up a batch after ${attempt + 1} attempts: ${outcome.reason}`);
        return false;
      }
      this.#warnings.once(`retry-${outcome.reason}`, `push to ${this.#o.pushUrl} failed (${outcome.reason}); retrying with backoff`);
      this.#counts.retries++;
      await this.#backoff(attempt, outcome.retryAfterMs);
    }
  }

  /** Full jitter below a doubling ceiling, so many clients coming back do not retry in step. */
  #backoff(attempt: number, retryAfterMs: number | undefined): Promise<void> {
    const ceiling = Math.min(this.#o.maxBackoffMs, this.#o.minBackoffMs * 2 ** attempt);
    const ms = retryAfterMs ?? Math.random() * ceiling;
    const signal = this.#cancel;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      // unreferenced: a retry alone does not keep the application alive
      const timer = setTimeout(done, ms).unref();
      signal.addEventListener('abort', done, { once: true });
      if (retryAfterMs === undefined) this.#wake = done;
    });
  }
}
