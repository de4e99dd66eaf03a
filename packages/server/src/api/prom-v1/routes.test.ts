import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { VigilError } from '../../errors.ts';
import type { QueryRunner } from '../../query/worker-pool.ts';
import { registerPromApi } from './routes.ts';

const NOW = 1_700_000_000_000;

/** A runner that records what it was asked and answers a fixed body, or fails as told. */
function recordingRunner(fail?: VigilError) {
  const calls: { op: string; tenant: string; args: Record<string, unknown> }[] = [];
  const runner: QueryRunner = {
    async run(op, tenant, args) {
      calls.push({ op, tenant, args: args as Record<string, unknown> });
      if (fail) throw fail;
      return Buffer.from(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    },
  };
  return { runner, calls };
}

async function app(runner: QueryRunner) {
  const app = Fastify();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  registerPromApi(app, { queries: runner, now: () => NOW });
  await app.ready();
  return app;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

test('query and query_range take GET parameters and POST form bodies alike, as Grafana sends them', async () => {
  const { runner, calls } = recordingRunner();
  const server = await app(runner);
  const get = await server.inject('/api/v1/query?query=up&time=1700000000.5');
  const post = await server.inject({ method: 'POST', url: '/api/v1/query', headers: { ...form, 'x-scope-orgid': 'team-a' }, payload: 'query=up&time=2023-11-14T22%3A13%3A20.500Z' });
  assert.equal(get.statusCode, 200);
  assert.equal(post.statusCode, 200);
  assert.deepEqual(calls.map((c) => [c.op, c.tenant, c.args.query, c.args.timeMs]), [
    ['prom_query', 'default', 'up', 1_700_000_000_500],
    ['prom_query', 'team-a', 'up', 1_700_000_000_500],
  ]);
  const range = await server.inject({ method: 'POST', url: '/api/v1/query_range', headers: form, payload: 'query=rate(x[5m])&start=1700000000&end=1700000600&step=1m' });
  assert.equal(range.statusCode, 200);
  assert.deepEqual(calls[2].args, { query: 'rate(x[5m])', startMs: 1_700_000_000_000, endMs: 1_700_000_600_000, stepMs: 60_000, timeoutMs: undefined });
});

test('series needs match[]; labels defaults to the last hour; both accept POST', async () => {
  const { runner, calls } = recordingRunner();
  const server = await app(runner);
  const missing = await server.inject({ method: 'POST', url: '/api/v1/series', headers: form, payload: '' });
  assert.equal(missing.statusCode, 400);
  assert.deepEqual(missing.json(), { status: 'error', errorType: 'bad_data', error: 'no match[] parameter provided' });
  await server.inject({ method: 'POST', url: '/api/v1/series', headers: form, payload: 'match[]=up&match[]=down' });
  await server.inject('/api/v1/labels');
  assert.deepEqual(calls[0].args.match, ['up', 'down']);
  assert.deepEqual([calls[1].op, calls[1].args.startMs, calls[1].args.endMs], ['prom_labels', NOW - 3_600_000, NOW]);
});

test("bad parameters and failed queries answer in Prometheus' error envelope with its errorType", async () => {
  const server = await app(recordingRunner().runner);
  const cases: [string, number, string, RegExp][] = [
    ['/api/v1/query', 400, 'bad_data', /missing required parameter "query"/],
    ['/api/v1/query?query=up&time=yesterday', 400, 'bad_data', /invalid parameter "time"/],
    ['/api/v1/query_range?query=up&start=10&end=5&step=1', 400, 'bad_data', /end timestamp must not be before start time/],
    ['/api/v1/query_range?query=up&start=0&end=100000&step=1', 400, 'bad_data', /11,000 points/],
  ];
  for (const [url, status, errorType, message] of cases) {
    const response = await server.inject(url);
    assert.equal(response.statusCode, status, url);
    assert.equal(response.json().status, 'error');
    assert.equal(response.json().errorType, errorType, url);
    assert.match(response.json().error, message);
  }
  const failing = await app(recordingRunner(new VigilError('VIGIL_ERR_PROMQL_EXECUTION', 'boom')).runner);
  const response = await failing.inject('/api/v1/query?query=up');
  assert.equal(response.statusCode, 422);
  assert.deepEqual(response.json(), { status: 'error', errorType: 'execution', error: 'boom' });
});
