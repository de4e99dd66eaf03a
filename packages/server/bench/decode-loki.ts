/**
 * Loki protobuf push decoding throughput: snappy + decodeLokiProtobuf on a
 * 1000-line push (10 streams × 100 entries, ~200-byte JSON lines), and, as
 * the peer measured in the same run, protobufjs decoding the same body from
 * push.proto (after the same snappy step; it yields Long timestamps and
 * unparsed label text, so it does less work than ours). Prints one
 * `name value` figure per line.
 *
 *   node --import tsx packages/server/bench/decode-loki.ts
 */
import { compressSync } from 'snappy';
import { snappyDecompress } from '../src/ingest/body.ts';
import { decodeLokiProtobuf } from '../src/ingest/loki-push/index.ts';
import { encodeWith, lokiPushType } from '../src/ingest/testing.ts';

const STREAMS = 10;
const PER_STREAM = 100;
const LINES = STREAMS * PER_STREAM;
const MAX_BYTES = 64 * 1024 * 1024;
const ROUNDS = 9;
const ROUND_MS = 200;

function line(i: number): string {
  const text = JSON.stringify({
    level: ['info', 'warn', 'error', 'debug'][i % 4],
    ts: new Date(1_700_000_000_000 + i * 7).toISOString(),
    msg: 'request completed',
    method: i % 3 === 0 ? 'POST' : 'GET',
    path: `/api/v1/orders/${100000 + i}`,
    status: i % 17 === 0 ? 500 : 200,
    duration_ms: (i % 997) / 10,
    trace_id: (0x1234567 * (i + 1)).toString(16).padStart(32, '0'),
  });
  return text.padEnd(200, ' ');
}

function buildBody(): Buffer {
  const PushRequest = lokiPushType();
  const streams = Array.from({ length: STREAMS }, (_, s) => ({
    labels: `{job="bench", app="app-${s}", env="prod", level="info"}`,
    entries: Array.from({ length: PER_STREAM }, (_, e) => {
      const i = s * PER_STREAM + e;
      return { timestamp: { seconds: 1_700_000_000 + Math.floor(i / 10), nanos: (i % 10) * 100_000_000 }, line: line(i) };
    }),
  }));
  return compressSync(encodeWith(PushRequest, { streams }));
}

/**
 * Lines per second of each decoder: rounds alternate between them so both
 * see the same machine load, and the median round is reported.
 */
function measure(fns: Array<() => number>): number[] {
  for (const fn of fns) for (let i = 0; i < 200; i++) fn();
  const rates: number[][] = fns.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    fns.forEach((fn, k) => {
      let lines = 0;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < ROUND_MS) {
        for (let i = 0; i < 10; i++) lines += fn();
        elapsed = performance.now() - start;
      }
      rates[k].push((lines / elapsed) * 1000);
    });
  }
  return rates.map((r) => Math.round(r.sort((a, b) => a - b)[r.length >> 1]));
}

type Decoded = { streams: Array<{ entries: unknown[] }> };

const body = buildBody();
const PushRequest = lokiPushType();

// Sanity check both decoders see every line before timing them.
const ours = decodeLokiProtobuf(snappyDecompress(body, MAX_BYTES)).request;
const theirs = PushRequest.decode(snappyDecompress(body, MAX_BYTES)) as unknown as Decoded;
const count = (n: number, s: { entries: unknown[] }) => n + s.entries.length;
if (ours.streams.reduce(count, 0) !== LINES || theirs.streams.reduce(count, 0) !== LINES) {
  throw new Error('benchmark body did not decode to 1000 lines');
}

// Same snappy step for both, so the ratio compares the protobuf decoders.
const [oursPerSecond, protobufjsPerSecond] = measure([
  () => decodeLokiProtobuf(snappyDecompress(body, MAX_BYTES)).request.streams.reduce(count, 0),
  () => (PushRequest.decode(snappyDecompress(body, MAX_BYTES)) as unknown as Decoded).streams.reduce(count, 0),
]);

console.log(`loki_protobuf_decode_lines_per_second ${oursPerSecond}`);
console.log(`protobufjs_decode_lines_per_second ${protobufjsPerSecond}`);
