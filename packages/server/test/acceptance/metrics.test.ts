/**
 * Metrics end to end with real peers: Debian's Prometheus remote-writes to
 * Vigil, the OpenTelemetry metrics exporters push OTLP, Vigil scrapes
 * itself, and everything is read back through the Prometheus HTTP API.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OTLPMetricExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { eventually, freePort, removeDir, startVigil, tempDir, type VigilProcess } from './vigil-process.ts';

let vigil: VigilProcess;

before(async () => {
  vigil = await startVigil({ configYaml: 'global:\n  scrape_interval: 1s\n' });
});

after(async () => {
  await vigil.stop();
  removeDir(vigil.dataDir);
});

async function promQuery(query: string, tenant?: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${vigil.url}/api/v1/query?${new URLSearchParams({ query })}`, {
    headers: tenant ? { 'X-Scope-OrgID': tenant } : {},
  });
  const body = (await response.json()) as { status: string; data: { result: never[] }; error?: string };
  assert.equal(body.status, 'success', body.error);
  return body.data.result;
}


test('Vigil scrapes itself: up{job="vigil"} is 1 and its own counters are queryable', async () => {
  const up = await eventually(async () => {
    const result = await promQuery('up{job="vigil"}');
    assert.equal(result.length, 1);
    return result[0];
  }, 15_000);
  assert.equal(up.value[1], '1');
  assert.equal(up.metric.instance, new URL(vigil.url).host);
  const lag = await promQuery('nodejs_eventloop_lag_seconds{job="vigil"}');
  assert.equal(lag.length, 1);
});

test("Debian's Prometheus remote-writes to Vigil and the series read back through PromQL", async (t) => {
  const dir = tempDir('vigil-prom-');
  t.after(() => removeDir(dir));
  const port = await freePort();
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: prometheus',
      `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
      'remote_write:',
      `  - url: ${vigil.url}/api/v1/write`,
      '    queue_config: { batch_send_deadline: 1s }',
      '    metadata_config: { send_interval: 1s }',
      '',
    ].join('\n'),
  );
  const prometheus = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  t.after(() => prometheus.kill('SIGKILL'));
  const up = await eventually(async () => {
    const result = await promQuery('up{job="prometheus"}');
    assert.equal(result.length, 1);
    return result[0];
  }, 45_000);
  assert.equal(up.value[1], '1');
  assert.equal(up.metric.instance, `127.0.0.1:${port}`);
  const rate = await eventually(async () => {
    const result = await promQuery('sum(rate(prometheus_http_requests_total{job="prometheus"}[30s]))');
    assert.equal(result.length, 1);
    return result[0];
  }, 30_000);
  assert.ok(Number(rate.value[1]) >= 0);
  // Prometheus sends its scrape cache's TYPE/HELP with the samples
  const metadata = await eventually(async () => {
    const body = (await (await fetch(`${vigil.url}/api/v1/metadata?metric=prometheus_http_requests_total`)).json()) as { data: Record<string, unknown[]> };
    assert.ok(body.data.prometheus_http_requests_total, 'no metadata yet');
    return body.data.prometheus_http_requests_total;
  }, 20_000);
  assert.deepEqual(metadata, [{ type: 'counter', help: 'Counter of HTTP requests.', unit: '' }]);
  // another tenant sees none of it
  assert.deepEqual(await promQuery('up{job="prometheus"}', 'someone-else'), []);
  assert.deepEqual(await promQuery('up{job="vigil"}', 'someone-else'), []);
});

for (const [name, Exporter] of [
  ['OTLP/HTTP JSON', OtlpHttpJsonExporter],
  ['OTLP/HTTP protobuf', OtlpProtoExporter],
] as const) {
  test(`${name} metrics exporter: counters and histograms become Prometheus series`, async () => {
    const tenant = name.includes('JSON') ? 'otlp-json' : 'otlp-proto';
    const exporter = new Exporter({ url: `${vigil.url}/v1/metrics`, headers: { 'X-Scope-OrgID': tenant } });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'booking', 'service.instance.id': 'pod-1' }),
      readers: [reader],
    });
    const meter = provider.getMeter('acceptance');
    meter.createCounter('bookings', { description: 'bookings made' }).add(3, { route: '/book' });
    meter.createHistogram('request.duration', { unit: 's' }).record(0.2, { route: '/book' });
    await provider.forceFlush();
    const bookings = await promQuery('bookings_total', tenant);
    assert.equal(bookings.length, 1);
    assert.equal(bookings[0].value[1], '3');
    assert.equal(bookings[0].metric.job, 'booking');
    assert.equal(bookings[0].metric.instance, 'pod-1');
    assert.equal(bookings[0].metric.route, '/book');
    const count = await promQuery('request_duration_seconds_count', tenant);
    assert.equal(count[0]?.value[1], '1');
    const metadata = await fetch(`${vigil.url}/api/v1/metadata?metric=bookings_total`, { headers: { 'X-Scope-OrgID': tenant } });
    assert.deepEqual(((await metadata.json()) as { data: unknown }).data, { bookings_total: [{ type: 'counter', help: 'bookings made', unit: '' }] });
    await provider.shutdown();
  });
}

test('bad remote-write bodies are 4xx naming the problem; bad PromQL is bad_data', async () => {
  const garbage = await fetch(`${vigil.url}/api/v1/write`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    body: 'not snappy at all',
  });
  assert.ok(garbage.status >= 400 && garbage.status < 500, String(garbage.status));
  assert.match(await garbage.text(), /snappy/i);
  const response = await fetch(`${vigil.url}/api/v1/query?query=${encodeURIComponent('sum(')}`);
  assert.equal(response.status, 400);
  const body = (await response.json()) as { status: string; errorType: string; error: string };
  assert.equal(body.status, 'error');
  assert.equal(body.errorType, 'bad_data');
});
