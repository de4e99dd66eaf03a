/**
 * The embedded metrics store: bytes on disk per sample for 1000 series × 1
 * day at 15 s (counters and gauges shaped like real exporters'), append
 * throughput, and select latency. Prints one figure per line.
 *
 *   node --import tsx packages/server/bench/tsdb.ts [series] [hours]
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
const end = Math.floor(Date.now() / STEP) * STEP;
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

const writer = new TsdbWriter({ dir, now: () => end });
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
const total = samples + scrapeAppends * seriesCount;
console.log(`chunk_bytes_per_sample ${(chunkBytes / total).toFixed(2)}`);
let payload = 0;
for (const f of chunkFiles.filter((f) => f.endsWith('.db'))) {
  const db = new Database(join(dir, 'chunks', f), { readonly: true });
  payload += (db.prepare('SELECT sum(length(data)) AS n FROM chunks').get() as { n: number }).n;
  db.close();
}
console.log(`chunk_payload_bytes_per_sample ${(payload / total).toFixed(2)}`);
console.log(`total_bytes_per_sample_incl_index_and_head ${((chunkBytes + indexBytes) / total).toFixed(2)}`);

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
const qEnd = end + scrapeAppends * STEP;
console.log(`select_1_series_1d_ms ${timed(() => q.select([{ name: 'series', op: '=', value: '7' }], start, qEnd))}`);
console.log(`select_100_series_1h_ms ${timed(() => q.select([{ name: 'job', op: '=', value: 'job-3' }], qEnd - 3600_000, qEnd))}`);
console.log(`select_200_series_regex_1d_ms ${timed(() => q.select([{ name: '__name__', op: '=~', value: 'http_requests_.*' }], start, qEnd))}`);
console.log(`select_all_series_1d_ms ${timed(() => q.select([{ name: '__name__', op: '=~', value: '.+' }], start, qEnd))}`);
console.log(`label_values_job_1d_ms ${timed(() => q.labelValues('job', [], start, qEnd))}`);
q.close();
rmSync(dir, { recursive: true, force: true });
