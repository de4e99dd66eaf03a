/**
 * The shipper: lines in, Loki pushes out, in the background. write() only
 * queues (it never blocks, never throws); one pump sends a batch at a time
 * when it is full or has waited flushIntervalMs, retrying what is safe to
 * retry. Memory is bounded: past maxBufferBytes/maxBufferLines the oldest
 * waiting lines are dropped and counted.
 */
import { DropReport, Warnings } from './drop-report.ts';
import { LevelNames, readLineMeta } from './line-meta.ts';
import { entryOverheadBytes, LineQueue, LineClock, type Entry, type StreamRef } from './line-queue.ts';
import { resolveShipOptions, type ResolvedShipOptions, type ShipOptions } from './options.ts';
import { BatchSender } from './batch-sender.ts';

export interface ShipStats {
  /** Lines the server accepted (2xx). */
  sent: number;
  /** Lines lost on our side: buffer full, retries exhausted, or still waiting at close. */
  dropped: number;
  /** Lines in batches the server refused with a 4xx (Loki stores a batch's valid lines anyway). */
  rejected: number;
  /** Requests repeated after a network error, timeout, 408, 429 or 5xx. */
  retries: number;
  /** Batches given up: refused with a 4xx or out of retries. */
  failedBatches: number;
  /** Lines waiting or in flight, and their bytes (as counted against maxBufferBytes). */
  bufferedLines: number;
  bufferedBytes: number;
}

export interface Shipper {
  /** Queues one line (a trailing newline is removed; a Buffer is read as UTF-8). Never throws, never waits. */
  write(line: string | Uint8Array): void;
  /** Resolves when every line written before it is sent or dropped, or after closeTimeoutMs. Never rejects. */
  flush(): Promise<void>;
  /** Flushes (bounded by closeTimeoutMs), then stops; lines still waiting count as dropped. Never rejects. */
  close(): Promise<void>;
  stats(): ShipStats;
  /** Custom pino levels, as pino's `levels.labels` ({ 35: 'notice' }), so they get their name as label. */
  addLevelNames(labels: Record<string, string>): void;
}

/** Throws a TypeError for bad options (naming the option); nothing else throws. */
export function createShipper(options: ShipOptions): Shipper {
  return new LokiShipper(resolveShipOptions(options));
}

interface Waiter {
  seq: number;
  resolve: () => void;
}

class LokiShipper implements Shipper {
  readonly #o: ResolvedShipOptions;
  readonly #queue = new LineQueue();
  readonly #levels = new LevelNames();
  readonly #streams = new Map<string, StreamRef>();
  /** One clock for all streams, so lines of one millisecond keep their order across levels too. */
  readonly #clock = new LineClock();
  readonly #warnings: Warnings;
  readonly #drops: DropReport;
  /** Aborted at close: stops retries and cancels the request in flight. */
  readonly #cancel = new AbortController();
  readonly #counts = { sent: 0, dropped: 0, rejected: 0, retries: 0, failedBatches: 0 };
  readonly #sender: BatchSender;
  #inFlight: Entry[] = [];
  #inFlightBytes = 0;
  /** Last sequence number given; lines up to #drainTo are sent even if their batch is not full. */
  #seq = 0;
  #drainTo = 0;
  #timer: NodeJS.Timeout | undefined;
  #pumping: Promise<void> | undefined;
  #waiters: Waiter[] = [];
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedShipOptions) {
    this.#o = options;
    this.#warnings = new Warnings(options.onWarning);
    this.#drops = new DropReport(options.dropReportIntervalMs, this.#warnings);
    this.#sender = new BatchSender(options, this.#counts, this.#warnings, (lines, why) => this.#drop(lines, why), this.#cancel.signal);
  }

  write(line: string | Uint8Array): void {
    try {
      if (this.#closing) {
        this.#drop(1, 'written after close');
        this.#warnings.once('write-after-close', 'a line was written after close() and dropped');
        return;
      }
      let text = typeof line === 'string' ? line : (line as unknown) instanceof Uint8Array ? Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString('utf8') : undefined;
      if (text === undefined) {
        this.#drop(1, 'not a string');
        this.#warnings.once('write-not-string', `write() takes a string line; got ${line === null ? 'null' : typeof line}, dropped`);
        return;
      }
      if (text.endsWith('\n')) text = text.slice(0, text.endsWith('\r\n') ? -2 : -1);
      if (text.length > 0) this.#enqueue(text, false);
    } catch (err) {
      this.#drop(1, 'could not be queued');
      this.#warnings.once('write-failed', `a line could not be queued and was dropped: ${messageOf(err)}`);
    }
  }

  flush(): Promise<void> {
    const target = this.#seq;
    if (this.#settledUpTo() >= target) return Promise.resolve();
    this.#drainTo = Math.max(this.#drainTo, target);
    this.#sender.wake(); // the caller wants it now: do not sit out a backoff
    this.#kick();
    return new Promise((resolve) => {
      const waiter: Waiter = { seq: target, resolve: () => (clearTimeout(timer), resolve()) };
      // referenced on purpose: a process awaiting flush() stays up, but only this long
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve();
      }, this.#o.closeTimeoutMs);
      this.#waiters.push(waiter);
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  stats(): ShipStats {
    return {
      ...this.#counts,
      bufferedLines: this.#queue.length + this.#inFlight.length,
      bufferedBytes: this.#queue.bytes + this.#inFlightBytes,
    };
  }

  addLevelNames(labels: Record<string, string>): void {
    try {
      this.#levels.addPinoLabels(labels);
    } catch {
      // an odd config from pino only costs the custom names
    }
  }

  async #shutDown(): Promise<void> {
    try {
      clearTimeout(this.#timer);
      await this.flush();
      this.#cancel.abort();
      await this.#pumping;
      let left = 0;
      for (let entry = this.#queue.shift(); entry; entry = this.#queue.shift()) if (!entry.internal) left++;
      this.#drop(left, 'not sent before close');
      this.#drops.toStderr('not sent before close');
    } catch (err) {
      this.#warnings.once('close-failed', `close failed: ${messageOf(err)}`);
    } finally {
      clearTimeout(this.#timer);
      for (const waiter of this.#waiters.splice(0)) waiter.resolve();
    }
  }

  #enqueue(line: string, internal: boolean): void {
    const meta = readLineMeta(line, this.#levels);
    const stream = this.#streamFor(meta.level);
    const bytes = Buffer.byteLength(line) + entryOverheadBytes;
    // the shipper's own report never pushes out an application line
    if (internal ? !this.#fits(bytes) : !this.#makeRoom(bytes)) {
      if (!internal) this.#drop(1, 'line larger than the free buffer');
      return;
    }
    const ts = this.#clock.stamp(meta.timeMs ?? Date.now());
    this.#queue.push({ seq: ++this.#seq, stream, ts, line, bytes, internal });
    this.#schedule();
  }

  /** One stream per level name at most: the label set stays small whatever the lines say. */
  #streamFor(level: string | undefined): StreamRef {
    const key = this.#o.levelLabel === false ? '' : (level ?? '');
    let stream = this.#streams.get(key);
    if (!stream) {
      const labels = key === '' ? this.#o.labels : Object.freeze({ ...this.#o.labels, [this.#o.levelLabel as string]: key });
      stream = { key, labels };
      this.#streams.set(key, stream);
    }
    return stream;
  }

  /** Drops the oldest waiting lines until `bytes` more fit; false if they cannot (the batch in flight holds the rest). */
  #makeRoom(bytes: number): boolean {
    let dropped = 0;
    while (!this.#fits(bytes) && this.#queue.length > 0) {
      if (!this.#queue.shift()!.internal) dropped++;
    }
    if (dropped > 0) {
      this.#drop(dropped, 'buffer full: the server is unreachable or slower than the application');
      this.#settle();
    }
    return this.#fits(bytes);
  }

  #fits(bytes: number): boolean {
    const { maxBufferBytes, maxBufferLines } = this.#o;
    return (
      this.#queue.bytes + this.#inFlightBytes + bytes <= maxBufferBytes &&
      this.#queue.length + this.#inFlight.length < maxBufferLines
    );
  }

  #due(): boolean {
    const head = this.#queue.peek();
    if (!head || this.#cancel.signal.aborted) return false;
    return this.#queue.bytes >= this.#o.batchBytes || this.#queue.length >= this.#o.batchLines || head.seq <= this.#drainTo;
  }

  #schedule(): void {
    if (this.#cancel.signal.aborted) return;
    if (this.#due()) {
      this.#kick();
    } else if (!this.#timer && this.#queue.length > 0) {
      // unreferenced: waiting lines alone do not keep the application alive (close() sends them)
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#drainTo = this.#seq;
        this.#kick();
      }, this.#o.flushIntervalMs).unref();
    }
  }

  #kick(): void {
    if (this.#pumping || this.#cancel.signal.aborted) return;
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      this.#schedule();
    });
  }

  async #pump(): Promise<void> {
    try {
      while (this.#due()) {
        const batch = this.#queue.take(this.#o.batchBytes, this.#o.batchLines);
        this.#inFlight = batch;
        this.#inFlightBytes = batch.reduce((sum, entry) => sum + entry.bytes, 0);
        const sent = await this.#sender.send(batch);
        this.#inFlight = [];
        this.#inFlightBytes = 0;
        if (sent) this.#recovered();
        this.#settle();
      }
    } catch (err) {
      this.#warnings.once('pump-failed', `shipping failed: ${messageOf(err)}`);
      this.#inFlight = [];
      this.#inFlightBytes = 0;
      this.#settle();
    }
  }

  /** After a success: say how many lines were lost, on stderr and to the server. */
  #recovered(): void {
    const lost = this.#drops.takeForServer();
    if (lost === 0) return;
    this.#drops.toStderr('while the server was unreachable or slow');
    const draining = this.#drainTo >= this.#seq;
    const line = JSON.stringify({
      level: 40,
      time: Date.now(),
      msg: `vigil ship: dropped ${lost} log lines while the server was unreachable or slow`,
      vigil_ship_dropped_lines: lost,
    });
    const before = this.#seq;
    this.#enqueue(line, true);
    if (this.#seq === before) this.#drops.restoreForServer(lost); // no room now: tell it next time
    else if (draining) this.#drainTo = this.#seq;
  }

  #drop(lines: number, why: string): void {
    if (lines <= 0) return;
    this.#counts.dropped += lines;
    this.#drops.dropped(lines, why);
  }

  #settledUpTo(): number {
    const oldest = this.#inFlight[0]?.seq ?? this.#queue.peek()?.seq;
    return oldest === undefined ? this.#seq : oldest - 1;
  }

  #settle(): void {
    if (this.#waiters.length === 0) return;
    const settled = this.#settledUpTo();
    const ready = this.#waiters.filter((w) => w.seq <= settled);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.seq > settled);
    for (const waiter of ready) waiter.resolve();
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
