/**
 * The benchmarks' workload: Loki protobuf+snappy pushes of ~200-byte JSON
 * lines, as a pino service behind pino-loki or Promtail would send them.
 */
import { compressSync } from 'snappy';
import { writeLokiPush } from '../src/ingest/testing.ts';

export const LINES_PER_PUSH = 1000;
const STREAMS_PER_PUSH = 10;
const routes = ['/v1/calls/:id', '/v1/webhooks/twilio', '/v1/webhooks/stripe', '/v1/appointments', '/v1/sms'];
const messages = ['request completed', 'request completed', 'request completed', 'upstream timeout', 'cache miss'];

/** About 200 bytes of JSON; one line in 50 contains "timeout". */
export function benchLine(i: number, timeMs: number): string {
  return JSON.stringify({
    level: i % 50 === 7 ? 50 : 30,
    time: timeMs,
    pid: 4242,
    request_id: `req-${(i * 2654435761) % 1_000_000_007}`,
    tenant: `tenant-${i % 7}`,
    route: routes[i % routes.length],
    status: i % 50 === 7 ? 504 : 200,
    duration_ms: (i % 997) / 10,
    msg: i % 50 === 7 ? 'upstream timeout' : messages[i % 3],
  });
}

/** One push of `lines` lines in 10 streams, spread evenly over [fromMs, toMs). */
export function buildPush(seed: number, fromMs: number, toMs: number, service = 'api', lines = LINES_PER_PUSH): Buffer {
  const perStream = Math.max(1, Math.floor(lines / STREAMS_PER_PUSH));
  const streams = Array.from({ length: STREAMS_PER_PUSH }, (_, s) => ({
    labels: `{service="${service}", env="prod", pod="${service}-${s}"}`,
    entries: Array.from({ length: perStream }, (_, e) => {
      const i = seed * LINES_PER_PUSH + s * perStream + e;
      const ms = fromMs + Math.floor(((toMs - fromMs) * e) / perStream);
      return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 + s, line: benchLine(i, ms) };
    }),
  }));
  return compressSync(writeLokiPush(streams));
}

export async function push(url: string, body: Buffer): Promise<number> {
  const response = await fetch(`${url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: new Uint8Array(body),
  });
  if (response.status !== 204) throw new Error(`push answered ${response.status}: ${await response.text()}`);
  return response.status;
}

/** Sends bodies with `concurrency` requests in flight; resolves with lines/s. */
export async function pushAll(url: string, bodies: Buffer[], concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) await push(url, bodies[next++]);
    }),
  );
  return (bodies.length * LINES_PER_PUSH) / ((performance.now() - started) / 1000);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
