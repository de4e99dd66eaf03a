import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { test } from 'node:test';
import express from 'express';
import { currentContext, setContextValue } from '../context/index.ts';
import { createMetrics } from '../metrics/index.ts';
import { recorded, valueOf } from '../metrics/test-kit.ts';
import { observeExpress } from './express.ts';
import { asyncIds, callBody, middlewareSuite, type App } from './middleware.case.ts';
import type { ObserveOptions } from './options.ts';

async function listen(app: express.Express): Promise<App> {
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function startExpressApp(options: ObserveOptions): Promise<App> {
  const app = express();
  app.use(observeExpress(options));
  app.use(express.json({ limit: '1mb' }));
  app.get('/calls/:id', (req, res) => {
    res.json(callBody(req.params.id));
  });
  app.post('/calls', (req, res) => {
    res.status(201).json({ requestId: currentContext()?.requestId, received: JSON.stringify(req.body).length });
  });
  app.get('/async', async (_req, res) => {
    res.json(await asyncIds());
  });
  app.get('/tenants/:tenant', (req, res) => {
    setContextValue('tenant', req.params.tenant);
    res.json({});
  });
  for (let i = 0; i < 10; i++) app.get(`/r${i}`, (_req, res) => res.json({}));
  app.get('/fail', () => {
    throw new Error('failed'); // Express' final handler answers 500
  });
  app.get('/hang', () => {});
  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).json({ error: 'not found' });
  });
  return listen(app);
}

middlewareSuite('Express', startExpressApp);

test('Express: routers mounted under a prefix record baseUrl + route path', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const api = express.Router();
  api.get('/calls/:id', (_req, res) => res.json({}));
  api.get('/', (_req, res) => res.json({}));
  const nested = express.Router();
  nested.get('/:tenant/users/:user', (_req, res) => res.json({}));
  api.use('/tenants', nested);
  const app = express();
  app.use(observeExpress({ metrics }));
  app.use('/api', api);
  const started = await listen(app);
  t.after(() => started.close());
  for (const path of ['/api/calls/1', '/api/calls/2', '/api', '/api/tenants/acme/users/9', '/api/none']) {
    await (await fetch(started.url + path)).arrayBuffer();
  }
  const samples = await recorded(metrics.registry, 5);
  assert.equal(valueOf(samples, 'http_requests_total', { route: '/api/calls/:id', status: '200' }), 2);
  assert.equal(valueOf(samples, 'http_requests_total', { route: '/api', status: '200' }), 1);
  assert.equal(valueOf(samples, 'http_requests_total', { route: '/api/tenants/:tenant/users/:user', status: '200' }), 1);
  assert.equal(valueOf(samples, 'http_requests_total', { route: 'unmatched', status: '404' }), 1);
});

test('Express: installing the middleware twice counts each request once', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = express();
  app.use(observeExpress({ metrics }));
  app.use(observeExpress({ metrics }));
  app.get('/a', (_req, res) => res.json(callBody('a')));
  const started = await listen(app);
  t.after(() => started.close());
  const response = await fetch(`${started.url}/a`, { headers: { 'x-request-id': 'once' } });
  assert.equal((await response.json() as { requestId: string }).requestId, 'once');
  await recorded(metrics.registry, 1);
  await new Promise((resolve) => setTimeout(resolve, 20)); // room for a second, wrong, record
  assert.equal(valueOf(await recorded(metrics.registry, 1), 'http_requests_total', { route: '/a' }), 1);
});
