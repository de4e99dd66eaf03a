/**
 * Query speed over 1,000,000 stored lines in the last hour, bytes on disk per
 * line, and the p99 latency of small pushes while heavy queries run. Against
 * a started `vigil` process. Prints one figure per line.
 *
 *   node --import tsx packages/server/bench/query.ts [lines]
 */
import { cpus } from 'node:os';
import { removeDir, startVigil } from '../test/acceptance/vigil-process.ts';
import { LINES_PER_PUSH, buildPush, median, percentile, push, pushAll } from './workload.ts';

const lines = Number(process.argv[2] ?? 1_000_000);
const hourMs = 3_600_000;
const now = Date.now();
const pushes = Math.ceil(lines / LINES_PER_PUSH);
const slice = hourMs / pushes;

console.log(`machine ${cpus().length}x ${cpus()[0].model.trim()} node ${process.version}`);
const vigil = await startVigil();
try {
  for (let start = 0; start < pushes; start += 50) {
    const bodies = Array.from({ length: Math.min(50, pushes - start) }, (_, k) => {
      const i = start + k;
      return buildPush(i, now - hourMs + i * slice, now - hourMs + (i + 1) * slice);
    });
    await pushAll(vigil.url, bodies, 4);
  }
  const metrics = await (await fetch(`${vigil.url}/metrics`)).text();
  const logBytes = Number(/vigil_store_bytes\{kind="logs"\} (\d+)/.exec(metrics)?.[1]);
  console.log(`stored_lines ${pushes * LINES_PER_PUSH}`);
  console.log(`disk_bytes_per_line ${(logBytes / (pushes * LINES_PER_PUSH)).toFixed(1)}`);

  const timed = async (query: string, allowEmpty = false, extra: Record<string, string> = {}) => {
    const params = new URLSearchParams({ query, since: '1h', ...extra });
    const durations: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const response = await fetch(`${vigil.url}/loki/api/v1/query_range?${params}`);
      const body = (await response.json()) as { data: { result: unknown[] } };
      if (response.status !== 200 || (!allowEmpty && body.data.result.length === 0)) throw new Error(`${query}: ${JSON.stringify(body)}`);
      durations.push(performance.now() - started);
    }
    return median(durations);
  };
  console.log(`query_line_filter_1h_ms ${(await timed('{service="api"} |= "timeout"')).toFixed(0)}`);
  console.log(`query_line_filter_rare_1h_ms ${(await timed('{service="api"} |= "no-such-text"', true)).toFixed(0)}`);
  console.log(`query_count_by_severity_1h_ms ${(await timed('sum by (severity) (count_over_time({service="api"}[5m]))')).toFixed(0)}`);

  // small pushes while a heavy query runs in a loop
  let heavy = true;
  const heavyLoop = (async () => {
    const params = new URLSearchParams({ query: '{service="api"} |~ "tenant-[0-3].*timeout"', since: '1h', limit: '5000' });
    while (heavy) await (await fetch(`${vigil.url}/loki/api/v1/query_range?${params}`)).text();
  })();
  for (const size of [10, 1000]) {
    const bodies = Array.from({ length: 20 }, (_, i) => buildPush(100_000 + i, now - 1000, now, 'small', size));
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await push(vigil.url, bodies[i % bodies.length]);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    console.log(`push_${size}_lines_p50_ms_during_heavy_query ${percentile(latencies, 50).toFixed(1)}`);
    console.log(`push_${size}_lines_p99_ms_during_heavy_query ${percentile(latencies, 99).toFixed(1)}`);
  }
  heavy = false;
  await heavyLoop;
} finally {
  await vigil.stop();
  if (process.env.KEEP_DATA) console.error(`data kept in ${vigil.dataDir}`);
  else removeDir(vigil.dataDir);
}
