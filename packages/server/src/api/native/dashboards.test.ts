import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { VigilError } from '../../errors.ts';
import { dashboardSchema, type DashboardEntry } from '../../dashboards/index.ts';
import { registerDashboardsApi } from './dashboards.ts';

const dashboard = dashboardSchema.parse({ title: 'Svc', tags: ['http'], panels: [{ title: 'Rate', type: 'timeseries', query: 'up' }] });
const entries: DashboardEntry[] = [
  { id: 'svc', file: '/d/svc.yml', title: 'Svc', description: '', tags: ['http'], dashboard },
  { id: 'broken', file: '/d/broken.yml', title: 'broken', description: '', tags: [], error: '/d/broken.yml: title: required' },
];

async function app() {
  const app = Fastify();
  // the same status mapping as api/app.ts's error handler
  app.setErrorHandler((err: Error, _request, reply) => {
    const status = err instanceof VigilError ? err.status : 500;
    void reply.code(status).type('text/plain').send(`${err.message}\n`);
  });
  registerDashboardsApi(app, { dashboards: { list: () => entries, get: (id) => entries.find((e) => e.id === id) } });
  await app.ready();
  return app;
}

test('GET /vigil/api/v1/dashboards lists every dashboard, broken ones with their error', async () => {
  const response = await (await app()).inject('/vigil/api/v1/dashboards');
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), {
    status: 'success',
    data: [
      { id: 'svc', title: 'Svc', description: '', tags: ['http'], file: '/d/svc.yml' },
      { id: 'broken', title: 'broken', description: '', tags: [], file: '/d/broken.yml', error: '/d/broken.yml: title: required' },
    ],
  });
});

test('GET /vigil/api/v1/dashboards/:id answers the validated dashboard', async () => {
  const response = await (await app()).inject('/vigil/api/v1/dashboards/svc');
  assert.equal(response.statusCode, 200);
  const { data } = response.json();
  assert.equal(data.id, 'svc');
  assert.equal(data.panels[0].width, 6);
  assert.deepEqual(data.panels[0].queries, [{ expr: 'up' }]);
});

test('an unknown id is a 404 naming it; a broken one a 400 with its error', async () => {
  const server = await app();
  const missing = await server.inject('/vigil/api/v1/dashboards/nope');
  assert.equal(missing.statusCode, 404);
  assert.match(missing.body, /no dashboard "nope"/);
  const broken = await server.inject('/vigil/api/v1/dashboards/broken');
  assert.equal(broken.statusCode, 400);
  assert.match(broken.body, /title: required/);
});
