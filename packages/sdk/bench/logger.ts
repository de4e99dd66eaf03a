/**
 * Cost per log line of Vigil's logger against its peers, one "name value"
 * figure per line. Run: node --import tsx packages/sdk/bench/logger.ts
 *
 * Targets: vigil_over_pino <= 1.5 (redaction and correlation on cost at
 * most half of bare pino again), winston_over_vigil >= 2.
 *
 * Fair by construction:
 * - every logger writes the same line content: severity, time, service, env,
 *   category, request_id, tenant, the same four caller fields and message.
 *   Vigil takes request_id and tenant from the request context (the point of
 *   it); pino and winston are handed them in each call, as code without a
 *   context would do. (pino_plain_ns_per_line: pino without those fields.)
 * - the same destination type for all: a synchronous no-op Writable
 *   (decodeStrings false) counting bytes, so no I/O is measured, only work.
 * - warm-up, then ROUNDS rounds with the loggers interleaved, median kept;
 *   each timed run also waits for work the logger deferred (winston emits
 *   'logged' on setImmediate), so nothing is left unpaid.
 */
import os from 'node:os';
import { Writable } from 'node:stream';
import pino from 'pino';
import winston from 'winston';
import { runWithContext } from '../src/context/index.ts';
import { createLogger } from '../src/logger/index.ts';
import { levelFields } from '../src/logger/levels.ts';

const BATCH = 2000;
const ROUNDS = 9;
const MIN_RUN_MS = 200;

let bytes = 0;
/** Each destination's last line, to print line sizes: the content must match. */
const sinks = new Map<string, { last: string | Buffer }>();
function nullDestination(name: string): Writable {
  const sink = { last: '' as string | Buffer };
  sinks.set(name, sink);
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      bytes += chunk.length;
      sink.last = chunk;
      callback();
    },
  });
}

const service = 'checkout';
const env = 'production';
const requestId = '3f2c1a4e-4b1d-4a9e-9d1e-0c3b9b0f7d2a';
const tenant = 'acme';
const routes = ['/orders/:id', '/orders', '/payments/:id/capture', '/health'];

/** The caller's fields of line i: a few typical ones, one varying. */
const fields = (i: number) => ({ order_id: `ORD-2026-${i}`, route: routes[i & 3], status: 200, duration_ms: i % 900 });
// The same plus what Vigil adds from the context. A literal, not a spread:
// a spread object is several times slower for pino to walk.
const withCorrelation = (i: number) => ({
  category: 'standard',
  request_id: requestId,
  tenant,
  order_id: `ORD-2026-${i}`,
  route: routes[i & 3],
  status: 200,
  duration_ms: i % 900,
});

const bare = pino({ base: { service, env }, formatters: { level: levelFields } }, nullDestination('pino'));
const barePlain = pino({ base: { service, env }, formatters: { level: levelFields } }, nullDestination('pino_plain'));
const vigil = createLogger({ service, env, destination: nullDestination('vigil') });
const vigilPlain = createLogger({ service, env, destination: nullDestination('vigil_no_redaction'), redact: false });
const win = winston.createLogger({
  level: 'info',
  defaultMeta: { service, env },
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Stream({ stream: nullDestination('winston') })],
});

type Workload = (i: number) => void;
const workloads: Record<string, Workload> = {
  pino: (i) => bare.info(withCorrelation(i), 'request completed'),
  pino_plain: (i) => barePlain.info(fields(i), 'request completed'),
  vigil: (i) => vigil.info(fields(i), 'request completed'),
  vigil_no_redaction: (i) => vigilPlain.info(fields(i), 'request completed'),
  winston: (i) => win.info('request completed', withCorrelation(i)),
};

const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

/** ns per line for one timed run of at least MIN_RUN_MS, deferred work included. */
async function timeRun(fn: Workload): Promise<number> {
  let count = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  do {
    for (let i = 0; i < BATCH; i++) fn(count + i);
    count += BATCH;
    await drain();
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < BigInt(MIN_RUN_MS) * 1_000_000n);
  return Number(elapsed) / count;
}

async function medians(): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(workloads)) (samples[name] ??= []).push(await timeRun(fn));
  }
  return Object.fromEntries(Object.entries(samples).map(([name, v]) => [name, v.sort((a, b) => a - b)[v.length >> 1]]));
}

await runWithContext({ requestId, tenant }, async () => {
  for (const fn of Object.values(workloads)) await timeRun(fn); // warm-up
  const ns = await medians();
  console.log(`machine ${os.cpus()[0]?.model.trim()} x${os.cpus().length}, node ${process.version}`);
  const figures: [string, number, number?][] = [
    ['pino_ns_per_line', ns.pino],
    ['pino_plain_ns_per_line', ns.pino_plain],
    ['vigil_ns_per_line', ns.vigil],
    ['vigil_no_redaction_ns_per_line', ns.vigil_no_redaction],
    ['winston_ns_per_line', ns.winston],
    ['vigil_over_pino', ns.vigil / ns.pino, 2],
    ['winston_over_vigil', ns.winston / ns.vigil, 2],
  ];
  for (const [name, value, digits = 0] of figures) console.log(`${name} ${value.toFixed(digits)}`);
  for (const name of ['pino', 'vigil', 'winston']) console.log(`${name}_line_bytes ${Buffer.byteLength(sinks.get(name)?.last ?? '')}`);
  // BENCH_SHOW_LINES=1 prints a line of each, to compare their content.
  if (process.env.BENCH_SHOW_LINES) for (const [name, sink] of sinks) console.error(name, String(sink.last).trim());
});
