import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { test } from 'node:test';
import { currentContext, setContextValue } from '../context/index.ts';
import { createMetrics } from '../metrics/index.ts';
import { recorded, valueOf } from '../metrics/test-kit.ts';
import { asyncIds, callBody, middlewareSuite, type App } from './middleware.case.ts';
import { observeHandler } from './node-http.ts';
import type { HandlerOptions } from './options.ts';

type Handle = (req: IncomingMessage, res: ServerResponse, param: string) => void | Promise<void>;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

// The app's own router, as a node:http service would have one: the same
// table answers "which handler" and "which template" (the route option).
const table: [method: string, template: string, pattern: RegExp, handle: Handle][] = [
  ['GET', '/calls/:id', /^\/calls\/([^/]+)$/, (_req, res, id) => json(res, 200, callBody(id))],
  ['POST', '/calls', /^\/calls$/, (req, res) => {
    // Event-style body reading: 'end' comes from the socket, outside the request's own async chain.
    let size = 0;
    req.on('data', (chunk: Buffer) => (size += chunk.length));
    req.on('end', () => json(res, 201, { requestId: currentContext()?.requestId, received: size }));
  }],
  ['GET', '/async', /^\/async$/, async (_req, res) => json(res, 200, await asyncIds())],
  ['GET', '/tenants/:tenant', /^\/tenants\/([^/]+)$/, (_req, res, tenant) => {
    setContextValue('tenant', tenant);
    json(res, 200, {});
  }],
  ...Array.from({ length: 10 }, (_, i): [string, string, RegExp, Handle] => ['GET', `/r${i}`, new RegExp(`^/r${i}$`), (_req, res) => json(res, 200, {})]),
  ['GET', '/fail', /^\/fail$/, (_req, res) => json(res, 500, { error: 'failed' })],
  ['GET', '/hang', /^\/hang$/, () => {}],
];

function match(req: IncomingMessage): { template: string; handle: Handle; param: string } | undefined {
  const path = (req.url ?? '/').split('?')[0];
  for (const [method, template, pattern, handle] of table) {
    const found = req.method === method ? pattern.exec(path) : null;
    if (found) return { template, handle, param: found[1] };
  }
  return undefined;
}

async function startNodeApp(options: HandlerOptions): Promise<App> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const found = match(req);
    if (found) return found.handle(req, res, found.param);
    json(res, 404, { error: 'not found' });
  };
  const server = http.createServer(observeHandler(handler, { route: (req) => match(req)?.template, ...options }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

middlewareSuite('node:http', startNodeApp);

test('node:http without a route option records every request as unmatched', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const server = http.createServer(observeHandler((_req, res) => res.end('ok'), { metrics }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as { port: number };
  await (await fetch(`http://127.0.0.1:${port}/calls/1`)).text();
  assert.equal(valueOf(await recorded(metrics.registry, 1), 'http_requests_total', { route: 'unmatched', status: '200' }), 1);
});

test('a throwing route option is recorded as unmatched, never thrown into the server', async (t) => {
  const metrics = createMetrics({ defaultMetrics: false });
  const route = () => {
    throw new Error('router bug');
  };
  const server = http.createServer(observeHandler((_req, res) => res.end('ok'), { metrics, route }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as { port: number };
  assert.equal(await (await fetch(`http://127.0.0.1:${port}/x`)).text(), 'ok');
  assert.equal(valueOf(await recorded(metrics.registry, 1), 'http_requests_total', { route: 'unmatched' }), 1);
});

test('bad middleware options fail at construction, naming the option', () => {
  const handler = () => {};
  assert.throws(() => observeHandler(handler, { metricsPath: 'metrics' }), /option metricsPath must be a path starting with "\/"/);
  assert.throws(() => observeHandler(handler, { exposeMetrics: 'yes' as unknown as boolean }), /option exposeMetrics must be a boolean, got the string "yes"/);
  assert.throws(() => observeHandler(handler, { metrics: {} as never }), /option metrics must be the result of createMetrics\(\)/);
  assert.throws(() => observeHandler(handler, { routes: 1 } as never), /unknown middleware option "routes"/);
});
