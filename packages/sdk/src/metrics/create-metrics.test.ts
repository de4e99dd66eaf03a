import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { createMetrics } from './create-metrics.ts';
import { metricsHandler } from './metrics-handler.ts';
import { parseExposition, promtoolCheck, valueOf } from './test-kit.ts';

test('the registry has process metrics, default labels and the HTTP metrics; promtool accepts it', async () => {
  const metrics = createMetrics({ defaultLabels: { service: 'checkout', env: 'test' } });
  metrics.http.record('GET', '/calls/:id', 200, undefined, 0.01);
  const text = await metrics.render();
  for (const name of [
    'process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes',
    'nodejs_eventloop_lag_seconds', 'nodejs_active_handles',
  ]) {
    assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  }
  assert.match(text, /^# TYPE http_requests_total counter$/m);
  assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
  const samples = parseExposition(text);
  assert.equal(valueOf(samples, 'http_requests_total', { service: 'checkout', env: 'test', route: '/calls/:id' }), 1);
  assert.equal(metrics.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  const { code, output } = await promtoolCheck(text);
  assert.equal(code, 0, output);
});

test('a given registry is used, and its own metrics are rendered alongside', async () => {
  const registry = new Registry();
  new Counter({ name: 'orders_total', help: 'Orders placed.', registers: [registry] }).inc(3);
  const metrics = createMetrics({ registry, defaultMetrics: false });
  assert.equal(metrics.registry, registry);
  assert.equal(valueOf(parseExposition(await metrics.render()), 'orders_total'), 3);
  // The HTTP metrics exist once per registry: a second call says what to do.
  assert.throws(() => createMetrics({ registry, defaultMetrics: false }), /once per registry/);
});

test('bad options fail at construction, naming the option and the value', () => {
  assert.throws(() => createMetrics({ maxRoutes: 0 }), /metrics option maxRoutes must be an integer from 1 to 10000, got number 0/);
  assert.throws(() => createMetrics({ buckets: [1, 0.5] }), /option buckets must be a non-empty array of ascending/);
  assert.throws(() => createMetrics({ defaultLabels: { route: 'x' } }), /defaultLabels key must be a Prometheus label name/);
  assert.throws(() => createMetrics({ defaultLabels: { env: 1 as unknown as string } }), /defaultLabels.env must be a string, got number 1/);
  assert.throws(() => createMetrics({ statusLabel: 'family' as 'code' }), /statusLabel must be "code" or "class"/);
  assert.throws(() => createMetrics({ tenants: true } as never), /unknown metrics option "tenants"/);
});

test('metricsHandler serves the text format over node:http', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  metrics.http.record('GET', '/a', 200, undefined, 0.001);
  const server = http.createServer(metricsHandler(metrics));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as { port: number };
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), metrics.contentType);
  assert.equal(valueOf(parseExposition(await response.text()), 'http_requests_total', { route: '/a' }), 1);
});
