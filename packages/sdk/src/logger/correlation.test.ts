/**
 * Correlation: lines logged while a request is handled carry its ids,
 * wherever the code runs, and never another request's.
 */
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bindContext, runWithContext, setContextValue } from '../context/index.ts';
import { capture } from './test-capture.ts';

describe('request context on every line', () => {
  it('adds request_id, tenant and principal without the caller passing them', () => {
    const { log, last } = capture();
    runWithContext({ requestId: 'req-1', tenant: 'acme', principal: 'user-7' }, () => log.info('handled'));
    assert.deepEqual([last().request_id, last().tenant, last().principal], ['req-1', 'acme', 'user-7']);
  });

  it('writes no correlation fields outside a context', () => {
    const { log, last } = capture();
    log.info('startup');
    for (const key of ['request_id', 'tenant', 'principal', 'trace_id', 'span_id']) assert.equal(last()[key], undefined, key);
  });

  it('follows setContextValue after authentication', () => {
    const { log, lines } = capture();
    runWithContext({ requestId: 'req-2' }, () => {
      log.info('before auth');
      setContextValue('tenant', 'acme');
      setContextValue('principal', 'user-9');
      log.info('after auth');
    });
    assert.deepEqual(lines().map((l) => [l.request_id, l.tenant, l.principal]), [['req-2', undefined, undefined], ['req-2', 'acme', 'user-9']]);
  });

  it('redacts context values like any other (an e-mail as principal)', () => {
    const { log, raw } = capture();
    runWithContext({ requestId: 'ann@example.com', principal: 'ann@example.com' }, () => log.info('x'));
    assert.ok(!raw[0].includes('ann@example.com'), raw[0]);
  });

  it('keeps the request id across timers, immediates, promises, streams and emitters', async () => {
    const { log, lines } = capture();
    const shared = new EventEmitter();
    await runWithContext({ requestId: 'req-async' }, async () => {
      await new Promise<void>((resolve) => setTimeout(() => { log.info('setTimeout'); resolve(); }, 1));
      await new Promise<void>((resolve) => setImmediate(() => { log.info('setImmediate'); resolve(); }));
      await Promise.resolve().then(() => log.info('then')).then(async () => { await sleep(1); log.info('after await'); });
      await new Promise<void>((resolve) => process.nextTick(() => { log.info('nextTick'); resolve(); }));
      const stream = Readable.from(['a', 'b']);
      stream.on('data', (chunk) => log.info({ chunk }, 'stream data'));
      await once(stream, 'end');
      // An emitter used inside the request: its listener runs in the request.
      const local = new EventEmitter();
      local.on('progress', () => log.info('emitter listener'));
      setTimeout(() => local.emit('progress'), 1);
      await once(local, 'progress');
      // A shared emitter fires from outside the request: bindContext keeps the registering request.
      shared.on('job', bindContext(() => log.info('bound shared listener')));
    });
    shared.emit('job');
    assert.deepEqual(lines().map((l) => l.msg), [
      'setTimeout', 'setImmediate', 'then', 'after await', 'nextTick', 'stream data', 'stream data', 'emitter listener', 'bound shared listener',
    ]);
    for (const line of lines()) assert.equal(line.request_id, 'req-async', String(line.msg));
  });

  it('a listener on a shared emitter, unbound, runs in the context of whoever emits (AsyncLocalStorage semantics)', () => {
    const { log, lines } = capture();
    const shared = new EventEmitter();
    runWithContext({ requestId: 'registering' }, () => shared.on('job', () => log.info('unbound')));
    runWithContext({ requestId: 'emitting' }, () => shared.emit('job'));
    shared.emit('job');
    assert.deepEqual(lines().map((l) => l.request_id), ['emitting', undefined]);
  });

  it('never mixes the ids of concurrent requests (interleaved awaits, random delays)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 4 }),
        async (requests) => {
          const { log, lines } = capture();
          const handle = (id: string, delays: number[]) =>
            runWithContext({ requestId: id, tenant: `tenant-${id}` }, async () => {
              for (const [step, delay] of delays.entries()) {
                log.info({ step, expected: id }, 'step');
                if (delay === 0) await Promise.resolve();
                else if (delay === 1) await new Promise((resolve) => setImmediate(resolve));
                else await sleep(delay - 1);
                await Promise.all([sleep(delay), Promise.resolve().then(() => log.info({ expected: id }, 'branch'))]);
              }
              log.info({ expected: id }, 'done');
            });
          await Promise.all(requests.map((delays, i) => handle(`req-${i}`, delays)));
          const seen = lines();
          assert.equal(seen.length, requests.reduce((n, d) => n + 2 * d.length + 1, 0));
          for (const line of seen) {
            assert.equal(line.request_id, line.expected);
            assert.equal(line.tenant, `tenant-${line.expected}`);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('fields the logger owns', () => {
  it('a child may bind tenant or request_id (background jobs); the binding wins over the context', () => {
    const { log, raw, lines } = capture();
    const job = log.child({ tenant: 'acme', request_id: 'job-1' });
    job.info('outside');
    runWithContext({ requestId: 'req-3', tenant: 'other' }, () => job.info('inside'));
    assert.deepEqual(lines().map((l) => [l.request_id, l.tenant]), [['job-1', 'acme'], ['job-1', 'acme']]);
    for (const line of raw) assert.equal(line.match(/"tenant"/g)?.length, 1, line);
  });

  it('a caller\'s own request_id is written after the context\'s, so parsers keep the caller\'s', () => {
    const { log, last } = capture();
    runWithContext({ requestId: 'req-4' }, () => log.info({ request_id: 'upstream-9' }, 'x'));
    assert.equal(last().request_id, 'upstream-9');
  });
});
