import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthBlocker } from './auth-blocker.ts';
import { arrayLogger, counterValue } from './test-support.ts';

function fakeClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

test('maxFailures failures within the window block the IP with the right Retry-After', async () => {
  const clock = fakeClock();
  const logger = arrayLogger();
  const blocker = createAuthBlocker({ maxFailures: 3, windowMs: 60_000, blockMs: 120_000, now: clock.now, logger });
  const ip = '203.0.113.7';
  assert.equal(blocker.recordFailure({ ip }).blocked, false);
  clock.advance(10_000);
  assert.equal(blocker.recordFailure({ ip }).blocked, false);
  clock.advance(10_000);
  assert.deepEqual(blocker.recordFailure({ ip }), { blocked: true, retryAfterSeconds: 120, keyType: 'ip' });
  clock.advance(30_500);
  assert.deepEqual(blocker.isBlocked({ ip }), { blocked: true, retryAfterSeconds: 90, keyType: 'ip' });
  assert.equal(blocker.isBlocked({ ip: '203.0.113.8' }).blocked, false);

  assert.equal(await counterValue(blocker.registry, 'auth_blocks_total', { key_type: 'ip' }), 1);
  assert.equal(await counterValue(blocker.registry, 'auth_blocks_total', { key_type: 'principal' }), 0);
  const events = logger.lines.filter((line) => line.obj.event === 'auth.blocked');
  assert.equal(events.length, 1);
  assert.deepEqual(events[0].obj, { category: 'security', event: 'auth.blocked', key_type: 'ip', ip, failures: 3, window_seconds: 60, block_seconds: 120 });

  // Failures during the block neither log again nor extend it.
  blocker.recordFailure({ ip });
  blocker.recordFailure({ ip });
  assert.equal(logger.lines.length, 1);
  assert.equal(blocker.isBlocked({ ip }).retryAfterSeconds, 90);
});

test('failures older than the window do not count (sliding window)', () => {
  const clock = fakeClock();
  const blocker = createAuthBlocker({ maxFailures: 3, windowMs: 60_000, now: clock.now });
  const ip = '198.51.100.1';
  blocker.recordFailure({ ip });
  clock.advance(40_000);
  blocker.recordFailure({ ip });
  clock.advance(20_001); // the first failure has left the window
  assert.equal(blocker.recordFailure({ ip }).blocked, false);
  clock.advance(1_000);
  assert.equal(blocker.recordFailure({ ip }).blocked, true);
});

test('a block ends after blockMs, and a new block needs maxFailures fresh failures', () => {
  const clock = fakeClock();
  const blocker = createAuthBlocker({ maxFailures: 2, windowMs: 10_000, blockMs: 60_000, now: clock.now });
  const ip = '192.0.2.1';
  blocker.recordFailure({ ip });
  blocker.recordFailure({ ip });
  clock.advance(59_999);
  assert.deepEqual(blocker.isBlocked({ ip }), { blocked: true, retryAfterSeconds: 1, keyType: 'ip' });
  clock.advance(1);
  assert.deepEqual(blocker.isBlocked({ ip }), { blocked: false, retryAfterSeconds: 0 });
  assert.equal(blocker.recordFailure({ ip }).blocked, false);
  assert.equal(blocker.recordFailure({ ip }).blocked, true);
});

test('per-principal blocking across IPs, principal normalised; the longer block wins', async () => {
  const clock = fakeClock();
  const logger = arrayLogger();
  const blocker = createAuthBlocker({ maxFailures: 3, blockMs: 60_000, now: clock.now, logger });
  blocker.recordFailure({ ip: '10.0.0.1', principal: 'Alice@example.com' });
  blocker.recordFailure({ ip: '10.0.0.2', principal: 'alice@example.com ' });
  const status = blocker.recordFailure({ ip: '10.0.0.3', principal: 'ALICE@EXAMPLE.COM' });
  assert.deepEqual(status, { blocked: true, retryAfterSeconds: 60, keyType: 'principal' });
  assert.equal(blocker.isBlocked({ ip: '10.0.0.9', principal: 'alice@example.com' }).blocked, true);
  assert.equal(blocker.isBlocked({ ip: '10.0.0.1' }).blocked, false);
  assert.equal(blocker.isBlocked({ ip: '10.0.0.1', principal: 'bob' }).blocked, false);
  assert.equal(await counterValue(blocker.registry, 'auth_blocks_total', { key_type: 'principal' }), 1);
  assert.equal(logger.lines[0].obj.principal, 'alice@example.com');

  // Both keys blocked: Retry-After covers the later end.
  clock.advance(30_000);
  blocker.recordFailure({ ip: '10.0.0.1' });
  blocker.recordFailure({ ip: '10.0.0.1' });
  blocker.recordFailure({ ip: '10.0.0.1' });
  assert.deepEqual(blocker.isBlocked({ ip: '10.0.0.1', principal: 'alice@example.com' }), { blocked: true, retryAfterSeconds: 60, keyType: 'ip' });
});

test('reset forgets failures and blocks of the given keys', () => {
  const blocker = createAuthBlocker({ maxFailures: 2 });
  blocker.recordFailure({ principal: 'carol' });
  blocker.reset({ principal: 'carol' });
  assert.equal(blocker.recordFailure({ principal: 'carol' }).blocked, false);
  blocker.recordFailure({ principal: 'carol' });
  assert.equal(blocker.isBlocked({ principal: 'carol' }).blocked, true);
  blocker.reset({ principal: 'carol' });
  assert.equal(blocker.isBlocked({ principal: 'carol' }).blocked, false);
});

test('tracked keys are capped, evicting the least recently failed; blocks survive a flood of failures', () => {
  const clock = fakeClock();
  const blocker = createAuthBlocker({ maxFailures: 2, maxKeys: 3, now: clock.now });
  blocker.recordFailure({ ip: 'a' });
  blocker.recordFailure({ ip: 'b' });
  blocker.recordFailure({ ip: 'c' });
  blocker.recordFailure({ ip: 'a' }); // blocks a (2 failures): a leaves the failure table
  assert.equal(blocker.isBlocked({ ip: 'a' }).blocked, true);
  blocker.recordFailure({ ip: 'd' });
  blocker.recordFailure({ ip: 'e' }); // b, c, d, e: b is evicted
  assert.deepEqual(blocker.size(), { failures: 3, blocks: 1 });
  assert.equal(blocker.recordFailure({ ip: 'b' }).blocked, false, 'b forgot its first failure');
  assert.equal(blocker.recordFailure({ ip: 'e' }).blocked, true, 'e kept its first failure');
  for (let i = 0; i < 1000; i++) blocker.recordFailure({ ip: `flood-${i}` });
  assert.equal(blocker.size().failures, 3);
  assert.equal(blocker.isBlocked({ ip: 'a' }).blocked, true, 'one-off failures do not evict blocks');
  // Blocks have their own cap: the oldest block goes first.
  for (const ip of ['x', 'y']) {
    blocker.recordFailure({ ip });
    blocker.recordFailure({ ip });
  }
  assert.equal(blocker.size().blocks, 3);
  assert.equal(blocker.isBlocked({ ip: 'a' }).blocked, false);
  assert.equal(blocker.isBlocked({ ip: 'y' }).blocked, true);
});

test('very long principals are cut so memory stays bounded', () => {
  const blocker = createAuthBlocker({ maxFailures: 2 });
  blocker.recordFailure({ principal: `${'p'.repeat(256)}-one` });
  assert.equal(blocker.recordFailure({ principal: `${'p'.repeat(256)}-two` }).blocked, true);
});

test('ignores absent keys and rejects bad options naming what it got', () => {
  const blocker = createAuthBlocker();
  assert.deepEqual(blocker.recordFailure({}), { blocked: false, retryAfterSeconds: 0 });
  assert.deepEqual(blocker.isBlocked({ ip: '', principal: '   ' }), { blocked: false, retryAfterSeconds: 0 });
  assert.throws(() => createAuthBlocker({ maxFailures: 0 }), /maxFailures must be a positive integer, got number 0/);
  assert.throws(() => createAuthBlocker({ windowMs: '60s' as never }), /windowMs .* got the string "60s"/);
  assert.throws(() => createAuthBlocker({ maxKeys: 1.5 }), TypeError);
});
