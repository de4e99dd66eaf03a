import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry, type RegistryContentType } from 'prom-client';
import { createMetrics } from './create-metrics.ts';
import { OTHER_VALUE } from './label-cap.ts';
import { UNMATCHED_ROUTE } from './http-metrics.ts';
import { find, labelValues, parseExposition, valueOf } from './test-kit.ts';

const quiet = { defaultMetrics: false } as const;

test('counts requests and observes durations by method, route template and status', async () => {
  const metrics = createMetrics(quiet);
  metrics.http.record('GET', '/calls/:id', 200, undefined, 0.003);
  metrics.http.record('GET', '/calls/:id', 200, undefined, 0.2);
  metrics.http.record('POST', '/calls', 201, undefined, 0.04);
  const samples = parseExposition(await metrics.render());
  const get = { method: 'GET', route: '/calls/:id', status: '200' };
  assert.equal(valueOf(samples, 'http_requests_total', get), 2);
  assert.equal(valueOf(samples, 'http_requests_total', { method: 'POST', route: '/calls', status: '201' }), 1);
  assert.equal(valueOf(samples, 'http_request_duration_seconds_count', get), 2);
  assert.equal(valueOf(samples, 'http_request_duration_seconds_sum', get), 0.203);
  assert.equal(valueOf(samples, 'http_request_duration_seconds_bucket', { ...get, le: '0.005' }), 1);
  assert.equal(valueOf(samples, 'http_request_duration_seconds_bucket', { ...get, le: '0.25' }), 2);
  assert.equal(valueOf(samples, 'http_request_duration_seconds_bucket', { ...get, le: '+Inf' }), 2);
  assert.deepEqual(
    find(samples, 'http_request_duration_seconds_bucket', get).map((s) => s.labels.le),
    ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '10', '+Inf'],
  );
});

test('no route → "unmatched"; odd methods and statuses → "__other__"', async () => {
  const metrics = createMetrics(quiet);
  metrics.http.record('GET', undefined, 404, undefined, 0.001);
  metrics.http.record('GET', '', 404, undefined, 0.001);
  metrics.http.record('PROPFIND', '/dav', 207, undefined, 0.001);
  metrics.http.record('GET', '/x', 999, undefined, 0.001);
  const samples = parseExposition(await metrics.render());
  assert.equal(valueOf(samples, 'http_requests_total', { route: UNMATCHED_ROUTE, status: '404' }), 2);
  assert.equal(valueOf(samples, 'http_requests_total', { method: OTHER_VALUE, route: '/dav' }), 1);
  assert.equal(valueOf(samples, 'http_requests_total', { route: '/x', status: OTHER_VALUE }), 1);
});

test('route cap: 10 distinct routes with maxRoutes 3 give 3 routes and __other__', async () => {
  const metrics = createMetrics({ ...quiet, maxRoutes: 3 });
  for (let i = 0; i < 10; i++) metrics.http.record('GET', `/r${i}`, 200, undefined, 0.001);
  metrics.http.record('GET', undefined, 404, undefined, 0.001); // unmatched is not a route: never capped
  const samples = parseExposition(await metrics.render());
  assert.deepEqual(labelValues(samples, 'http_requests_total', 'route'), ['/r0', '/r1', '/r2', OTHER_VALUE, UNMATCHED_ROUTE].sort());
  assert.equal(valueOf(samples, 'http_requests_total', { route: OTHER_VALUE }), 7);
});

test('tenant label is opt-in and capped', async () => {
  const without = createMetrics(quiet);
  without.http.record('GET', '/a', 200, 'acme', 0.001);
  assert.equal('tenant' in parseExposition(await without.render())[0].labels, false);

  const metrics = createMetrics({ ...quiet, tenantLabel: true, maxTenants: 3 });
  for (let i = 0; i < 10; i++) metrics.http.record('GET', '/a', 200, `t${i}`, 0.001);
  metrics.http.record('GET', '/a', 200, undefined, 0.001);
  const samples = parseExposition(await metrics.render());
  assert.deepEqual(labelValues(samples, 'http_requests_total', 'tenant'), ['', 't0', 't1', 't2', OTHER_VALUE].sort());
  assert.equal(valueOf(samples, 'http_requests_total', { tenant: OTHER_VALUE }), 7);
});

test('statusLabel "class" records 2xx/4xx/5xx', async () => {
  const metrics = createMetrics({ ...quiet, statusLabel: 'class' });
  for (const status of [200, 204, 404, 503]) metrics.http.record('GET', '/a', status, undefined, 0.001);
  const samples = parseExposition(await metrics.render());
  assert.deepEqual(labelValues(samples, 'http_requests_total', 'status'), ['2xx', '4xx', '5xx']);
  assert.equal(valueOf(samples, 'http_requests_total', { status: '2xx' }), 2);
});

test('a duration equal to a bucket bound counts in that bucket (le is inclusive)', async () => {
  const metrics = createMetrics({ ...quiet, buckets: [0.1, 0.5] });
  for (const seconds of [0.1, 0.5, 0.7]) metrics.http.record('GET', '/a', 200, undefined, seconds);
  const samples = parseExposition(await metrics.render());
  assert.equal(valueOf(samples, 'http_request_duration_seconds_bucket', { le: '0.1' }), 1);
  assert.equal(valueOf(samples, 'http_request_duration_seconds_bucket', { le: '0.5' }), 2);
  assert.equal(valueOf(samples, 'http_request_duration_seconds_bucket', { le: '+Inf' }), 3);
});

test('the HTTP metrics follow the Registry contract: JSON, resetMetrics, OpenMetrics', async () => {
  const metrics = createMetrics({ ...quiet, defaultLabels: { service: 'api' } });
  metrics.http.record('GET', '/a', 200, undefined, 0.2);
  const json = await metrics.registry.getMetricsAsJSON();
  const requests = json.find((m) => m.name === 'http_requests_total');
  assert.equal(String(requests?.type), 'counter');
  assert.deepEqual(requests?.values, [{ labels: { method: 'GET', route: '/a', status: '200', service: 'api' }, value: 1 }]);
  const duration = json.find((m) => m.name === 'http_request_duration_seconds');
  assert.equal(String(duration?.type), 'histogram');
  assert.equal(duration?.values.length, 12 + 3); // buckets, +Inf, sum, count

  metrics.registry.resetMetrics();
  assert.equal(find(parseExposition(await metrics.render()), 'http_requests_total').length, 0);
  metrics.http.record('GET', '/a', 200, undefined, 0.2);
  assert.equal(valueOf(parseExposition(await metrics.render()), 'http_requests_total'), 1);

  // An OpenMetrics registry drops _total from the family name, as for prom-client's own counters.
  const registry = new Registry<RegistryContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const open = createMetrics({ ...quiet, registry: registry as Registry });
  open.http.record('GET', '/a', 200, undefined, 0.2);
  const text = await open.render();
  assert.match(text, /^# TYPE http_requests counter$/m);
  assert.match(text, /^http_requests_total\{method="GET",route="\/a",status="200"\} 1$/m);
  assert.match(text, /# EOF\n$/);
});
