/**
 * The embedded metrics store: bytes on disk per sample for 1000 series × 1
 * day at 15 s (counters and gauges shaped like real exporters'), append
 * throughput, and select latency. Prints one figure per line: sizes and
 * select latencies first as written by the head (`_as_written`), then after
 * maintain() has compacted the finished day (compact.ts), with its cost.
 * The data ends at a UTC midnight, so the day is over when compaction runs.
 *
 *   node --import tsx packages/server/bench/tsdb.ts [series] [hours]
 *
 * KEEP=1 keeps the store's directory (printed last) for inspection.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TsdbQuerier, TsdbWriter } from '../src/tsdb/index.ts';
import type { Series } from '../src/tsdb/model.ts';

const seriesCount = Number(process.argv[2] ?? 1000);
const hours = Number(process.argv[3] ?? 24);
const STEP = 15_000;
const steps = (hours * 3600_000) / STEP;
const BATCH_STEPS = 20; // samples per series per append: a remote-write sender's 5 min
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-tsdb-'));
const DAY = 86_400_000;
const end = Math.floor(Date.now() / DAY) * DAY;
const start = end - steps * STEP;

console.log(`machine ${cpus().length}x ${cpus()[0].model.trim()} node ${process.version}`);

// Deterministic PRNG.
let seed = 12345;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
};

type Gen = (i: number) => number;
/** Series kinds in exporter-like proportions. */
function generator(k: number): Gen {
  switch (k % 5) {
    case 0: {
      // request counter: integer increments
      let v = Math.floor(rand() * 1e6);
      const rate = 1 + Math.floor(rand() * 50);
      return () => (v += Math.floor(rand() * rate * 2));
    }
    case 1: {
      // cpu seconds counter: float increments
      let v = rand() * 1e5;
      return () => (v += rand() * 0.6);
    }
    case 2: {
      // memory bytes gauge: page-sized steps, often unchanged
      let v = 100_000_000 + Math.floor(rand() * 1e8);
      return () => (rand() < 0.3 ? (v += (Math.floor(rand() * 200) - 100) * 4096) : v);
    }
    case 3: {
      // histogram bucket counter: mostly unchanged at low rates
      let v = Math.floor(rand() * 1000);
      return () => (rand() < 0.4 ? (v += 1 + Math.floor(rand() * 3)) : v);
    }
    default: {
      // up / config gauge: constant
      return () => 1;
    }
  }
}

const labels = Array.from({ length: seriesCount }, (_, k) => ({
  __name__: ['http_requests_total', 'process_cpu_seconds_total', 'process_resident_memory_bytes', 'http_request_duration_seconds_bucket', 'up'][k % 5],
  job: `job-${k % 10}`,
  instance: `10.0.${Math.floor(k / 50)}.${k % 50}:9100`,
  series: String(k),
}));
const gens = labels.map((_, k) => generator(k));

let now = end;
let writer = new TsdbWriter({ dir, now: () => now });
let samples = 0;
let appendMs = 0;
for (let s0 = 0; s0 < steps; s0 += BATCH_STEPS) {
  const n = Math.min(BATCH_STEPS, steps - s0);
  const batch: Series[] = labels.map((l, k) => ({
    labels: l,
    samples: Array.from({ length: n }, (_, j) => ({ t: start + (s0 + j) * STEP, v: gens[k](s0 + j) })),
  }));
  const t0 = performance.now();
  writer.append('bench', batch);
  writer.flushHead(); // the server flushes the head every second
  appendMs += performance.now() - t0;
  samples += n * seriesCount;
}
console.log(`samples ${samples}`);
console.log(`append_batched_samples_per_s ${Math.round(samples / (appendMs / 1000))}`);

// Scrape-like: one sample per series per append.
const scrapeAppends = 100;
const t1 = performance.now();
for (let i = 0; i < scrapeAppends; i++) {
  writer.append(
    'bench',
    labels.map((l, k) => ({ labels: l, samples: [{ t: end + (i + 1) * STEP, v: gens[k](0) }] })),
  );
  writer.flushHead();
}
console.log(`append_scrape_like_samples_per_s ${Math.round((scrapeAppends * seriesCount) / ((performance.now() - t1) / 1000))}`);
writer.close(); // checkpoints the WALs
const total = samples + scrapeAppends * seriesCount;
const qEnd = end + scrapeAppends * STEP;
report('_as_written');

// A restart a minute later, then maintain() every minute as the server does, until every day is compacted.
now = qEnd + 60_000;
writer = new TsdbWriter({ dir, now: () => now });
let calls = 0;
let compactMs = 0;
let slowestCallMs = 0;
for (let compacted = 0; compacted < Math.ceil(hours / 24); calls++) {
  const t0 = performance.now();
  if (writer.maintain().compactedDay !== undefined) compacted++;
  const ms = performance.now() - t0;
  compactMs += ms;
  slowestCallMs = Math.max(slowestCallMs, ms);
  now += 60_000;
}
writer.maintain(); // deletes the original day files
writer.close();
console.log(`compaction_maintain_calls ${calls}`);
console.log(`compaction_total_ms ${compactMs.toFixed(0)}`);
console.log(`compaction_slowest_maintain_ms ${slowestCallMs.toFixed(0)}`);
report('');
if (process.env.KEEP) console.log(dir); else rmSync(dir, { recursive: true, force: true });

function report(suffix: string): void {
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  const chunkFiles = readdirSync(join(dir, 'chunks'));
  const chunkBytes = chunkFiles.reduce((sum, f) => sum + size(join(dir, 'chunks', f)), 0);
  const indexBytes = ['index.db', 'index.db-wal'].reduce((sum, f) => sum + size(join(dir, f)), 0);
  console.log(`chunk_bytes_per_sample${suffix} ${(chunkBytes / total).toFixed(2)}`);
  let payload = 0;
  for (const f of chunkFiles.filter((f) => f.endsWith('.db'))) {
    const db = new Database(join(dir, 'chunks', f), { readonly: true });
    payload += (db.prepare('SELECT sum(length(data)) AS n FROM chunks').get() as { n: number }).n;
    db.close();
  }
  console.log(`chunk_payload_bytes_per_sample${suffix} ${(payload / total).toFixed(2)}`);
  console.log(`total_bytes_per_sample_incl_index_and_head${suffix} ${((chunkBytes + indexBytes) / total).toFixed(2)}`);

  const q = new TsdbQuerier({ dir, tenant: 'bench' });
  const timed = (fn: () => unknown) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      fn();
      runs.push(performance.now() - t0);
    }
    return runs.sort((a, b) => a - b)[2].toFixed(1);
  };
  console.log(`select_1_series_1d_ms${suffix} ${timed(() => q.select([{ name: 'series', op: '=', value: '7' }], start, qEnd))}`);
  console.log(`select_100_series_1h_ms${suffix} ${timed(() => q.select([{ name: 'job', op: '=', value: 'job-3' }], qEnd - 3600_000, qEnd))}`);
  const midDay = start + 12 * 3600_000;
  console.log(`select_100_series_1h_old_ms${suffix} ${timed(() => q.select([{ name: 'job', op: '=', value: 'job-3' }], midDay, midDay + 3600_000))}`);
  console.log(`select_100_series_5m_old_ms${suffix} ${timed(() => q.select([{ name: 'job', op: '=', value: 'job-3' }], midDay, midDay + 300_000))}`);
  console.log(`select_200_series_regex_1d_ms${suffix} ${timed(() => q.select([{ name: '__name__', op: '=~', value: 'http_requests_.*' }], start, qEnd))}`);
  console.log(`select_all_series_1d_ms${suffix} ${timed(() => q.select([{ name: '__name__', op: '=~', value: '.+' }], start, qEnd))}`);
  console.log(`label_values_job_1d_ms${suffix} ${timed(() => q.labelValues('job', [], start, qEnd))}`);
  q.close();
}
