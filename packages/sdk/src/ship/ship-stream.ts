/**
 * The shipper as a Writable of newline-separated lines: what pino's
 * transport worker (thread-stream) writes to, flushes and ends. Usable in
 * process too, as a pino destination. It never emits 'error': in a worker
 * that would reach the application's logger as an uncaught error.
 */
import { Writable } from 'node:stream';
import { createShipper, type Shipper } from './shipper.ts';
import { defaultShipOptions, type ShipOptions } from './options.ts';

export class ShipStream extends Writable {
  readonly shipper: Shipper;
  #partial = '';
  #maxPartial: number;

  constructor(shipper: Shipper, maxLineBytes: number) {
    super({ decodeStrings: false });
    this.shipper = shipper;
    this.#maxPartial = maxLineBytes;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // thread-stream hands over whatever is in its ring buffer: several lines, or part of one
    const text = this.#partial + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const lines = text.split('\n');
    this.#partial = lines.pop()!;
    for (const line of lines) if (line.length > 0) this.shipper.write(line);
    // a "line" that never ends would otherwise grow without bound
    if (this.#partial.length > this.#maxPartial) {
      this.shipper.write(this.#partial);
      this.#partial = '';
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#partial.length > 0) this.shipper.write(this.#partial);
    this.#partial = '';
    // close() is bounded by closeTimeoutMs and never rejects
    this.shipper.close().then(() => callback(), () => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.shipper.close().then(() => callback(error), () => callback(error));
  }

  /** What thread-stream calls on logger.flush(): resolves once pending lines are sent (bounded). */
  flush(callback?: (error?: Error | null) => void): void {
    this.shipper.flush().then(() => callback?.(), () => callback?.());
  }
}

/** A Writable that ships each line it is given; throws a TypeError for bad options only. */
export function createShipStream(options: ShipOptions): ShipStream {
  const shipper = createShipper(options);
  return new ShipStream(shipper, options.batchBytes ?? defaultShipOptions.batchBytes);
}
