/**
 * Vigil's metrics path against its peers, in one run on loopback: a started
 * `vigil` process, Debian's Prometheus (remote-write receiver on) and
 * Debian's VictoriaMetrics receive the same remote-write requests (10,000
 * series × 120 samples at 15 s, as Prometheus' remote write sends them), then
 * answer the same query_range set. Prints one figure per line: ingest
 * samples/s and server CPU per million samples, query_range medians and the
 * Vigil/peer ratios, RSS before and after ingest and peak RSS after the
 * queries, bytes on disk per sample while running and after a clean stop.
 * On stderr: each store's parts, and how the answers compare.
 *
 *   node --import tsx packages/server/bench/metrics-vs-peers.ts [--series 10000] [--runs 7]
 *     [--samples 120] [--shards 4] [--samples-per-request 2000]
 *
 * --series must be a multiple of 100 (one exporter target has 100 series);
 * --series 100000 takes about 7 minutes on 2 cores.
 *
 * Needs `prometheus` and `victoria-metrics` on PATH (Debian packages of those
 * names; PROMETHEUS_BIN / VICTORIA_METRICS_BIN override); exits 2 without
 * them. KEEP_DATA=1 keeps the data dirs.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, onPath, startPeer, startVigilServer, stopAll, type Server } from './peers.ts';
import { buildRemoteWrite, JOBS, sendWorkload, type RemoteWriteWorkload } from './metrics-workload.ts';

const { values: args } = parseArgs({
  options: {
    series: { type: 'string', default: '10000' },
    samples: { type: 'string', default: '120' },
    runs: { type: 'string', default: '7' },
    shards: { type: 'string', default: '4' },
    'samples-per-request': { type: 'string', default: '2000' },
  },
});
const SERIES = Number(args.series);
const SAMPLES_PER_SERIES = Number(args.samples);
const RUNS = Number(args.runs);
const SHARDS = Number(args.shards);
const SAMPLES_PER_REQUEST = Number(args['samples-per-request']);
const STEP_MS = 15_000;

// ---- peers ----------------------------------------------------------

const prometheusBin = process.env.PROMETHEUS_BIN ?? onPath('prometheus');
const victoriaBin = process.env.VICTORIA_METRICS_BIN ?? onPath('victoria-metrics');
const missing = [
  prometheusBin === undefined ? "`prometheus` (Debian: apt-get install prometheus; or set PROMETHEUS_BIN)" : '',
  victoriaBin === undefined ? '`victoria-metrics` (Debian: apt-get install victoria-metrics; or set VICTORIA_METRICS_BIN)' : '',
].filter(Boolean);
if (missing.length > 0) {
  console.error(`metrics-vs-peers needs the peer servers on PATH; missing: ${missing.join(', ')}`);
  process.exit(2);
}

async function startPrometheus(): Promise<Server> {
  const dir = benchDir('vigil-bench-prom-');
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const data = join(dir, 'data');
  return startPeer(
    'prometheus',
    prometheusBin!,
    (port) => [
      '--web.enable-remote-write-receiver',
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    '/-/ready',
    data,
  );
}

async function startVictoriaMetrics(): Promise<Server> {
  const dir = benchDir('vigil-bench-vm-');
  const data = join(dir, 'data');
  mkdirSync(data);
  return startPeer(
    'victoriametrics',
    victoriaBin!,
    (port) => [
      `-storageDataPath=${data}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-search.latencyOffset=0s',
      '-search.disableCache',
      '-loggerLevel=WARN',
    ],
    '/health',
    data,
  );
}

// ---- measurements ------------------------------------------------------

/** VmRSS (resident now) or VmHWM (peak resident), MB. */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no ${field} for pid ${pid}`);
  return Number(kb) / 1024;
}

/** utime + stime of the process (all its threads), seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += dirBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Prints the store's bytes per sample; its top-level parts go to stderr. */
function diskFigure(server: Server, when: 'running' | 'stopped'): void {
  // VictoriaMetrics persists its caches into cache/ on shutdown: not data, left out.
  const cache = join(server.storeDir, 'cache');
  const bytes = dirBytes(server.storeDir) - (server.name === 'victoriametrics' && existsSync(cache) ? dirBytes(cache) : 0);
  console.log(`${server.name}_disk_bytes_per_sample_${when} ${(bytes / SERIES / SAMPLES_PER_SERIES).toFixed(2)}`);
  const parts = readdirSync(server.storeDir, { withFileTypes: true }).map((e) => {
    const path = join(server.storeDir, e.name);
    return `${e.name} ${((e.isDirectory() ? dirBytes(path) : statSync(path).size) / 1e6).toFixed(1)} MB`;
  });
  console.error(`# ${server.name} store ${when}: ${parts.join(', ')}`);
}

interface Matrix {
  metric: Record<string, string>;
  values: [number, string][];
}

async function promApi(server: Server, path: string, params: Record<string, string>): Promise<Matrix[]> {
  const response = await fetch(`${server.url}${path}?${new URLSearchParams(params)}`);
  const text = await response.text();
  let body: { status?: string; error?: string; data?: { result?: Matrix[] } };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${server.name} ${path} ${params.query}: ${response.status} ${text.slice(0, 500)}`);
  }
  if (response.status !== 200 || body.status !== 'success' || !Array.isArray(body.data?.result)) {
    throw new Error(`${server.name} ${path} ${params.query}: ${response.status} ${text.slice(0, 500)}`);
  }
  return body.data.result;
}

/** Waits until every series sent is visible at the last sample time. */
async function waitVisible(server: Server, workload: RemoteWriteWorkload): Promise<void> {
  if (server.name === 'victoriametrics') await fetch(`${server.url}/internal/force_flush`);
  const query = `count({job=~"${JOBS.join('|')}"})`;
  const deadline = Date.now() + 60_000;
  let seen = 'nothing';
  for (;;) {
    const result = await promApi(server, '/api/v1/query', { query, time: String(workload.endMs / 1000) });
    seen = (result[0] as unknown as { value?: [number, string] })?.value?.[1] ?? 'nothing';
    if (Number(seen) === workload.series) return;
    if (Date.now() > deadline) throw new Error(`${server.name}: ${query} is ${seen} 60 s after ingest, expected ${workload.series}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const queries: [string, string][] = [
  ['rate', 'rate(http_requests_total[5m])'],
  ['sum_by_job_rate', 'sum by (job) (rate(http_requests_total[5m]))'],
  ['histogram_quantile', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'],
  ['topk', 'topk(5, rate(http_requests_total[5m]))'],
];

function seriesKey(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).filter(([k]) => k !== '__name__').sort());
}

/** How two answers differ on the series and steps both have: largest relative difference, points over 1e-6. */
function compareAnswers(a: Matrix[], b: Matrix[]): { diff: number; compared: number; differing: number } {
  const other = new Map(b.map((m) => [seriesKey(m.metric), new Map(m.values.map(([t, v]) => [t, Number(v)]))]));
  let diff = 0;
  let compared = 0;
  let differing = 0;
  for (const m of a) {
    const values = other.get(seriesKey(m.metric));
    if (values === undefined) continue;
    for (const [t, v] of m.values) {
      const w = values.get(t);
      if (w === undefined) continue;
      compared++;
      const x = Number(v);
      const d = Math.abs(x - w) / Math.max(Math.abs(x), Math.abs(w), 1e-12);
      if (d > diff) diff = d;
      if (d > 1e-6) differing++;
    }
  }
  return { diff, compared, differing };
}

// ---- the run -----------------------------------------------------------

const fmt = (n: number, digits = 0) => n.toFixed(digits);
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

console.log(`machine ${cpus().length}x ${cpus()[0].model.trim()} node ${process.version}`);
// The last scrape round starts a step before the current one, so no sample is in the future.
const endMs = Math.floor(Date.now() / STEP_MS) * STEP_MS - STEP_MS;
const workload = buildRemoteWrite({
  series: SERIES,
  samplesPerSeries: SAMPLES_PER_SERIES,
  stepMs: STEP_MS,
  endMs,
  shards: SHARDS,
  samplesPerRequest: SAMPLES_PER_REQUEST,
});
console.log(`series ${workload.series}`);
console.log(`samples ${workload.samples}`);
console.log(`remote_write_requests ${workload.requests}`);
console.log(`remote_write_request_bytes_snappy ${fmt(workload.bodyBytes / workload.requests)}`);
console.log(`remote_write_request_bytes_raw ${fmt(workload.rawBytes / workload.requests)}`);

const servers: Server[] = [];
let failed = false;
try {
  servers.push(...(await Promise.all([startVigilServer(), startPrometheus(), startVictoriaMetrics()])));

  // Idle memory, for scale: a Node process with its loader and query worker starts above a Go binary.
  for (const server of servers) console.log(`${server.name}_rss_mb_before_ingest ${fmt(rssMb(server.pid))}`);

  // Ingest, one server at a time so that they do not share the cores.
  const sps = new Map<string, number>();
  for (const server of servers) {
    const cpuBefore = cpuSeconds(server.pid);
    const ms = await sendWorkload(`${server.url}/api/v1/write`, workload);
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    sps.set(server.name, workload.samples / (ms / 1000));
    console.log(`${server.name}_remote_write_samples_per_second ${fmt(workload.samples / (ms / 1000))}`);
    console.log(`${server.name}_remote_write_cpu_seconds_per_million_samples ${fmt(cpu / (workload.samples / 1e6), 2)}`);
  }
  console.log(`vigil_over_prometheus_ingest ${fmt(sps.get('vigil')! / sps.get('prometheus')!, 2)}`);
  console.log(`vigil_over_victoriametrics_ingest ${fmt(sps.get('vigil')! / sps.get('victoriametrics')!, 2)}`);

  for (const server of servers) await waitVisible(server, workload);

  // Memory and disk after ingest, once every system has been idle for 3 s (Vigil's
  // query workers collect the visibility check's garbage when idle; Go's GC runs on its own).
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const rss = new Map(servers.map((server) => [server.name, rssMb(server.pid)]));
  for (const [name, mb] of rss) console.log(`${name}_rss_mb ${fmt(mb)}`);
  console.log(`vigil_over_prometheus_rss ${fmt(rss.get('vigil')! / rss.get('prometheus')!, 2)}`);
  // Running: Vigil's SQLite WAL is not yet checkpointed, Prometheus' head is in its WAL
  // (it compacts into a block only when the head spans 3 h), VictoriaMetrics holds the
  // newest parts in memory.
  for (const server of servers) diskFigure(server, 'running');

  // query_range at 15 s from the first scrape round to just after the last one (never past now);
  // one untimed run (checked non-empty and compared), then RUNS timed ones.
  const range = { start: String(workload.startMs / 1000), end: String((workload.endMs + STEP_MS) / 1000), step: String(STEP_MS / 1000) };
  const ratios = { prometheus: [] as number[], victoriametrics: [] as number[] };
  for (const [name, query] of queries) {
    const medians = new Map<string, number>();
    const answers = new Map<string, Matrix[]>();
    for (const server of servers) {
      const first = await promApi(server, '/api/v1/query_range', { query, ...range });
      const points = first.reduce((n, m) => n + m.values.length, 0);
      if (first.length === 0 || points === 0) throw new Error(`${server.name} answered nothing to ${query}: no system may be timed doing nothing`);
      answers.set(server.name, first);
      const durations: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await promApi(server, '/api/v1/query_range', { query, ...range });
        durations.push(performance.now() - started);
      }
      medians.set(server.name, median(durations));
      console.log(`${server.name}_query_${name}_ms ${fmt(median(durations), 1)}`);
    }
    const counts = servers.map((s) => `${s.name} ${answers.get(s.name)!.length} series/${answers.get(s.name)!.reduce((n, m) => n + m.values.length, 0)} points`);
    // Vigil's rate() limits extrapolation at a counter's zero point after the half-interval
    // rule, as Prometheus does since prometheus/prometheus#13725 (2024); Debian's 2.42 does it
    // before, so a few points in the first 5 minutes of counters that start near 0 differ.
    const vsProm = compareAnswers(answers.get('vigil')!, answers.get('prometheus')!);
    console.error(
      `# ${name}: ${counts.join(', ')}; vigil vs prometheus: ${vsProm.differing} of ${vsProm.compared} points differ by more than 1e-6 (at most ${vsProm.diff.toExponential(2)})`,
    );
    const n = servers.map((s) => answers.get(s.name)!.length);
    if (name !== 'topk' && Math.max(...n) > 1.1 * Math.min(...n)) {
      console.error(`# WARNING ${name}: the systems disagree on the number of series (${n.join(' / ')})`);
    }
    ratios.prometheus.push(medians.get('vigil')! / medians.get('prometheus')!);
    ratios.victoriametrics.push(medians.get('vigil')! / medians.get('victoriametrics')!);
  }
  console.log(`vigil_over_prometheus_query_median_ratio ${fmt(median(ratios.prometheus), 2)}`);
  console.log(`vigil_over_prometheus_query_max_ratio ${fmt(Math.max(...ratios.prometheus), 2)}`);
  console.log(`vigil_over_victoriametrics_query_median_ratio ${fmt(median(ratios.victoriametrics), 2)}`);
  console.log(`vigil_over_victoriametrics_query_max_ratio ${fmt(Math.max(...ratios.victoriametrics), 2)}`);

  for (const server of servers) console.log(`${server.name}_peak_rss_mb_after_queries ${fmt(rssMb(server.pid, 'VmHWM'))}`);

  // After a clean stop: what each store keeps (Vigil checkpoints its WAL, VictoriaMetrics flushes).
  await Promise.all(servers.map((s) => s.stop()));
  for (const server of servers) diskFigure(server, 'stopped');
} catch (err) {
  failed = true;
  console.error(err);
  for (const server of servers) {
    const tail = server.output.join('\n').split('\n').slice(-20).join('\n');
    if (tail.trim()) console.error(`--- ${server.name} output (last lines) ---\n${tail}`);
  }
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  // a peer that failed to start is not in `servers`
  await stopAll();
}
process.exit(failed ? 1 : 0);
