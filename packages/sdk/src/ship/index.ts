/**
 * @vigil/sdk ship: logs to a Loki push endpoint (Vigil's or Loki's own),
 * batched, gzipped, retried, in a pino transport worker or in process.
 *
 *   const logger = pino(pino.transport({
 *     target: shipTarget,
 *     options: { url: 'http://vigil:3100', labels: { service: 'booking', env: 'prod' }, tenant: 'acme' },
 *   }));
 *   logger.flush(); // sends what is pending; on exit pino ends the worker, which sends the rest
 *
 * API
 *   shipTarget                        file URL of the transport module, for pino.transport({ target })
 *   createShipper(options): Shipper   in process: write(line) / flush() / close() / stats()
 *   createShipStream(options)         a Writable of lines over a shipper (pino destination)
 *   defaultShipOptions                frozen defaults, documented on ShipOptions
 *
 * What is sent: each line unchanged, as JSON push (`streams[].values` of
 * ["<unix ns>", line]), gzipped. Streams are `labels` plus, per line, its
 * level name under `levelLabel` ('level'): at most one stream per level.
 * Time is the line's `time` (epoch s/ms/ns or ISO), else now; lines of the
 * same millisecond get consecutive nanoseconds, so their order survives.
 *
 * When it goes wrong: network errors, timeouts (timeoutMs), 408, 429 and 5xx
 * are retried (maxRetries) with exponential backoff and full jitter, or after
 * Retry-After; other 4xx are not (Loki has stored the batch's good lines) and
 * are warned about once per status. Lines waiting or in flight are bounded by
 * maxBufferBytes/maxBufferLines: the oldest waiting lines are dropped first,
 * counted in stats().dropped, reported on stderr at most once per
 * dropReportIntervalMs, and in one warn line to the server when it is back.
 * Nothing throws into the application except a bad option at creation (a
 * TypeError naming it; in a worker that becomes one stderr line instead).
 *
 * Flush and exit: logger.flush(cb) calls back once pending lines are sent
 * (or closeTimeoutMs passed). On exit pino ends the transport, and
 * thread-stream blocks the exiting thread until the worker has sent what is
 * pending (closeTimeoutMs, default 4 s, under thread-stream's own 10 s). So
 * the server must not live on that same thread. With pino's `targets: [...]`
 * form, logger.flush() does not reach the shipper (pino's multi-target
 * worker has no flush): lines go within flushIntervalMs and at exit.
 */
import { fileURLToPath } from 'node:url';

export { createShipper, type Shipper, type ShipStats } from './shipper.ts';
export { createShipStream, ShipStream } from './ship-stream.ts';
export { defaultShipOptions, type ShipOptions } from './options.ts';

/** The transport module for pino.transport({ target: shipTarget }): JavaScript that loads the TypeScript. */
export const shipTarget: string = new URL('./transport.mjs', import.meta.url).href;

/** The same as a path, for tools that want one. */
export const shipTargetPath: string = fileURLToPath(shipTarget);
