import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHealth, readinessHttpStatus } from './create-health.ts';

test('liveness: status, version, ISO timestamp and process uptime from the injected clock', () => {
  let time = Date.parse('2025-03-01T12:00:00.000Z');
  const health = createHealth({ version: '1.4.2', now: () => time });
  const first = health.liveness();
  assert.deepEqual(Object.keys(first), ['status', 'version', 'timestamp', 'uptime_seconds']);
  assert.equal(first.status, 'ok');
  assert.equal(first.version, '1.4.2');
  assert.equal(first.timestamp, '2025-03-01T12:00:00.000Z');
  assert.equal(first.uptime_seconds, Math.floor(process.uptime()));
  time += 90_000;
  assert.equal(health.liveness().uptime_seconds - first.uptime_seconds, 90);
});

test('readiness: every check in parallel, the body shape, and 200 when all pass', async () => {
  const started: number[] = [];
  const slow = (ms: number) => async () => {
    started.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, ms));
  };
  const health = createHealth({ version: '2.0.0', now: () => Date.parse('2025-03-01T00:00:00Z'), checks: { a: slow(150), b: { check: slow(150) } } })
    .addCheck('c', slow(150))
    .addCheck('details', async () => ({ queue_depth: 3, owner: 'ops@example.com' }))
    .addCheck('text', async () => 'replica lag 0.2 s');
  const begin = Date.now();
  const report = await health.readiness();
  assert.ok(Date.now() - begin < 400, 'three 150 ms checks run at once');
  assert.equal(report.status, 'ok');
  assert.equal(readinessHttpStatus(report), 200);
  assert.equal(report.version, '2.0.0');
  assert.equal(report.timestamp, '2025-03-01T00:00:00.000Z');
  assert.deepEqual(Object.keys(report.checks), ['a', 'b', 'c', 'details', 'text']);
  assert.equal(report.checks.a.status, 'pass');
  assert.ok(report.checks.a.latency_ms >= 140 && report.checks.a.latency_ms < 400);
  assert.equal(report.checks.a.error, undefined);
  assert.deepEqual(report.checks.details.details, { queue_depth: 3, owner: '[EMAIL @example.com]' });
  assert.equal(report.checks.text.details, 'replica lag 0.2 s');
});

test('a hanging check times out with the timeout in the error; the endpoint does not wait for it', async () => {
  const health = createHealth({ timeoutMs: 5000 })
    .addCheck('hangs', () => new Promise(() => undefined), { timeoutMs: 100 })
    .addCheck('fine', async () => undefined);
  const begin = Date.now();
  const report = await health.readiness();
  assert.ok(Date.now() - begin < 1000);
  assert.equal(report.status, 'failing');
  assert.equal(readinessHttpStatus(report), 503);
  assert.equal(report.checks.hangs.status, 'fail');
  assert.equal(report.checks.hangs.error, 'timed out after 100 ms');
  assert.ok(report.checks.hangs.latency_ms >= 95);
  assert.equal(report.checks.fine.status, 'pass');
});

test('the check signal aborts at the timeout, so a check can stop its work', async () => {
  let abortedWith: unknown;
  const health = createHealth({ timeoutMs: 50 }).addCheck('waits', ({ signal }) => new Promise((_, reject) => {
    signal.addEventListener('abort', () => { abortedWith = signal.reason; reject(signal.reason); });
  }));
  const report = await health.readiness();
  assert.equal(report.checks.waits.error, 'timed out after 50 ms');
  assert.match(String(abortedWith), /timed out after 50 ms/);
});

test('throwing checks (sync, async, non-Error, late) fail the check and never crash the process', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const health = createHealth({ timeoutMs: 50 })
      .addCheck('sync', () => { throw new Error('sync boom'); })
      .addCheck('async', async () => { throw new Error('async boom'); })
      .addCheck('string', async () => { throw 'just a string'; })
      .addCheck('null', async () => { throw null; })
      .addCheck('late', () => new Promise((_, reject) => setTimeout(() => reject(new Error('too late')), 120)))
      .addCheck('cause', async () => { throw new Error('query failed', { cause: new Error('connection reset') }); });
    const report = await health.readiness();
    assert.deepEqual(Object.fromEntries(Object.entries(report.checks).map(([name, check]) => [name, check.error])), {
      sync: 'sync boom',
      async: 'async boom',
      string: 'just a string',
      null: 'non-Error thrown (null)',
      late: 'timed out after 50 ms',
      cause: 'query failed: connection reset',
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('a non-critical failure is reported but keeps the service ready', async () => {
  const health = createHealth()
    .addCheck('cache', async () => { throw new Error('cache down'); }, { critical: false })
    .addCheck('db', async () => undefined);
  const report = await health.readiness();
  assert.equal(report.status, 'ok');
  assert.equal(report.checks.cache.status, 'fail');
  assert.equal(report.checks.cache.error, 'cache down');
});

test('connection strings and tokens in check errors are redacted', async () => {
  const health = createHealth()
    .addCheck('pg', async () => { throw new Error('could not connect to postgres://app:Sup3rS3cret@db.internal:5432/app'); })
    .addCheck('conninfo', async () => { throw new Error("connect failed: host=db user=app password='Sup3rS3cret' dbname=app"); })
    .addCheck('redis', async () => { throw new Error('redis://:Sup3rS3cret@cache:6379 refused'); })
    .addCheck('url', async () => { throw new Error('GET https://api.example.com/v1?api_key=Sup3rS3cret&x=1 failed'); })
    .addCheck('bearer', async () => { throw new Error('upstream said: Authorization: Bearer Sup3rS3cret'); });
  const report = await health.readiness();
  assert.ok(!JSON.stringify(report).includes('Sup3rS3cret'), JSON.stringify(report));
  assert.equal(report.checks.pg.error, 'could not connect to postgres://app:***@db.internal:5432/app');
  assert.equal(report.checks.conninfo.error, 'connect failed: host=db user=app password=*** dbname=app');
  assert.equal(report.checks.redis.error, 'redis://:***@cache:6379 refused');
});

test('concurrent readiness calls share one run', async () => {
  let runs = 0;
  const health = createHealth().addCheck('counted', async () => {
    runs++;
    await new Promise((resolve) => setTimeout(resolve, 30));
  });
  const [a, b] = await Promise.all([health.readiness(), health.readiness()]);
  assert.equal(a, b);
  assert.equal(runs, 1);
  await health.readiness();
  assert.equal(runs, 2);
});

test('no checks: ready; bad options and duplicate names fail at construction, naming what they got', async () => {
  assert.deepEqual((await createHealth({ version: 'x' }).readiness()).checks, {});
  assert.throws(() => createHealth({ timeoutMs: 0 }), /createHealth option timeoutMs must be a positive number of milliseconds, got number 0/);
  assert.throws(() => createHealth({ version: 3 as never }), /version must be a string, got number 3/);
  const health = createHealth().addCheck('db', async () => undefined);
  assert.throws(() => health.addCheck('db', async () => undefined), /a check named "db" already exists/);
  assert.throws(() => health.addCheck('', async () => undefined), /non-empty string/);
  assert.throws(() => health.addCheck('x', 'nope' as never), /must be a function, got the string "nope"/);
  assert.throws(() => health.addCheck('y', async () => undefined, { timeoutMs: -1 }), /addCheck\("y"\) timeoutMs/);
  assert.throws(() => health.addCheck('z', async () => undefined, { critical: 'yes' as never }), /critical must be a boolean/);
});
