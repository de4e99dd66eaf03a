import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { contextFields, fetchWithContext, propagationHeaders, requestIdFrom, runWithContext } from './index.ts';

/** A real local HTTP server that records the headers of each request. */
async function startServer(t: { after(fn: () => unknown): void }): Promise<{ url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

describe('fetchWithContext', () => {
  it('sends the current request id as x-request-id to the next service', async (t) => {
    const { url, seen } = await startServer(t);
    await runWithContext({ requestId: 'req-downstream' }, async () => {
      const res = await fetchWithContext(url);
      assert.equal(await res.text(), 'ok');
    });
    assert.equal(seen[0]['x-request-id'], 'req-downstream');
  });

  it('keeps a header the caller set, and sends none outside a request', async (t) => {
    const { url, seen } = await startServer(t);
    await runWithContext({ requestId: 'req-1' }, () => fetchWithContext(url, { headers: { 'X-Request-Id': 'explicit' } }).then((r) => r.text()));
    await fetchWithContext(url).then((r) => r.text());
    assert.equal(seen[0]['x-request-id'], 'explicit');
    assert.equal(seen[1]['x-request-id'], undefined);
  });
});

describe('request context helpers', () => {
  it('requestIdFrom accepts printable ids up to 128 chars and replaces anything else', () => {
    assert.equal(requestIdFrom({ 'x-request-id': 'abc-123' }), 'abc-123');
    assert.equal(requestIdFrom({ 'x-request-id': ['first', 'second'] }), 'first');
    for (const bad of ['has space', 'x'.repeat(129), '', 'line\nbreak']) {
      assert.match(requestIdFrom({ 'x-request-id': bad }), /^[0-9a-f-]{36}$/, JSON.stringify(bad));
    }
    assert.match(requestIdFrom({}), /^[0-9a-f-]{36}$/);
  });

  it('contextFields and propagationHeaders read the current request', () => {
    assert.deepEqual(contextFields(), {});
    assert.deepEqual(propagationHeaders(), {});
    runWithContext({ requestId: 'r', tenant: 't' }, () => {
      assert.deepEqual(contextFields(), { request_id: 'r', tenant: 't' });
      assert.deepEqual(propagationHeaders(), { 'x-request-id': 'r' });
    });
  });
});
