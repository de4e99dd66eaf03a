/**
 * The metrics benchmark's workload: exporter-shaped series (100 per target:
 * request counters, a classic latency histogram, process and Go gauges),
 * sent as Prometheus' own remote write sends them: series hashed into
 * shards, each shard's samples in time order, cut into requests of
 * `samplesPerRequest` samples with one TimeSeries per sample, snappy block
 * compressed. Each shard's requests are sent one after the other (so every
 * series stays in order), the shards concurrently.
 *
 * As Prometheus spreads its scrapes over the interval, each target has a
 * fixed offset in [0, stepMs) added to its sample times: query steps then
 * never coincide with sample times, so range-window edge rules (Prometheus
 * 2's [t - range, t] against Prometheus 3's and Vigil's (t - range, t])
 * select the same samples and answers can be compared value for value.
 */
import { compressSync } from 'snappy';
import { ProtoWriter } from '../src/ingest/protobuf-writer.ts';

export const SERIES_PER_TARGET = 100;
export const JOBS = ['api', 'worker', 'billing', 'gateway', 'scheduler'];
const HANDLERS = ['/api/v1/calls', '/api/v1/appointments', '/api/v1/sms', '/webhooks/twilio', '/healthz'];
const CODES: [string, number][] = [
  ['200', 0.9],
  ['400', 0.05],
  ['404', 0.03],
  ['500', 0.02],
];
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface RemoteWriteWorkload {
  /** Per shard, its request bodies in send order. */
  shards: Uint8Array<ArrayBuffer>[][];
  requests: number;
  series: number;
  samples: number;
  /** The first and last scrape round, unix ms: targets' samples are at these plus their offset (< stepMs). */
  startMs: number;
  endMs: number;
  stepMs: number;
  /** Uncompressed and compressed bytes of all requests. */
  rawBytes: number;
  bodyBytes: number;
}

type Labels = Record<string, string>;

/** Deterministic PRNG (LCG), so every run sends the same bodies. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26), for log-normal latency buckets. */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x / Math.SQRT2));
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** One target's 100 series and a function giving their next 100 values (one scrape). */
function target(k: number, rand: () => number): { labels: Labels[]; scrape: () => Float64Array } {
  const job = JOBS[k % JOBS.length];
  const instance = `10.${Math.floor(k / 65536) % 256}.${Math.floor(k / 256) % 256}.${k % 256}:9100`;
  const base = { job, instance };
  const labels: Labels[] = [];
  for (const handler of HANDLERS) {
    for (const [code] of CODES) labels.push({ __name__: 'http_requests_total', ...base, handler, code });
  }
  for (const handler of HANDLERS) {
    for (const le of [...BUCKETS.map(String), '+Inf']) labels.push({ __name__: 'http_request_duration_seconds_bucket', ...base, handler, le });
    labels.push({ __name__: 'http_request_duration_seconds_sum', ...base, handler });
    labels.push({ __name__: 'http_request_duration_seconds_count', ...base, handler });
  }
  for (const name of [
    'up',
    'scrape_duration_seconds',
    'scrape_samples_scraped',
    'process_cpu_seconds_total',
    'process_resident_memory_bytes',
    'process_open_fds',
    'process_start_time_seconds',
    'go_goroutines',
    'go_memstats_heap_alloc_bytes',
    'go_gc_duration_seconds_count',
  ]) {
    labels.push({ __name__: name, ...base });
  }
  if (labels.length !== SERIES_PER_TARGET) throw new Error(`target has ${labels.length} series`);

  // state
  const ratePerHandler = HANDLERS.map(() => 0.2 + rand() * 40); // requests per second
  const medianLatency = HANDLERS.map(() => 0.01 + rand() * 0.2);
  const cdf = medianLatency.map((m) => BUCKETS.map((le) => normalCdf(Math.log(le / m) / 0.8)));
  const requests = new Float64Array(HANDLERS.length * CODES.length).map(() => Math.floor(rand() * 1e5));
  const buckets = new Float64Array(HANDLERS.length * (BUCKETS.length + 1));
  const sums = new Float64Array(HANDLERS.length);
  let cpu = rand() * 1e4;
  let rss = 100_000_000 + Math.floor(rand() * 4e8);
  let fds = 20 + Math.floor(rand() * 100);
  const startTime = 1.7e9 + Math.floor(rand() * 1e7);
  let goroutines = 30 + Math.floor(rand() * 300);
  let heap = 20_000_000 + Math.floor(rand() * 1e8);
  let gcs = Math.floor(rand() * 1e5);
  const out = new Float64Array(SERIES_PER_TARGET);

  return {
    labels,
    scrape() {
      let i = 0;
      const handled: number[] = [];
      for (let h = 0; h < HANDLERS.length; h++) {
        const n = Math.round(ratePerHandler[h] * 15 * (0.7 + rand() * 0.6));
        handled.push(n);
        let left = n;
        for (let c = 0; c < CODES.length; c++) {
          const part = c === CODES.length - 1 ? left : Math.min(left, Math.round(n * CODES[c][1] * (0.5 + rand())));
          left -= part;
          out[i++] = requests[h * CODES.length + c] += part;
        }
      }
      for (let h = 0; h < HANDLERS.length; h++) {
        const n = handled[h];
        const row = h * (BUCKETS.length + 1);
        for (let b = 0; b < BUCKETS.length; b++) out[i++] = buckets[row + b] += Math.floor(n * cdf[h][b]);
        out[i++] = buckets[row + BUCKETS.length] += n;
        out[i++] = sums[h] += n * medianLatency[h] * (0.8 + rand() * 0.5);
        out[i++] = buckets[row + BUCKETS.length];
      }
      out[i++] = 1;
      out[i++] = 0.002 + rand() * 0.01;
      out[i++] = SERIES_PER_TARGET;
      out[i++] = cpu += rand() * 3;
      out[i++] = rand() < 0.3 ? (rss += (Math.floor(rand() * 200) - 100) * 4096) : rss;
      out[i++] = rand() < 0.1 ? (fds += Math.floor(rand() * 5) - 2) : fds;
      out[i++] = startTime;
      out[i++] = goroutines = Math.max(5, goroutines + Math.floor(rand() * 11) - 5);
      out[i++] = heap = Math.max(1e6, heap + Math.floor((rand() - 0.5) * 4e6));
      out[i++] = gcs += Math.floor(rand() * 3);
      return out;
    },
  };
}

/** `labels` encoded as the repeated Label field of a TimeSeries, names sorted. */
function encodeLabels(labels: Labels): Buffer {
  const w = new ProtoWriter();
  for (const name of Object.keys(labels).sort()) w.message(1, (l) => l.string(1, name).string(2, labels[name]));
  return Buffer.from(w.finish());
}

export function buildRemoteWrite(options: {
  series: number;
  samplesPerSeries: number;
  stepMs: number;
  endMs: number;
  shards: number;
  samplesPerRequest: number;
}): RemoteWriteWorkload {
  const { series, samplesPerSeries, stepMs, endMs, shards, samplesPerRequest } = options;
  if (series % SERIES_PER_TARGET !== 0) throw new Error(`--series must be a multiple of ${SERIES_PER_TARGET}`);
  const rand = prng(42);
  const targets = Array.from({ length: series / SERIES_PER_TARGET }, (_, k) => target(k, rand));
  const offsets = targets.map(() => 1 + Math.floor(rand() * (stepMs - 2)));
  const labelBytes = targets.flatMap((t) => t.labels.map(encodeLabels));
  const startMs = endMs - (samplesPerSeries - 1) * stepMs;
  const out: Uint8Array<ArrayBuffer>[][] = Array.from({ length: shards }, () => []);
  const pending = Array.from({ length: shards }, () => new ProtoWriter());
  const pendingCount = new Array<number>(shards).fill(0);
  let rawBytes = 0;
  let bodyBytes = 0;
  const cut = (s: number) => {
    const raw = pending[s].finish();
    const body = compressSync(raw);
    rawBytes += raw.length;
    bodyBytes += body.length;
    out[s].push(new Uint8Array(body));
    pending[s] = new ProtoWriter();
    pendingCount[s] = 0;
  };
  for (let step = 0; step < samplesPerSeries; step++) {
    for (let k = 0; k < targets.length; k++) {
      const t = startMs + step * stepMs + offsets[k];
      const values = targets[k].scrape();
      for (let j = 0; j < SERIES_PER_TARGET; j++) {
        const id = k * SERIES_PER_TARGET + j;
        // Prometheus shards by label hash; any fixed spread of series over shards does.
        const s = (Math.imul(id, 2654435761) >>> 0) % shards;
        const v = values[j];
        pending[s].message(1, (ts) => ts.raw(labelBytes[id]).message(2, (sample) => sample.double(1, v).uint(2, t)));
        if (++pendingCount[s] === samplesPerRequest) cut(s);
      }
    }
  }
  for (let s = 0; s < shards; s++) if (pendingCount[s] > 0) cut(s);
  return {
    shards: out,
    requests: out.reduce((n, list) => n + list.length, 0),
    series,
    samples: series * samplesPerSeries,
    startMs,
    endMs,
    stepMs,
    rawBytes,
    bodyBytes,
  };
}

/** POSTs one remote-write body; throws with the answer on anything but 2xx. */
export async function remoteWrite(url: string, body: Uint8Array<ArrayBuffer>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      'user-agent': 'vigil-bench/metrics-vs-peers',
    },
    body,
  });
  const text = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 2000)}`);
  }
}

/** Sends every shard's requests in order, the shards concurrently; resolves with the wall time in ms. */
export async function sendWorkload(url: string, workload: RemoteWriteWorkload): Promise<number> {
  const started = performance.now();
  await Promise.all(
    workload.shards.map(async (bodies) => {
      for (const body of bodies) await remoteWrite(url, body);
    }),
  );
  return performance.now() - started;
}
