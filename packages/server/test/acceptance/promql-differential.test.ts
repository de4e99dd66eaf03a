/**
 * PromQL against Debian's real Prometheus: the same series remote-written to
 * both, then the same queries through both HTTP APIs, compared value by value
 * (within 1e-9 relative).
 *
 * Counters start far from 0: Prometheus 2.42 limits rate extrapolation at a
 * counter's zero point before its half-interval rule, newer versions (and
 * Vigil) after it, which changes the first minutes of counters that start
 * near 0 (see docs/benchmarks.md). Query times fall between samples: 2.42's
 * range selectors include a sample exactly at the window's start, Prometheus
 * 3 (the upstream conformance suite, and Vigil) does not.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { snappyWriteRequest } from '../../src/ingest/remote-write/testing.ts';
import { startPrometheus } from './alerting-kit.ts';
import { eventually, removeDir, startVigil, type VigilProcess } from './vigil-process.ts';

const STEP_MS = 15_000;
const STEPS = 240; // one hour
const END = Math.floor(Date.now() / STEP_MS) * STEP_MS - STEP_MS;
const START = END - (STEPS - 1) * STEP_MS;

interface GeneratedSeries {
  labels: Record<string, string>;
  values: number[];
}

/** A small deterministic PRNG: the data is the same in every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

function generate(): GeneratedSeries[] {
  const rand = prng(42);
  const out: GeneratedSeries[] = [];
  for (let i = 0; i < 4; i++) {
    const instance = `10.0.0.${i}:9100`;
    for (const code of ['200', '500']) {
      let v = 10_000 * (i + 1) + (code === '500' ? 500 : 0);
      const values = Array.from({ length: STEPS }, (_, k) => {
        if (i === 2 && code === '200' && k === 150) v = 3; // a counter reset
        v += Math.floor(rand() * (code === '200' ? 40 : 4));
        return v;
      });
      out.push({ labels: { __name__: 'diff_requests_total', job: 'api', instance, code }, values });
    }
    out.push({
      labels: { __name__: 'diff_temperature_celsius', job: 'api', instance },
      values: Array.from({ length: STEPS }, (_, k) => 20 + 5 * Math.sin(k / 20 + i) + rand()),
    });
    let count = 5_000 * (i + 1);
    let sum = 400 * (i + 1);
    const buckets = [0.1, 0.25, 0.5, 1].map(() => [] as number[]);
    const counts: number[] = [];
    const sums: number[] = [];
    const cumulative = [0.4, 0.7, 0.9, 0.97].map((share) => Math.floor(count * share));
    for (let k = 0; k < STEPS; k++) {
      const n = 10 + Math.floor(rand() * 30);
      count += n;
      sum += n * (0.05 + rand() * 0.4);
      let left = n;
      for (let b = 0; b < 4; b++) {
        const inBucket = Math.floor(left * (0.3 + rand() * 0.4));
        left -= inBucket;
        cumulative[b] += n - left; // every observation up to this bucket
        buckets[b].push(b === 0 ? cumulative[0] : Math.max(cumulative[b], buckets[b - 1][k]));
      }
      counts.push(count);
      sums.push(sum);
    }
    [0.1, 0.25, 0.5, 1].forEach((le, b) => {
      out.push({ labels: { __name__: 'diff_latency_seconds_bucket', job: 'api', instance, le: String(le) }, values: buckets[b] });
    });
    out.push({ labels: { __name__: 'diff_latency_seconds_bucket', job: 'api', instance, le: '+Inf' }, values: counts });
    out.push({ labels: { __name__: 'diff_latency_seconds_count', job: 'api', instance }, values: counts });
    out.push({ labels: { __name__: 'diff_latency_seconds_sum', job: 'api', instance }, values: sums });
  }
  return out;
}

/** Remote-write bodies of 20 steps each, every series' samples in time order. */
function bodies(series: GeneratedSeries[]): Uint8Array<ArrayBuffer>[] {
  const out: Uint8Array<ArrayBuffer>[] = [];
  for (let from = 0; from < STEPS; from += 20) {
    const timeseries = series.map((s) => ({
      labels: Object.entries(s.labels)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => ({ name, value })),
      samples: s.values.slice(from, from + 20).map((value, j) => ({ value, timestamp: START + (from + j) * STEP_MS })),
    }));
    out.push(snappyWriteRequest({ timeseries }));
  }
  return out;
}

const QUERIES = [
  'diff_requests_total',
  'rate(diff_requests_total[5m])',
  'irate(diff_requests_total[2m])',
  'increase(diff_requests_total[10m])',
  'resets(diff_requests_total[30m])',
  'sum by (code) (rate(diff_requests_total[5m]))',
  'sum without (instance) (rate(diff_requests_total[5m]))',
  'rate(diff_requests_total{code="500"}[5m]) / ignoring(code) rate(diff_requests_total{code="200"}[5m])',
  'sum by (instance) (rate(diff_requests_total{code="500"}[5m])) / on(instance) group_left sum by (instance) (rate(diff_requests_total[5m]))',
  'topk(2, rate(diff_requests_total[5m]))',
  'bottomk(1, diff_temperature_celsius)',
  'histogram_quantile(0.95, sum by (le) (rate(diff_latency_seconds_bucket[5m])))',
  'histogram_quantile(0.5, rate(diff_latency_seconds_bucket[5m]))',
  'rate(diff_latency_seconds_sum[5m]) / rate(diff_latency_seconds_count[5m])',
  'avg_over_time(diff_temperature_celsius[10m])',
  'max_over_time(diff_temperature_celsius[10m]) - min_over_time(diff_temperature_celsius[10m])',
  'stddev_over_time(diff_temperature_celsius[10m])',
  'quantile_over_time(0.9, diff_temperature_celsius[10m])',
  'deriv(diff_temperature_celsius[10m])',
  'predict_linear(diff_temperature_celsius[10m], 600)',
  'delta(diff_temperature_celsius[10m])',
  'changes(diff_temperature_celsius[5m])',
  'avg(diff_temperature_celsius) by (job)',
  'stddev(diff_temperature_celsius)',
  'quantile(0.75, diff_temperature_celsius)',
  'count_values("bucket", diff_latency_seconds_bucket{le="+Inf"} > bool 0)',
  'diff_temperature_celsius offset 10m',
  // the subquery's steps are whole minutes: offset keeps its windows' starts off the samples (see above)
  'max_over_time(rate(diff_requests_total[5m] offset 7s)[15m:1m])',
  'clamp(diff_temperature_celsius, 18, 23)',
  'round(diff_temperature_celsius, 0.5)',
  'label_replace(diff_temperature_celsius, "host", "$1", "instance", "(.*):9100")',
  'diff_temperature_celsius > 22',
  'diff_temperature_celsius > bool 22',
  'absent(diff_nothing_total)',
  'sum(rate(diff_requests_total[5m])) * 60',
  'timestamp(diff_temperature_celsius)',
];

interface Matrix {
  metric: Record<string, string>;
  values: [number, string][];
}

let vigil: VigilProcess;
let prometheusUrl: string;
const cleanups: (() => unknown)[] = [];

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function rangeQuery(url: string, query: string): Promise<Matrix[]> {
  const start = START + 15 * 60_000 + 7_000;
  const params = new URLSearchParams({ query, start: String(start / 1000), end: String(END / 1000), step: '60' });
  const response = await fetch(`${url}/api/v1/query_range`, { method: 'POST', body: params });
  const body = (await response.json()) as { status: string; data: { result: Matrix[] }; error?: string };
  assert.equal(body.status, 'success', `${url}: ${query}: ${body.error}`);
  return body.data.result;
}

function key(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function sameValue(a: string, b: string): boolean {
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

/** Differences between two answers, as text (empty when they agree). */
function compare(got: Matrix[], want: Matrix[]): string[] {
  const problems: string[] = [];
  const wanted = new Map(want.map((m) => [key(m.metric), m]));
  if (got.length !== want.length) problems.push(`${got.length} series, Prometheus ${want.length}`);
  for (const m of got) {
    const w = wanted.get(key(m.metric));
    if (w === undefined) {
      problems.push(`series ${key(m.metric)} only in Vigil`);
      continue;
    }
    const points = new Map(w.values.map(([t, v]) => [t, v]));
    if (m.values.length !== w.values.length) problems.push(`${key(m.metric)}: ${m.values.length} points, Prometheus ${w.values.length}`);
    for (const [t, v] of m.values) {
      const pv = points.get(t);
      if (pv === undefined) problems.push(`${key(m.metric)} @${t}: only in Vigil`);
      else if (!sameValue(v, pv)) problems.push(`${key(m.metric)} @${t}: ${v}, Prometheus ${pv}`);
    }
  }
  return problems;
}

before(async () => {
  const untilAfter = { after: (cleanup: () => Promise<void>) => void cleanups.push(cleanup) };
  prometheusUrl = await startPrometheus(untilAfter, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n', {}, ['--web.enable-remote-write-receiver']);
  vigil = await startVigil();
  cleanups.push(async () => {
    await vigil.stop();
    removeDir(vigil.dataDir);
  });
  await eventually(async () => assert.equal((await fetch(`${prometheusUrl}/-/ready`)).status, 200), 30_000);
  const series = generate();
  for (const body of bodies(series)) {
    for (const url of [vigil.url, prometheusUrl]) {
      const response = await fetch(`${url}/api/v1/write`, { method: 'POST', headers: { 'content-encoding': 'snappy' }, body });
      assert.equal(response.status, 204, `${url}: ${await response.text()}`);
    }
  }
});

test('the same PromQL over the same samples gives the same answers as Prometheus, to 1e-9', async () => {
  const report: string[] = [];
  let points = 0;
  for (const query of QUERIES) {
    const [got, want] = await Promise.all([rangeQuery(vigil.url, query), rangeQuery(prometheusUrl, query)]);
    assert.ok(want.length > 0 || query.startsWith('absent'), `Prometheus answers nothing to ${query}: the data does not exercise it`);
    points += want.reduce((n, m) => n + m.values.length, 0);
    const problems = compare(got, want);
    if (problems.length > 0) report.push(`${query}:\n    ${problems.slice(0, 5).join('\n    ')}`);
  }
  assert.deepEqual(report, [], `Vigil and Prometheus differ:\n${report.join('\n')}`);
  assert.ok(points > 5_000, `only ${points} points compared`);
});
