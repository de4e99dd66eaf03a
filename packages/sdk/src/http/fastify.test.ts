import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { currentContext, setContextValue } from '../context/index.ts';
import { createMetrics } from '../metrics/index.ts';
import { recorded, valueOf } from '../metrics/test-kit.ts';
import { observeFastify } from './fastify.ts';
import { asyncIds, callBody, middlewareSuite, type App } from './middleware.case.ts';
import type { ObserveOptions } from './options.ts';

async function listen(app: FastifyInstance): Promise<App> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

async function startFastifyApp(options: ObserveOptions): Promise<App> {
  const app = Fastify({ bodyLimit: 1_000_000 });
  await app.register(observeFastify(options));
  app.get<{ Params: { id: string } }>('/calls/:id', async (request) => callBody(request.params.id));
  app.post('/calls', async (request, reply) => {
    reply.code(201);
    return { requestId: currentContext()?.requestId, received: JSON.stringify(request.body).length };
  });
  app.get('/async', async () => asyncIds());
  app.get<{ Params: { tenant: string } }>('/tenants/:tenant', async (request) => {
    setContextValue('tenant', request.params.tenant);
    return {};
  });
  for (let i = 0; i < 10; i++) app.get(`/r${i}`, async () => ({}));
  app.get('/fail', async () => {
    throw new Error('failed');
  });
  app.get('/hang', () => new Promise(() => {}));
  return listen(app);
}

middlewareSuite('Fastify', startFastifyApp);

test('Fastify: the plugin sees routes registered in encapsulated plugins, with their prefix', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = Fastify();
  await app.register(observeFastify({ metrics }));
  await app.register(async (api) => {
    api.get('/calls/:id', async () => callBody('x'));
  }, { prefix: '/api' });
  const started = await listen(app);
  t.after(() => started.close());
  const response = await fetch(`${started.url}/api/calls/42`, { headers: { 'x-request-id': 'fastify-1' } });
  assert.equal(response.headers.get('x-request-id'), 'fastify-1');
  assert.equal((await response.json() as { requestId: string }).requestId, 'fastify-1');
  const samples = await recorded(metrics.registry, 1);
  assert.equal(valueOf(samples, 'http_requests_total', { route: '/api/calls/:id', status: '200' }), 1);
});
