/**
 * End to end: a real pino logger with the ship transport (in pino's worker
 * thread) pushes to a real `vigil start`; the lines come back through the
 * Loki query API with their labels, for their tenant only. logger.flush()
 * delivers what is pending; ending the transport delivers the rest.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { shipTarget } from '../src/ship/index.ts';
import { eventually, queryRange, removeDir, startVigil, type VigilProcess } from '../../server/test/acceptance/vigil-process.ts';

let vigil: VigilProcess;

before(async () => {
  vigil = await startVigil();
});

after(async () => {
  await vigil.stop();
  removeDir(vigil.dataDir);
});

interface Found {
  labels: Record<string, string>;
  line: Record<string, unknown>;
}

/** Lines of this run, oldest first, with their stream labels. */
async function linesOf(query: string, run: string, tenant: string): Promise<Found[]> {
  const { status, body } = await queryRange(vigil.url, query, { tenant, direction: 'forward' });
  assert.equal(status, 200, JSON.stringify(body));
  return body.data.result
    .flatMap((s: { stream: Record<string, string>; values: [string, string][] }) =>
      s.values.map(([ts, line]) => ({ ts: BigInt(ts), labels: s.stream, line: JSON.parse(line) })),
    )
    .filter((found: Found) => found.line.run === run)
    .sort((a: { ts: bigint }, b: { ts: bigint }) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}

test('pino → ship transport → Vigil: lines come back with their labels after logger.flush(), the rest after end', async () => {
  const run = randomUUID();
  const tenant = 'ship-tenant';
  const transport = pino.transport({
    target: shipTarget,
    // a minute: only flush() and end can deliver these lines while the test runs
    options: { url: vigil.url, labels: { service: 'ship-e2e', env: 'test' }, tenant, flushIntervalMs: 60_000 },
  });
  const logger = pino({ level: 'info' }, transport);
  logger.info({ run, request_id: 'req-1' }, 'booking created');
  logger.error({ run, status: 502 }, 'sms provider failed');
  logger.warn({ run }, 'slow response');
  await new Promise<void>((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())));

  // Vigil answered 204 for these before flush() called back: no waiting for a background send
  const all = await linesOf('{service="ship-e2e"}', run, tenant);
  assert.deepEqual(all.map((f) => f.line.msg), ['booking created', 'sms provider failed', 'slow response']);
  assert.deepEqual(all.map((f) => [f.labels.service, f.labels.env, f.labels.level]), [
    ['ship-e2e', 'test', 'info'],
    ['ship-e2e', 'test', 'error'],
    ['ship-e2e', 'test', 'warn'],
  ]);
  assert.equal(all[0].line.request_id, 'req-1', 'the line is stored as pino wrote it');
  const errors = await linesOf('{service="ship-e2e", level="error"}', run, tenant);
  assert.deepEqual(errors.map((f) => f.line.msg), ['sms provider failed']);
  assert.deepEqual(await linesOf('{service="ship-e2e"}', run, 'another-tenant'), [], 'other tenants see nothing');

  logger.info({ run }, 'written just before the end');
  transport.end(); // thread-stream waits for the worker, which sends what is pending before closing
  await once(transport, 'close');
  const afterEnd = await eventually(async () => {
    const lines = await linesOf('{service="ship-e2e"}', run, tenant);
    assert.equal(lines.length, 4);
    return lines;
  }, 3000);
  assert.equal(afterEnd[3].line.msg, 'written just before the end');
});
