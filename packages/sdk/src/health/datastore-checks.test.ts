import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createHealth, readinessHttpStatus } from './create-health.ts';
import { postgresCheck } from './postgres-check.ts';
import { redisCheck } from './redis-check.ts';
import { startPostgres, startRedis, type RunningPostgres } from './test-servers.ts';

// One PostgreSQL for the whole file: initdb is the slow part.
const cleanups: Array<() => Promise<void>> = [];
let postgres: RunningPostgres;
before(async () => {
  postgres = await startPostgres({ after: (fn) => void cleanups.push(fn) });
});
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const password = 'S3cret-Hunter2';

test('postgresCheck passes through a pg Pool and a pg Client, then fails with the error (503) once PostgreSQL stops', async (t) => {
  const pool = new pg.Pool({ connectionString: postgres.url(password), max: 2 });
  const client = new pg.Client({ connectionString: postgres.url(password) });
  // pg emits 'error' when the server goes away; an application attaches these listeners itself.
  pool.on('error', () => undefined);
  client.on('error', () => undefined);
  await client.connect();
  t.after(async () => {
    await client.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
  });
  const health = createHealth({ version: 't', timeoutMs: 2000 })
    .addCheck('pool', postgresCheck(pool))
    .addCheck('client', postgresCheck(client, { query: 'SELECT now()' }));

  const up = await health.readiness();
  assert.equal(up.status, 'ok');
  assert.equal(readinessHttpStatus(up), 200);
  assert.deepEqual(Object.keys(up.checks), ['pool', 'client']);
  assert.equal(up.checks.pool.status, 'pass');
  assert.equal(up.checks.client.status, 'pass');

  await postgres.stop();
  const down = await health.readiness();
  assert.equal(down.status, 'failing');
  assert.equal(readinessHttpStatus(down), 503);
  for (const name of ['pool', 'client']) {
    assert.equal(down.checks[name].status, 'fail', name);
    assert.match(down.checks[name].error ?? '', /ECONNREFUSED|terminat|closed|not queryable|shutdown/i, name);
  }
  assert.ok(!JSON.stringify(down).includes(password), 'no password in the report');
});

test('redisCheck passes with ioredis while Redis runs and fails (503, with the error) once it stops', async (t) => {
  const redis = await startRedis(t);
  const client = new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  client.on('error', () => undefined);
  t.after(() => client.disconnect());
  const health = createHealth({ timeoutMs: 1000 }).addCheck('redis', redisCheck(client));

  const up = await health.readiness();
  assert.equal(up.status, 'ok');
  assert.equal(up.checks.redis.status, 'pass');

  await redis.stop();
  // Give ioredis a moment to notice the closed socket, as it would between two polls.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const down = await health.readiness();
  assert.equal(down.status, 'failing');
  assert.equal(down.checks.redis.status, 'fail');
  assert.match(down.checks.redis.error ?? '', /redis connection is (reconnecting|close|end)|ECONNREFUSED|timed out/);
});

test('redisCheck works with a node-redis-shaped client and a failing ping', async () => {
  const health = createHealth()
    .addCheck('ok', redisCheck({ ping: async () => 'PONG' }))
    .addCheck('down', redisCheck({ ping: async () => { throw new Error('The client is closed'); } }));
  const report = await health.readiness();
  assert.equal(report.checks.ok.status, 'pass');
  assert.deepEqual({ ...report.checks.down, latency_ms: 0 }, { status: 'fail', latency_ms: 0, error: 'The client is closed' });
  assert.throws(() => redisCheck({} as never), TypeError);
  assert.throws(() => postgresCheck(undefined as never), TypeError);
});
