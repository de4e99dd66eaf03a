/**
 * One evaluation cycle of 1,000 alerting rules over 10,000 series, through
 * the server's own path in process: a TsdbWriter filled with 30 minutes of
 * counters at 15 s, a QueryWorkerPool of 2 workers over it (as on 2 cores),
 * and the RuleManager with its SQLite state, alert ledger and ALERTS series.
 * Time is the bench's: before each cycle one more 15 s sample per series is
 * appended (untimed, as a scrape would) and the clock moves to it, so every
 * run sees the same data; timers never fire, each cycle is one explicit
 * evaluateAll(), after one warm-up cycle. Target: under 1 s per cycle on 2
 * cores. Prints one figure per line.
 *
 *   node --import tsx packages/server/bench/rules-cycle.ts [--cycles 7] [--workers 2]
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { AlertLedger } from '../src/alerting/ledger.ts';
import { RuleManager } from '../src/alerting/rule-manager.ts';
import type { Clock } from '../src/clock.ts';
import type { Alert } from '../src/dispatch/model.ts';
import { QueryWorkerPool } from '../src/query/worker-pool.ts';
import { loadRuleFiles } from '../src/rules/index.ts';
import { openDatabase } from '../src/store/sqlite/open.ts';
import { TsdbWriter, type Series } from '../src/tsdb/index.ts';
import { benchDir } from './peers.ts';
import { median } from './workload.ts';

const { values: args } = parseArgs({
  options: {
    cycles: { type: 'string', default: '7' },
    workers: { type: 'string', default: '2' },
  },
});
const CYCLES = Number(args.cycles);
const WORKERS = Number(args.workers);
if (!(Number.isInteger(CYCLES) && CYCLES > 0 && Number.isInteger(WORKERS) && WORKERS > 0)) {
  console.error(`--cycles and --workers must be positive integers, got ${args.cycles} and ${args.workers}`);
  process.exit(2);
}

const JOBS = 100;
const INSTANCES = 10;
const ROUTES = 5;
const STATUSES = ['200', '500'];
const SERIES = JOBS * INSTANCES * ROUTES * STATUSES.length;
const STEP_MS = 15_000;
const STEPS = 120; // 30 minutes
const BATCH_STEPS = 20; // samples per series per append, as a remote-write sender batches
const GROUPS = 10;
const TENANT = 'default';

/** Requests per second of one series: jobs differ in load, and in error ratio (0–9.5 %), so some rules fire. */
function requestRate(job: number, instance: number, status: string): number {
  const okRate = 2 + ((job * 7 + instance * 3) % 11);
  return status === '200' ? okRate : okRate * 0.005 * (job % 20);
}

interface Counter {
  labels: Record<string, string>;
  rate: number;
  value: number;
}

function counters(): Counter[] {
  const series: Counter[] = [];
  for (let job = 0; job < JOBS; job++) {
    for (let instance = 0; instance < INSTANCES; instance++) {
      for (let route = 0; route < ROUTES; route++) {
        for (const status of STATUSES) {
          const labels = { __name__: 'http_requests_total', job: `svc-${job}`, instance: `host-${instance}`, route: `/r${route}`, status };
          series.push({ labels: Object.freeze(labels), rate: requestRate(job, instance, status), value: 0 });
        }
      }
    }
  }
  return series;
}

/** Appends `steps` samples per counter, the first at `start`. */
function appendSteps(writer: TsdbWriter, series: Counter[], start: number, steps: number): void {
  const batch: Series[] = series.map((s) => ({
    labels: s.labels,
    samples: Array.from({ length: steps }, (_, j) => ({ t: start + j * STEP_MS, v: (s.value += Math.round(s.rate * (STEP_MS / 1000))) })),
  }));
  writer.append(TENANT, batch);
}

/** Ten rules per job, of the kinds teams write for an HTTP service; for: 0s except the last. */
function rulesFor(job: number): Record<string, unknown>[] {
  const sel = (extra = '') => `http_requests_total{job="svc-${job}"${extra}}`;
  const errors = sel(',status="500"');
  const rule = (alert: string, expr: string, extra: Record<string, unknown> = {}) => ({
    alert,
    expr,
    labels: { severity: 'high', team: `team-${job % 10}` },
    annotations: { summary: `{{ $labels.job }} ${alert}: {{ $value }}` },
    ...extra,
  });
  return [
    rule('HighErrorRatio', `sum by (job) (rate(${errors}[5m])) / sum by (job) (rate(${sel()}[5m])) > 0.08`),
    rule('HighInstanceLoad', `sum by (job, instance) (rate(${sel()}[5m])) > 60`),
    rule('RouteErrors', `sum by (job, route) (rate(${errors}[5m])) > 5`),
    rule('InstanceErrors', `sum by (job, instance) (rate(${errors}[5m])) > 3`),
    rule('ErrorBurst', `sum by (job) (increase(${errors}[10m])) > 15000`),
    rule('TrafficDrop', `sum by (job) (rate(${sel()}[5m])) < 10`),
    rule('InstanceImbalance', `max by (job) (sum by (job, instance) (rate(${sel()}[5m]))) > 2 * avg by (job) (sum by (job, instance) (rate(${sel()}[5m])))`),
    rule('NoTraffic', `absent(${sel(',status="200"')})`),
    rule('RouteSlowdown', `sum by (job, route) (irate(${sel()}[5m])) > 500`),
    rule('SustainedErrors', `sum by (job) (rate(${errors}[5m])) > 20`, { for: '5m' }),
  ];
}

function writeRuleFile(dir: string): string {
  const groups = Array.from({ length: GROUPS }, (_, g) => ({
    name: `services-${g}`,
    rules: Array.from({ length: JOBS / GROUPS }, (_, k) => rulesFor(g * (JOBS / GROUPS) + k)).flat(),
  }));
  const path = join(dir, 'bench.rules.yml');
  writeFileSync(path, stringify({ groups }));
  return path;
}

/** The bench moves time; only its explicit evaluateAll() runs, no interval ever fires. */
let benchNow = Math.floor(Date.now() / STEP_MS) * STEP_MS - STEPS * STEP_MS;
const benchClock: Clock = { now: () => benchNow, setInterval: () => ({ stop() {} }) };

const dataDir = benchDir('vigil-bench-rules-');
const filled = performance.now();
const writer = new TsdbWriter({ dir: join(dataDir, 'metrics') });
const series = counters();
for (let first = 0; first < STEPS; first += BATCH_STEPS) appendSteps(writer, series, benchNow + first * STEP_MS, BATCH_STEPS);
benchNow += (STEPS - 1) * STEP_MS;
console.error(`# ${SERIES} series × ${STEPS} samples written in ${(performance.now() - filled).toFixed(0)} ms`);
const specs = loadRuleFiles([writeRuleFile(dataDir)], dataDir);
const rules = specs.reduce((n, spec) => n + spec.rules.length, 0);

const queries = new QueryWorkerPool(dataDir, WORKERS, 30_000, () => writer.flushHead());
const db = openDatabase(join(dataDir, 'alerting.db'), '');
const errors: string[] = [];
let alertsSent = 0;
const manager = new RuleManager({
  db,
  clock: benchClock,
  queries,
  appender: writer,
  ledger: new AlertLedger(db),
  sendAlerts: (alerts: Alert[]) => void (alertsSent += alerts.length),
  tenant: TENANT,
  externalLabels: {},
  externalURL: 'http://vigil.example.com',
  resendDelayMs: 60_000,
  defaultIntervalMs: 60_000,
  queryTimeoutMs: 30_000,
  onError: (group, err) => errors.push(`${group}: ${(err as Error).message}`),
});
manager.load(specs);

/** One scrape's worth of samples, untimed, then one timed evaluation at its time. */
async function cycle(): Promise<number> {
  benchNow += STEP_MS;
  appendSteps(writer, series, benchNow, 1);
  const started = performance.now();
  await manager.evaluateAll();
  return performance.now() - started;
}

await cycle(); // warm-up: workers start, connections open, first alerts fire
const times: number[] = [];
for (let i = 0; i < CYCLES; i++) times.push(await cycle());
const states = manager.groups().flatMap((group) => group.snapshot());
const firing = states.filter((s) => s.state === 'firing').length;
const pending = states.filter((s) => s.state === 'pending').length;
manager.stop();
await queries.close();

console.error(`# machine ${cpus().length}x ${cpus()[0].model.trim()}, node ${process.version}, load ${loadavg()[0].toFixed(1)}, ${WORKERS} query workers`);
console.error(`# cycles (ms): ${times.map((t) => t.toFixed(0)).join(' ')}; ${pending} alerts pending, ${alertsSent} sent to the dispatcher`);
if (errors.length > 0) {
  console.error(`# ${errors.length} rule errors, first: ${errors[0]}`);
  process.exit(1);
}
console.log(`rules_cycle_ms_median ${median(times).toFixed(0)}`);
console.log(`rules_cycle_ms_max ${Math.max(...times).toFixed(0)}`);
console.log(`rules_per_cycle ${rules}`);
console.log(`series ${SERIES}`);
console.log(`alerts_firing ${firing}`);
