/**
 * What a query worker does for query_range, in process and without HTTP:
 * read the TSDB (SQLite + chunk decoding), evaluate, shape the API answer
 * and serialise it. The data is shaped like metrics-vs-peers' workload:
 * exporter targets of 100 series (20 request counters, 60 latency buckets,
 * 20 gauges) with 120 samples at 15 s, each target offset inside the step.
 * Prints per query the median total (and the minimum, steadier on a shared
 * machine) and its parts (ms), so a change can be judged without starting
 * the peers.
 *
 *   node --import tsx packages/server/bench/promql-tsdb-range.ts [--series 10000] [--runs 7]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evalRange, formatPromApiJson } from '../src/promql/index.ts';
import { TsdbQuerier, TsdbWriter } from '../src/tsdb/index.ts';
import type { Series, SeriesLabels } from '../src/tsdb/model.ts';
import { median } from './workload.ts';

const { values: args } = parseArgs({ options: { series: { type: 'string', default: '10000' }, runs: { type: 'string', default: '7' } } });
const TARGETS = Number(args.series) / 100;
const RUNS = Number(args.runs);
const STEP = 15_000;
const SAMPLES = 120;
const end = Math.floor(Date.now() / STEP) * STEP;
const start = end - (SAMPLES - 1) * STEP;

let seed = 7;
const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

interface Gen { labels: SeriesLabels; next: () => number; offset: number }
const gens: Gen[] = [];
const JOBS = ['api', 'worker', 'billing', 'gateway', 'scheduler'];
const LES = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
const counter = (rate: number): (() => number) => {
  let v = Math.floor(rand() * 1e5);
  return () => (v += Math.round(rate * 15 * (0.7 + rand() * 0.6)));
};
for (let k = 0; k < TARGETS; k++) {
  const base = { job: JOBS[k % JOBS.length], instance: `10.0.${k >> 8}.${k & 255}:9100` };
  const offset = Math.floor(rand() * STEP);
  for (let h = 0; h < 5; h++) {
    for (const code of ['200', '400', '404', '500']) {
      gens.push({ labels: { __name__: 'http_requests_total', ...base, handler: `/h${h}`, code }, next: counter(0.2 + rand() * 40), offset });
    }
    LES.forEach((le, i) => {
      gens.push({ labels: { __name__: 'http_request_duration_seconds_bucket', ...base, handler: `/h${h}`, le }, next: counter((i + 1) * 2), offset });
    });
  }
  for (let g = 0; g < 20; g++) {
    let v = rand() * 1e8;
    gens.push({ labels: { __name__: `gauge_${g}`, ...base }, next: () => (v += (rand() - 0.5) * 1e5), offset });
  }
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-promql-tsdb-'));
const writer = new TsdbWriter({ dir, now: () => end + STEP });
for (let s0 = 0; s0 < SAMPLES; s0 += 20) {
  const batch: Series[] = gens.map((g) => ({
    labels: g.labels,
    samples: Array.from({ length: 20 }, (_, j) => ({ t: start + (s0 + j) * STEP + g.offset, v: g.next() })),
  }));
  writer.append('bench', batch);
}
// Left open: as in a running server, the samples are read from the head chunks.
writer.flushHead();

const queries: [string, string][] = [
  ['rate', 'rate(http_requests_total[5m])'],
  ['sum_by_job_rate', 'sum by (job) (rate(http_requests_total[5m]))'],
  ['histogram_quantile', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'],
  ['topk', 'topk(5, rate(http_requests_total[5m]))'],
];

console.log(`machine ${cpus().length}x ${cpus()[0].model.trim()} node ${process.version}`);
console.log(`series ${gens.length}`);
const querier = new TsdbQuerier({ dir, tenant: 'bench' });
const qEnd = end + STEP;
const totals: number[] = [];
for (const [name, query] of queries) {
  const evalMs: number[] = [];
  const formatMs: number[] = [];
  const total: number[] = [];
  let points = 0;
  for (let r = 0; r <= RUNS; r++) {
    const t0 = performance.now();
    const result = evalRange(query, querier, start, qEnd, STEP);
    const t1 = performance.now();
    const json = `{"status":"success","data":${formatPromApiJson(result)}}`;
    const t2 = performance.now();
    if (r === 0) {
      points = result.result.reduce((n, s) => n + s.points.length, 0);
      if (points === 0 || json.length === 0) throw new Error(`${name}: empty answer`);
      continue;
    }
    evalMs.push(t1 - t0);
    formatMs.push(t2 - t1);
    total.push(t2 - t0);
  }
  totals.push(median(total));
  console.log(`query_${name}_ms ${median(total).toFixed(1)} (min ${Math.min(...total).toFixed(1)}; eval ${median(evalMs).toFixed(1)}, format+json ${median(formatMs).toFixed(1)}, ${points} points)`);
}
console.log(`query_sum_of_medians_ms ${totals.reduce((a, b) => a + b, 0).toFixed(1)}`);
querier.close();
writer.close();
rmSync(dir, { recursive: true, force: true });
