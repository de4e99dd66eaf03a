/**
 * The ingest path in one process, without HTTP, stage by stage: snappy +
 * decode, normalise (with redaction), SQLite append. For profiling (`--cpu-prof`) and for
 * seeing what HTTP costs on top. Prints one figure per line.
 *
 *   node --import tsx packages/server/bench/ingest-profile.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedactor } from '@vigil/sdk/redact';
import { defaultConfig } from '../src/config/index.ts';
import { snappyDecompress } from '../src/ingest/body.ts';
import { normalisePush } from '../src/ingest/normalise.ts';
import { decodeLokiProtobuf } from '../src/ingest/loki-push/index.ts';
import { SqliteLogStore } from '../src/store/sqlite/log-writer.ts';
import { LINES_PER_PUSH, buildPush } from './workload.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigil-ingest-'));
const store = new SqliteLogStore({ dataDir: dir, maxStreamsPerTenant: 10_000 });
const config = defaultConfig();
const now = Date.now();
const bodies = Array.from({ length: 300 }, (_, i) => buildPush(i, now - 600_000 + i * 1000, now - 599_000 + i * 1000));
const stages = { decode: 0, normalise: 0, store: 0 };
const limits = {
  maxLabelsPerStream: 15,
  maxLabelNameLength: 1024,
  maxLabelValueLength: 2048,
  maxLineBytes: 256 * 1024,
  futureGraceMs: 600_000,
  retentionMs: { ...config.retention },
};
const redactor = createRedactor();
const started = performance.now();
for (const body of bodies) {
  let t = performance.now();
  const decoded = decodeLokiProtobuf(snappyDecompress(body, 64 << 20));
  stages.decode += performance.now() - t;
  t = performance.now();
  const { batches } = normalisePush(decoded.request, limits, redactor, now);
  stages.normalise += performance.now() - t;
  t = performance.now();
  store.append('default', batches);
  stages.store += performance.now() - t;
}
const seconds = (performance.now() - started) / 1000;
const lines = bodies.length * LINES_PER_PUSH;
console.log(`ingest_in_process_lines_per_second ${Math.round(lines / seconds)}`);
console.log(`decode_us_per_line ${((stages.decode * 1000) / lines).toFixed(2)}`);
console.log(`normalise_and_redact_us_per_line ${((stages.normalise * 1000) / lines).toFixed(2)}`);
console.log(`store_append_us_per_line ${((stages.store * 1000) / lines).toFixed(2)}`);
store.close();
rmSync(dir, { recursive: true, force: true });
