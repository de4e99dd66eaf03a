/**
 * In-process PromQL range evaluation speed: 10k counter series and a classic
 * histogram in a MemoryQuerier, 30 minutes at a 15 s step. Prints one
 * figure per line (median of several runs, ms).
 *
 *   node --import tsx packages/server/bench/promql-range.ts [runs]
 */
import { evalRange, MemoryQuerier } from '../src/promql/index.ts';

const runs = Number(process.argv[2] ?? 7);
const stepMs = 15_000;
const end = 1_700_000_000_000;
const start = end - 30 * 60_000;
const scrapeMs = 18_000;
const samplesPerSeries = 120;
const first = end - (samplesPerSeries - 1) * scrapeMs;

let seed = 42;
const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);

const q = new MemoryQuerier();
const counter = (rate: number, resetAt = -1) => {
  const samples = [];
  let v = 0;
  for (let i = 0; i < samplesPerSeries; i++) {
    if (i === resetAt) v = 0;
    v += Math.floor(rate * (0.5 + rand()) * 18);
    samples.push({ t: first + i * scrapeMs, v });
  }
  return samples;
};
for (let j = 0; j < 100; j++) {
  for (let i = 0; i < 100; i++) {
    q.add({ __name__: 'http_requests_total', job: `job-${j}`, instance: `host-${i}:9100` }, counter(1 + (i % 7), i % 13 === 0 ? 60 : -1));
  }
}
const les = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
for (let j = 0; j < 10; j++) {
  for (let i = 0; i < 20; i++) {
    const base = counter(10);
    les.forEach((le, k) => {
      const frac = (k + 1) / les.length;
      q.add(
        { __name__: 'http_request_duration_seconds_bucket', job: `job-${j}`, instance: `host-${i}:9100`, le },
        base.map((s) => ({ t: s.t, v: Math.floor(s.v * frac) })),
      );
    });
  }
}

const queries: Record<string, string> = {
  rate: 'rate(http_requests_total[5m])',
  sum_by_job_rate: 'sum by (job) (rate(http_requests_total[5m]))',
  histogram_quantile: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
  topk_rate: 'topk(5, rate(http_requests_total[5m]))',
};

for (const [name, query] of Object.entries(queries)) {
  const times: number[] = [];
  let check = 0;
  for (let r = 0; r < runs + 1; r++) {
    const t0 = performance.now();
    const res = evalRange(query, q, start, end, stepMs);
    const dt = performance.now() - t0;
    if (r > 0) times.push(dt);
    check = res.result.length;
  }
  if (check === 0) throw new Error(`${name}: empty result`);
  times.sort((a, b) => a - b);
  console.log(`promql_${name}_ms ${times[times.length >> 1].toFixed(1)}`);
}
