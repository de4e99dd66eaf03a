import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { test, type TestContext } from 'node:test';
import Fastify from 'fastify';
import { echoRequestId } from './echo-request-id.ts';

/** A server whose handler runs after echoRequestId(res, 'echoed-id'); answers the response's x-request-id as sent. */
async function echoed(t: TestContext, handle: (res: ServerResponse) => void): Promise<string | null> {
  const server = http.createServer((_req: IncomingMessage, res: ServerResponse) => {
    echoRequestId(res, 'echoed-id');
    handle(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const response = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
  await response.arrayBuffer();
  // Duplicate header lines would arrive joined: "a, b".
  return response.headers.get('x-request-id');
}

test('the id is echoed whichever way the handler sends its headers', async (t) => {
  assert.equal(await echoed(t, (res) => res.end('implicit headers')), 'echoed-id');
  assert.equal(await echoed(t, (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('x')), 'echoed-id');
  assert.equal(await echoed(t, (res) => res.writeHead(204).end()), 'echoed-id');
  assert.equal(await echoed(t, (res) => {
    res.setHeader('content-type', 'text/plain');
    res.writeHead(200, ['x-other', '1']).end('x');
  }), 'echoed-id');
  assert.equal(await echoed(t, (res) => {
    res.flushHeaders();
    res.end('x');
  }), 'echoed-id');
});

test("a handler's own x-request-id wins, sent once, however it was set", async (t) => {
  assert.equal(await echoed(t, (res) => res.setHeader('X-Request-Id', 'own').end()), 'own');
  assert.equal(await echoed(t, (res) => res.writeHead(200, { 'X-REQUEST-ID': 'own' }).end()), 'own');
  assert.equal(await echoed(t, (res) => res.writeHead(200, ['content-type', 'text/plain', 'x-request-id', 'own']).end()), 'own');
  assert.equal(await echoed(t, (res) => res.writeHead(200, [['x-request-id', 'own']] as unknown as string[]).end()), 'own');
});

test('a response with its own writeHead (Fastify inject) gets the header through setHeader', async (t) => {
  const app = Fastify();
  app.addHook('onRequest', (request, reply, done) => {
    echoRequestId(reply.raw, 'injected-id');
    done();
  });
  app.get('/', async () => 'ok');
  t.after(() => app.close());
  const response = await app.inject({ method: 'GET', url: '/' });
  assert.equal(response.headers['x-request-id'], 'injected-id');
});
