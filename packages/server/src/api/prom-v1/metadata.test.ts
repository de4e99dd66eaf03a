import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { MetadataStore } from '../../metadata/index.ts';
import { FakeClock } from '../../testing/fake-clock.ts';
import { registerMetadataApi } from './metadata.ts';

async function app() {
  const metadata = new MetadataStore(new FakeClock());
  metadata.record('default', 'http_requests_total', { type: 'counter', help: 'Requests.', unit: '' });
  metadata.record('default', 'http_requests_total', { type: 'counter', help: 'Requests (v2).', unit: '' });
  metadata.record('default', 'memory_bytes', { type: 'gauge', help: 'Memory.', unit: 'bytes' });
  metadata.record('team-a', 'jobs_total', { type: 'counter', help: 'Jobs.', unit: '' });
  const app = Fastify();
  registerMetadataApi(app, { metadata });
  await app.ready();
  return app;
}

test("GET /api/v1/metadata answers Prometheus' shape for the request's tenant", async () => {
  const server = await app();
  const all = await server.inject('/api/v1/metadata');
  assert.equal(all.statusCode, 200);
  assert.deepEqual(all.json(), {
    status: 'success',
    data: {
      memory_bytes: [{ type: 'gauge', help: 'Memory.', unit: 'bytes' }],
      http_requests_total: [
        { type: 'counter', help: 'Requests (v2).', unit: '' },
        { type: 'counter', help: 'Requests.', unit: '' },
      ],
    },
  });
  const tenant = await server.inject({ url: '/api/v1/metadata', headers: { 'x-scope-orgid': 'team-a' } });
  assert.deepEqual(Object.keys(tenant.json().data), ['jobs_total']);
});

test('limit, limit_per_metric and metric narrow the answer', async () => {
  const server = await app();
  assert.equal(Object.keys((await server.inject('/api/v1/metadata?limit=1')).json().data).length, 1);
  assert.deepEqual((await server.inject('/api/v1/metadata?limit=0')).json().data, {});
  const one = (await server.inject('/api/v1/metadata?metric=http_requests_total&limit_per_metric=1')).json().data;
  assert.deepEqual(one, { http_requests_total: [{ type: 'counter', help: 'Requests (v2).', unit: '' }] });
  assert.deepEqual((await server.inject('/api/v1/metadata?metric=nope')).json(), { status: 'success', data: {} });
});

test('a limit that is not a number is bad_data, as in Prometheus', async () => {
  const server = await app();
  for (const name of ['limit', 'limit_per_metric']) {
    const response = await server.inject(`/api/v1/metadata?${name}=ten`);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), { status: 'error', errorType: 'bad_data', error: `${name} must be a number` });
  }
});
