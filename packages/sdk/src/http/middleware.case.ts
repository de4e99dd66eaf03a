/**
 * One suite for the three adapters (node:http, Express, Fastify): each test
 * file starts a real server on 127.0.0.1 with the routes below and runs
 * middlewareSuite against it, so the adapters are held to the same behaviour.
 *
 * Routes every app serves (templates as the framework writes them):
 *   GET  /calls/:id        200 callBody(id)
 *   POST /calls            201 { requestId, received } — the context read after the body arrived
 *   GET  /async            200 await asyncIds()
 *   GET  /tenants/:tenant  200, after setContextValue('tenant', tenant)
 *   GET  /r0 … /r9         200 (ten distinct routes)
 *   GET  /fail             500
 *   GET  /hang             never answers
 *   anything else          404
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, test, type TestContext } from 'node:test';
import { currentContext } from '../context/index.ts';
import { createMetrics, OTHER_VALUE, UNMATCHED_ROUTE, type Metrics, type MetricsOptions } from '../metrics/index.ts';
import { find, labelValues, parseExposition, promtoolCheck, recorded, valueOf } from '../metrics/test-kit.ts';
import type { ObserveOptions } from './options.ts';

export interface App {
  url: string;
  close(): Promise<void>;
}
export type StartApp = (options: ObserveOptions) => Promise<App>;

export function callBody(id: string): { id: string; requestId?: string; tenant?: string } {
  const context = currentContext();
  return { id, requestId: context?.requestId, tenant: context?.tenant };
}

/** The request id as seen after an await, in a timer and in an immediate. */
export async function asyncIds(): Promise<Record<string, string | undefined>> {
  await delay(Math.random() * 10);
  const afterAwait = currentContext()?.requestId;
  const inTimer = await new Promise<string | undefined>((resolve) => setTimeout(() => resolve(currentContext()?.requestId), 2));
  const inImmediate = await new Promise<string | undefined>((resolve) => setImmediate(() => resolve(currentContext()?.requestId)));
  return { afterAwait, inTimer, inImmediate };
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function middlewareSuite(framework: string, start: StartApp): void {
  async function startWith(t: TestContext, options: MetricsOptions = {}, observe: ObserveOptions = {}): Promise<{ app: App; metrics: Metrics }> {
    const metrics = createMetrics({ defaultMetrics: false, ...options });
    const app = await start({ metrics, ...observe });
    t.after(() => app.close());
    return { app, metrics };
  }
  async function get(app: App, path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await fetch(app.url + path, { headers });
    await response.arrayBuffer();
    return response;
  }

  describe(`${framework} middleware`, () => {
    test('records requests by route template, method and status, with histogram buckets', async (t) => {
      const { app, metrics } = await startWith(t);
      assert.equal((await get(app, '/calls/123')).status, 200);
      assert.equal((await get(app, '/calls/456')).status, 200);
      const post = await fetch(`${app.url}/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      assert.equal(post.status, 201);
      await post.arrayBuffer();
      assert.equal((await get(app, '/fail')).status, 500);
      const samples = await recorded(metrics.registry, 4);
      const calls = { method: 'GET', route: '/calls/:id', status: '200' };
      assert.equal(valueOf(samples, 'http_requests_total', calls), 2);
      assert.equal(valueOf(samples, 'http_requests_total', { method: 'POST', route: '/calls', status: '201' }), 1);
      assert.equal(valueOf(samples, 'http_requests_total', { method: 'GET', route: '/fail', status: '500' }), 1);
      assert.equal(valueOf(samples, 'http_request_duration_seconds_count', calls), 2);
      assert.equal(valueOf(samples, 'http_request_duration_seconds_bucket', { ...calls, le: '+Inf' }), 2);
      assert.equal(find(samples, 'http_request_duration_seconds_bucket', calls).length, 13);
      const sum = valueOf(samples, 'http_request_duration_seconds_sum', calls) ?? -1;
      assert.ok(sum > 0 && sum < 1, `duration sum ${sum}`);
      assert.ok(!labelValues(samples, 'http_requests_total', 'route').some((r) => /\d{3}/.test(r)), 'no raw paths');
    });

    test('404s share route="unmatched" whatever the path', async (t) => {
      const { app, metrics } = await startWith(t);
      for (const path of ['/nope/1', '/nope/2', '/wp-login.php?x=1', '/calls/1/extra']) assert.equal((await get(app, path)).status, 404);
      const samples = await recorded(metrics.registry, 4);
      assert.deepEqual(labelValues(samples, 'http_requests_total', 'route'), [UNMATCHED_ROUTE]);
      assert.equal(valueOf(samples, 'http_requests_total', { method: 'GET', route: UNMATCHED_ROUTE, status: '404' }), 4);
    });

    test('route cap: 10 distinct routes with maxRoutes 3 give 3 routes and __other__', async (t) => {
      const { app, metrics } = await startWith(t, { maxRoutes: 3 });
      for (let i = 0; i < 10; i++) await get(app, `/r${i}`);
      const samples = await recorded(metrics.registry, 10);
      assert.deepEqual(labelValues(samples, 'http_requests_total', 'route'), ['/r0', '/r1', '/r2', OTHER_VALUE].sort());
      assert.equal(valueOf(samples, 'http_requests_total', { route: OTHER_VALUE }), 7);
    });

    test('opt-in tenant label from the request context, capped at maxTenants', async (t) => {
      const { app, metrics } = await startWith(t, { tenantLabel: true, maxTenants: 3 });
      for (let i = 0; i < 10; i++) await get(app, `/tenants/t${i}`);
      await get(app, '/calls/1'); // no tenant: the empty value, not a capped one
      const samples = await recorded(metrics.registry, 11);
      assert.deepEqual(labelValues(samples, 'http_requests_total', 'tenant'), ['', 't0', 't1', 't2', OTHER_VALUE].sort());
      assert.equal(valueOf(samples, 'http_requests_total', { route: '/tenants/:tenant', tenant: OTHER_VALUE }), 7);
    });

    test('tenant option: read from the request, put on the context and the label', async (t) => {
      const tenant = (req: { headers: Record<string, unknown> }) => req.headers['x-tenant'] as string | undefined;
      const { app, metrics } = await startWith(t, { tenantLabel: true }, { tenant });
      const response = await fetch(`${app.url}/calls/7`, { headers: { 'x-tenant': 'acme' } });
      assert.equal((await response.json() as { tenant?: string }).tenant, 'acme');
      const samples = await recorded(metrics.registry, 1);
      assert.equal(valueOf(samples, 'http_requests_total', { route: '/calls/:id', tenant: 'acme' }), 1);
    });

    test('x-request-id: a given id is kept, a missing or invalid one is replaced, and both are echoed', async (t) => {
      const { app } = await startWith(t);
      const cases: [Record<string, string>, (id: string) => boolean][] = [
        [{ 'x-request-id': 'req-abc-123' }, (id) => id === 'req-abc-123'],
        [{}, (id) => uuid.test(id)],
        [{ 'x-request-id': 'has space' }, (id) => uuid.test(id)],
        [{ 'x-request-id': 'x'.repeat(200) }, (id) => uuid.test(id)],
      ];
      for (const [headers, expected] of cases) {
        const response = await fetch(`${app.url}/calls/1`, { headers });
        const echoed = response.headers.get('x-request-id') ?? '';
        assert.ok(expected(echoed), `${JSON.stringify(headers).slice(0, 40)} → ${echoed}`);
        assert.equal((await response.json() as { requestId?: string }).requestId, echoed, 'the handler sees the echoed id');
      }
      assert.match((await get(app, '/nope')).headers.get('x-request-id') ?? '', uuid, '404s carry an id too');
    });

    test('the context survives awaits, timers, body parsing, and concurrent requests do not mix', async (t) => {
      const { app } = await startWith(t);
      const results = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
        const response = await fetch(`${app.url}/async`, { headers: { 'x-request-id': `req-${i}` } });
        return [`req-${i}`, await response.json()] as const;
      }));
      for (const [id, seen] of results) assert.deepEqual(seen, { afterAwait: id, inTimer: id, inImmediate: id });
      const post = await fetch(`${app.url}/calls`, {
        method: 'POST',
        headers: { 'x-request-id': 'req-body', 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'x'.repeat(100_000) }), // several chunks
      });
      assert.equal((await post.json() as { requestId?: string }).requestId, 'req-body');
    });

    test('exposes /metrics in the text format promtool accepts; the scrape is counted under its path', async (t) => {
      const { app, metrics } = await startWith(t, { defaultMetrics: true, defaultLabels: { service: 'calls', env: 'test' } }, { exposeMetrics: true });
      await get(app, '/calls/1');
      await recorded(metrics.registry, 1);
      const response = await fetch(`${app.url}/metrics`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.ok(response.headers.get('x-request-id'));
      const text = await response.text();
      assert.match(text, /^# TYPE http_requests_total counter$/m);
      assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
      assert.match(text, /^# TYPE process_cpu_user_seconds_total counter$/m);
      assert.match(text, /^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
      const samples = parseExposition(text);
      assert.equal(valueOf(samples, 'http_requests_total', { route: '/calls/:id', service: 'calls', env: 'test' }), 1);
      const { code, output } = await promtoolCheck(text);
      assert.equal(code, 0, output);
      const after = await recorded(metrics.registry, 2);
      assert.equal(valueOf(after, 'http_requests_total', { method: 'GET', route: '/metrics', status: '200' }), 1);
    });

    test('metrics are not exposed unless asked, and metricsPath moves them', async (t) => {
      const hidden = await startWith(t);
      assert.equal((await get(hidden.app, '/metrics')).status, 404);
      const moved = await startWith(t, {}, { exposeMetrics: true, metricsPath: '/internal/metrics' });
      assert.equal((await get(moved.app, '/metrics')).status, 404);
      const response = await fetch(`${moved.app.url}/internal/metrics`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /^# TYPE http_requests_total counter$/m);
    });

    test('a client that leaves before the response is recorded with status 499', async (t) => {
      const { app, metrics } = await startWith(t);
      // long enough for the request to reach the server even on a loaded machine
      await assert.rejects(fetch(`${app.url}/hang`, { signal: AbortSignal.timeout(500) }));
      const samples = await recorded(metrics.registry, 1, 5000);
      assert.equal(valueOf(samples, 'http_requests_total', { method: 'GET', route: '/hang', status: '499' }), 1);
    });
  });
}
