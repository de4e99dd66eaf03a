/**
 * Debian's real Prometheus scrapes the example app: the SDK's series show up
 * through Prometheus' own HTTP API with the right labels, and
 * `promtool check metrics` accepts the /metrics output.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { buildApp } from '../src/app.ts';
import { startCalendar } from '../src/calendar.ts';
// the server's acceptance helpers, as the SDK's end-to-end tests use them
import { eventually, freePort, removeDir, tempDir } from '../../../packages/server/test/acceptance/vigil-process.ts';



test('Prometheus scrapes the app and promtool accepts its metrics', async (t) => {
  const calendar = await startCalendar(0, { minMs: 1, maxMs: 3, failureRate: 0 });
  t.after(() => calendar.close());
  const app = await buildApp({
    logger: createLogger({ service: 'telephony-backend', level: 'error' }),
    calendarUrl: `http://127.0.0.1:${(calendar.address() as AddressInfo).port}`,
    publicUrl: '',
    twilioAuthToken: 'tok',
    stripeWebhookSecret: 'whsec_test',
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());
  for (const id of ['CA1', 'CA2', 'CA3']) await fetch(`${base}/calls/${id}`, { headers: { 'x-tenant-id': 'acme' } });
  await fetch(`${base}/no-such-route`);

  const exposition = await (await fetch(`${base}/metrics`)).text();
  const check = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  assert.equal(check.status, 0, `promtool check metrics failed:\n${check.stdout}${check.stderr}`);

  const dir = tempDir('vigil-prometheus-');
  t.after(() => removeDir(dir));
  const target = new URL(base).host;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: telephony\n    static_configs:\n      - targets: ['${target}']\n`,
  );
  const port = await freePort();
  const prometheus = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  t.after(() => prometheus.kill('SIGKILL'));

  const query = async (promql: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?${new URLSearchParams({ query: promql })}`);
    const body = (await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data.result;
  };
  const calls = await eventually(async () => {
    const result = await query('http_requests_total{job="telephony",route="/calls/:id"}');
    assert.equal(result.length, 1);
    return result[0];
  }, 20_000);
  assert.deepEqual(
    { ...calls.metric },
    {
      __name__: 'http_requests_total',
      instance: target,
      job: 'telephony',
      method: 'GET',
      route: '/calls/:id',
      service: 'telephony-backend',
      status: '200',
      tenant: 'acme',
    },
  );
  assert.equal(calls.value[1], '3');
  const unmatched = await query('http_requests_total{job="telephony",route="unmatched"}');
  assert.equal(unmatched[0]?.metric.status, '404');
  const up = await query('up{job="telephony"}');
  assert.equal(up[0]?.value[1], '1');
  const buckets = await query('count(http_request_duration_seconds_bucket{job="telephony",route="/calls/:id"})');
  assert.ok(Number(buckets[0]?.value[1]) > 5, 'histogram buckets scraped');
  const processMetrics = await query('process_resident_memory_bytes{job="telephony"}');
  assert.equal(processMetrics.length, 1);
});
