/**
 * Redaction cost per log line, one "name value" figure per line.
 * Run: node --import tsx packages/sdk/bench/redact.ts
 *
 * Target: the server ingests >= 100,000 lines/s of ~200-byte JSON lines on 2
 * cores with redaction on, so a clean line must cost well under ~3 us.
 * pino's `redact` is path-based (no pattern scan), so the peer figure is a
 * plain JSON.parse + JSON.stringify of the same lines.
 */
import { createRedactor } from '../src/redact/index.ts';

const LINES = 2000;
const ROUNDS = 9;
const MIN_RUN_MS = 150;

const levels = ['info', 'debug', 'warn', 'error'];
const msgs = ['request completed', 'order placed', 'cache miss for key', 'upstream slow', 'user logged in'];

function cleanLine(i: number): string {
  const ts = new Date(Date.UTC(2026, 10, 30, 5, 40, 0) + i * 1337).toISOString();
  const hex = (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(4);
  return JSON.stringify({
    ts,
    level: levels[i % levels.length],
    service: 'checkout',
    msg: msgs[i % msgs.length],
    order_id: `ORD-2026-${String(i).padStart(6, '0')}`,
    status: 200 + (i % 5),
    duration_ms: 3 + (i * 7) % 2000,
    trace_id: hex,
    ip: `192.168.${i % 256}.${(i * 3) % 256}`,
  });
}

function piiLine(i: number): string {
  const base = JSON.parse(cleanLine(i)) as Record<string, unknown>;
  base.user = `user${i}@example.com`;
  base.msg = `charged card 4111 1111 1111 1111 for order ${i}`;
  base.headers = { authorization: 'Bearer abc.def.ghi', 'x-request-id': 'r1' };
  base.password = 'hunter2';
  return JSON.stringify(base);
}

function textLine(i: number): string {
  return `2026-11-30T05:40:00Z INFO checkout ${msgs[i % msgs.length]} order=ORD-2026-${i} status=200 duration=${i % 900}ms`;
}

/** ns per line for one timed run of at least MIN_RUN_MS. */
function timeRun(lines: readonly string[], fn: (line: string) => string): number {
  let sink = 0;
  let count = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  do {
    for (const line of lines) sink += fn(line).length;
    count += lines.length;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < BigInt(MIN_RUN_MS) * 1_000_000n);
  if (sink === -1) console.log(sink); // keep the work observable to the JIT
  return Number(elapsed) / count;
}

/**
 * Runs every workload once per round, rounds interleaved, and reports the
 * median: on a shared machine this keeps the ratios honest.
 */
function medians(workloads: Record<string, [readonly string[], (line: string) => string]>): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, [lines, fn]] of Object.entries(workloads)) (samples[name] ??= []).push(timeRun(lines, fn));
  }
  return Object.fromEntries(Object.entries(samples).map(([name, v]) => [name, v.sort((a, b) => a - b)[v.length >> 1]]));
}

const redactor = createRedactor();
const clean = Array.from({ length: LINES }, (_, i) => cleanLine(i));
const pii = Array.from({ length: LINES }, (_, i) => piiLine(i));
const text = Array.from({ length: LINES }, (_, i) => textLine(i));
// One PII line in twenty: far more than real traffic, so a conservative mix.
const mixed = clean.map((line, i) => (i % 20 === 0 ? pii[i] : line));
const roundtrip = (line: string): string => JSON.stringify(JSON.parse(line));
const avgBytes = (lines: readonly string[]) => Math.round(lines.reduce((n, l) => n + Buffer.byteLength(l), 0) / lines.length);

const redact = (line: string): string => redactor.redactLine(line);
for (const lines of [clean, pii, text, mixed]) timeRun(lines, redact); // warm-up
const ns = medians({
  clean: [clean, redact],
  pii: [pii, redact],
  text: [text, redact],
  mixed: [mixed, redact],
  roundtrip: [clean, roundtrip],
});
const figures: [string, number][] = [
  ['clean_json_line_bytes', avgBytes(clean)],
  ['pii_json_line_bytes', avgBytes(pii)],
  ['redact_clean_json_line_ns_per_line', ns.clean],
  ['redact_pii_json_line_ns_per_line', ns.pii],
  ['redact_text_line_ns_per_line', ns.text],
  ['redact_mixed_5pct_pii_ns_per_line', ns.mixed],
  // One core, the 5%-PII mix; the ingest target is 100,000/s on two cores.
  ['redact_lines_per_second', 1e9 / ns.mixed],
  ['baseline_json_roundtrip_ns_per_line', ns.roundtrip],
];
for (const [name, value] of figures) console.log(`${name} ${Math.round(value)}`);
