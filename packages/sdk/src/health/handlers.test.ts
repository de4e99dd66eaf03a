import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { createHealth, type Health } from './create-health.ts';

async function listen(t: TestContext, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function healthWithToggle(): { health: Health; setUp(up: boolean): void } {
  let up = true;
  const health = createHealth({ version: '3.1.0', timeoutMs: 500 })
    .addCheck('database', async () => {
      if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    })
    .addCheck('optional', async () => { throw new Error('feature flags unavailable'); }, { critical: false });
  return { health, setUp: (value) => void (up = value) };
}

/** The same expectations against every server flavour. */
async function expectHealthRoutes(base: string, setUp: (up: boolean) => void, livePaths = ['/health', '/health/live', '/health/']): Promise<void> {
  for (const path of livePaths) {
    const live = await fetch(`${base}${path}`);
    assert.equal(live.status, 200, path);
    assert.match(live.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(live.headers.get('cache-control'), 'no-store');
    const body = await live.json();
    assert.deepEqual(Object.keys(body), ['status', 'version', 'timestamp', 'uptime_seconds']);
    assert.equal(body.status, 'ok');
    assert.equal(body.version, '3.1.0');
    assert.ok(!Number.isNaN(Date.parse(body.timestamp)));
    assert.equal(typeof body.uptime_seconds, 'number');
  }

  setUp(true);
  const ready = await fetch(`${base}/health/ready?verbose=1`);
  assert.equal(ready.status, 200);
  assert.equal(ready.headers.get('cache-control'), 'no-store');
  const okBody = await ready.json();
  assert.deepEqual(Object.keys(okBody), ['status', 'version', 'timestamp', 'checks']);
  assert.equal(okBody.status, 'ok');
  assert.equal(okBody.checks.database.status, 'pass');
  assert.equal(typeof okBody.checks.database.latency_ms, 'number');
  assert.deepEqual(Object.keys(okBody.checks.optional).sort(), ['error', 'latency_ms', 'status']);
  assert.equal(okBody.checks.optional.status, 'fail');

  setUp(false);
  const failing = await fetch(`${base}/health/ready`);
  assert.equal(failing.status, 503);
  const failBody = await failing.json();
  assert.equal(failBody.status, 'failing');
  assert.equal(failBody.checks.database.status, 'fail');
  assert.equal(failBody.checks.database.error, 'connect ECONNREFUSED 127.0.0.1:5432');

  const head = await fetch(`${base}/health/ready`, { method: 'HEAD' });
  assert.equal(head.status, 503);
  assert.equal(await head.text(), '');
}

test('node:http: handle() answers the health paths and returns false for others', async (t) => {
  const { health, setUp } = healthWithToggle();
  const base = await listen(t, createServer((req, res) => {
    if (!health.handle(req, res)) res.writeHead(404).end('app');
  }));
  await expectHealthRoutes(base, setUp);
  const other = await fetch(`${base}/healthz`);
  assert.equal(other.status, 404);
  assert.equal(await other.text(), 'app');
  const post = await fetch(`${base}/health`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
});

test('Express: health.express as middleware in front of the app', async (t) => {
  const { health, setUp } = healthWithToggle();
  const app = express();
  app.use(health.express);
  app.get('/hello', (_req, res) => void res.send('hi'));
  const base = await listen(t, createServer(app));
  await expectHealthRoutes(base, setUp);
  assert.equal(await (await fetch(`${base}/hello`)).text(), 'hi');
});

test('Fastify: health.fastify plugin', async (t) => {
  const { health, setUp } = healthWithToggle();
  const app = Fastify();
  t.after(() => app.close());
  await app.register(health.fastify);
  app.get('/hello', async () => 'hi');
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  // Fastify routes "/health/" apart from "/health" unless the app sets ignoreTrailingSlash.
  await expectHealthRoutes(base, setUp, ['/health', '/health/live']);
  assert.equal(await (await fetch(`${base}/hello`)).text(), 'hi');
});
