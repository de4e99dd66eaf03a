import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Clock } from '../clock.ts';
import type { Category } from '../store/record.ts';
import { startRetention } from './scheduler.ts';

test('retention runs at start and then every interval, with the clock it is given', () => {
  let now = 1_000;
  let tick: (() => void) | undefined;
  const clock: Clock = {
    now: () => now,
    setInterval(fn, ms) {
      assert.equal(ms, 3_600_000);
      tick = fn;
      return { stop: () => (tick = undefined) };
    },
  };
  const passes: number[] = [];
  const store = {
    dropExpired(nowMs: number, retention: Record<Category, number>) {
      passes.push(nowMs);
      assert.equal(retention.audit, 90);
      return nowMs > 2_000 ? [{ category: 'standard' as const, day: 1, path: '/x' }] : [];
    },
  };
  const dropped: number[] = [];
  const handle = startRetention(store, { standard: 30, security: 90, audit: 90 }, 3_600_000, clock, (p) => dropped.push(p.length));
  assert.deepEqual(passes, [1_000]);
  now = 5_000;
  tick!();
  assert.deepEqual(passes, [1_000, 5_000]);
  assert.deepEqual(dropped, [1]);
  handle.stop();
  assert.equal(tick, undefined);
});
