import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { createBlockerMiddleware } from './blocker-middleware.ts';
import { clientIp } from './client-ip.ts';
import { createSecurity } from './create-security.ts';
import { arrayLogger, counterValue } from './test-support.ts';

async function listen(t: TestContext, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function login(base: string, username: string, password: string, ip?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (ip) headers['x-forwarded-for'] = `1.1.1.1, ${ip}`;
  return fetch(`${base}/login`, { method: 'POST', headers, body: JSON.stringify({ username, password }) });
}

async function expect429(response: Response, retryAfter: string): Promise<void> {
  assert.equal(response.status, 429);
  assert.equal(response.headers.get('retry-after'), retryAfter);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await response.json(), {
    error: 'too_many_requests',
    message: 'too many failed authentication attempts; retry later',
    retry_after_seconds: Number(retryAfter),
  });
}

const usernameOf = (req: { body?: unknown }) => (req.body as { username?: string } | undefined)?.username;

test('node:http: the IP is blocked after maxFailures failed logins, with Retry-After', async (t) => {
  const logger = arrayLogger();
  const security = createSecurity({ logger, blocking: { maxFailures: 3, blockMs: 120_000 } });
  const guard = createBlockerMiddleware(security.blocker!);
  const server = createServer((req, res) => {
    if (guard.handle(req, res)) return;
    security.recordAuthFailure({ reason: 'bad_password', ip: clientIp(req) });
    res.writeHead(401).end();
  });
  const base = await listen(t, server);
  for (let i = 0; i < 3; i++) assert.equal((await login(base, 'erin', 'nope')).status, 401);
  await expect429(await login(base, 'erin', 'right'), '120');
  await expect429(await login(base, 'frank', 'right'), '120');
  assert.equal(logger.lines.filter((line) => line.obj.event === 'auth.blocked').length, 1);
  assert.equal(logger.lines.find((line) => line.obj.event === 'auth.blocked')?.obj.ip, '127.0.0.1');
  assert.equal(await counterValue(security.registry, 'auth_blocks_total', { key_type: 'ip' }), 1);
});

test('Express: the principal from the JSON body is blocked across client IPs (trustProxy)', async (t) => {
  const security = createSecurity({ logger: arrayLogger(), blocking: { maxFailures: 3 } });
  const guard = createBlockerMiddleware(security.blocker!, { principal: usernameOf, trustProxy: 1 });
  const app = express();
  app.post('/login', express.json(), guard.express, (req, res) => {
    const { username, password } = req.body as { username: string; password: string };
    if (password === 'right') return void res.status(200).json({ ok: true });
    security.recordAuthFailure({ reason: 'bad_password', principal: username, ip: clientIp(req, 1) });
    res.status(401).end();
  });
  const base = await listen(t, createServer(app));
  for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) assert.equal((await login(base, 'grace', 'nope', ip)).status, 401);
  await expect429(await login(base, 'grace', 'right', '10.0.0.4'), '900');
  assert.equal((await login(base, 'heidi', 'right', '10.0.0.1')).status, 200, 'other principals from those IPs still pass');
});

test('Fastify: the plugin guards routes of the registering scope and answers 429 from preHandler', async (t) => {
  const security = createSecurity({ logger: arrayLogger(), blocking: { maxFailures: 2, blockMs: 30_000 } });
  const guard = createBlockerMiddleware(security.blocker!, { principal: usernameOf });
  const app = Fastify();
  t.after(() => app.close());
  await app.register(guard.fastify);
  let handled = 0;
  app.post('/login', async (request, reply) => {
    handled++;
    const { username } = request.body as { username: string };
    security.recordAuthFailure({ reason: 'bad_password', principal: username, ip: clientIp(request.raw) });
    return reply.code(401).send({ ok: false });
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  assert.equal((await login(base, 'ivan', 'nope')).status, 401);
  assert.equal((await login(base, 'ivan', 'nope')).status, 401);
  await expect429(await login(base, 'ivan', 'right'), '30');
  assert.equal(handled, 2, 'the handler does not run while blocked');
});

test('Fastify: per-route preHandler', async (t) => {
  const security = createSecurity({ logger: arrayLogger(), blocking: { maxFailures: 1 } });
  const guard = createBlockerMiddleware(security.blocker!);
  const app = Fastify();
  t.after(() => app.close());
  app.post('/login', { preHandler: guard.fastifyPreHandler }, async () => ({ ok: true }));
  app.get('/open', async () => ({ ok: true }));
  security.recordAuthFailure({ reason: 'bad_password', ip: '127.0.0.1' });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  await expect429(await login(base, 'judy', 'x'), '900');
  assert.equal((await fetch(`${base}/open`)).status, 200);
});

test('a throwing principal function still leaves the IP check', async (t) => {
  const security = createSecurity({ logger: arrayLogger(), blocking: { maxFailures: 1 } });
  const guard = createBlockerMiddleware(security.blocker!, { principal: () => { throw new Error('no body'); } });
  const base = await listen(t, createServer((req, res) => void (guard.handle(req, res) || res.writeHead(204).end())));
  assert.equal((await fetch(base)).status, 204);
  security.recordAuthFailure({ reason: 'x', ip: '127.0.0.1' });
  assert.equal((await fetch(base)).status, 429);
});

test('clientIp: the socket peer unless trustProxy, then the entry that many hops from the right', () => {
  const req = (xff: string | undefined, remoteAddress = '::ffff:10.1.1.1') =>
    ({ headers: xff === undefined ? {} : { 'x-forwarded-for': xff }, socket: { remoteAddress } }) as unknown as IncomingMessage;
  assert.equal(clientIp(req('6.6.6.6')), '10.1.1.1');
  assert.equal(clientIp(req('6.6.6.6, 203.0.113.1'), true), '203.0.113.1');
  assert.equal(clientIp(req('6.6.6.6, 203.0.113.1, 10.0.0.2'), 2), '203.0.113.1');
  assert.equal(clientIp(req('203.0.113.1'), 3), '203.0.113.1');
  assert.equal(clientIp(req(undefined), true), '10.1.1.1');
  assert.equal(clientIp(req('', '2001:db8::1'), true), '2001:db8::1');
});
