import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHealth } from './create-health.ts';
import { httpCheck } from './http-check.ts';

async function server(t: TestContext, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const srv = createServer(handler);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    srv.closeAllConnections();
    return new Promise<void>((resolve) => srv.close(() => resolve()));
  });
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

test('passes on 200, fails on 500 with the status in the error', async (t) => {
  const base = await server(t, (req, res) => {
    res.writeHead(req.url?.startsWith('/ok') ? 200 : 500).end('x'.repeat(100_000));
  });
  const health = createHealth()
    .addCheck('ok', httpCheck(`${base}/ok`))
    .addCheck('broken', httpCheck(`${base}/broken?token=abc123`));
  const report = await health.readiness();
  assert.equal(report.checks.ok.status, 'pass');
  assert.deepEqual(report.checks.ok.details, { status_code: 200 });
  assert.equal(report.checks.broken.status, 'fail');
  assert.equal(report.checks.broken.error, `GET ${base}/broken answered 500, expected 2xx`);
  assert.equal(report.status, 'failing');
});

test('expectStatus accepts a given status or list', async (t) => {
  const base = await server(t, (_req, res) => void res.writeHead(204).end());
  const health = createHealth()
    .addCheck('one', httpCheck(base, { expectStatus: 204 }))
    .addCheck('list', httpCheck(base, { expectStatus: [200, 204], method: 'HEAD' }))
    .addCheck('wrong', httpCheck(base, { expectStatus: 200 }));
  const report = await health.readiness();
  assert.equal(report.checks.one.status, 'pass');
  assert.equal(report.checks.list.status, 'pass');
  assert.equal(report.checks.wrong.error, `GET ${base}/ answered 204, expected 200`);
});

test('a server that never answers: its own timeoutMs, or the check timeout', async (t) => {
  const base = await server(t, () => undefined);
  const health = createHealth({ timeoutMs: 300 })
    .addCheck('own', httpCheck(`${base}/slow`, { timeoutMs: 100 }))
    .addCheck('outer', httpCheck(`${base}/slow`));
  const begin = Date.now();
  const report = await health.readiness();
  assert.ok(Date.now() - begin < 1000);
  assert.equal(report.checks.own.error, `GET ${base}/slow timed out after 100 ms`);
  assert.equal(report.checks.outer.error, 'timed out after 300 ms');
});

test('connection refused names the cause; credentials in the URL never appear', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as AddressInfo;
      s.close(() => resolve(p));
    });
  });
  const report = await createHealth().addCheck('down', httpCheck(`http://user:Hunter2pw@127.0.0.1:${port}/x?api_key=k3y`)).readiness();
  assert.equal(report.checks.down.error, `GET http://127.0.0.1:${port}/x failed: connect ECONNREFUSED 127.0.0.1:${port}`);
  assert.ok(!JSON.stringify(report).includes('Hunter2pw'));
  assert.ok(!JSON.stringify(report).includes('k3y'));
});

test('credentials in the URL are sent as Basic auth', async (t) => {
  let authorization: string | undefined;
  const base = await server(t, (req, res) => {
    authorization = req.headers.authorization;
    res.writeHead(200).end();
  });
  const url = new URL(base);
  url.username = 'probe';
  url.password = 'p@ss word';
  const report = await createHealth().addCheck('auth', httpCheck(url)).readiness();
  assert.equal(report.checks.auth.status, 'pass');
  assert.equal(authorization, `Basic ${Buffer.from('probe:p@ss word').toString('base64')}`);
});

test('bad URLs and options fail at construction', () => {
  assert.throws(() => httpCheck('not a url'), /absolute http\(s\) URL/);
  assert.throws(() => httpCheck('ftp://example.com'), /got ftp:/);
  assert.throws(() => httpCheck('http://example.com', { timeoutMs: 0 }), /timeoutMs/);
});
