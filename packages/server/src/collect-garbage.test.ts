import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { collectGarbageWhenIdle, collectorAfterGrowth } from './collect-garbage.ts';
import { FakeClock } from './testing/fake-clock.ts';

const MB = 1024 * 1024;
const usedHeap = (): number => getHeapStatistics().used_heap_size;

/** About `mb` MB of short-lived objects, dropped on return. */
function makeGarbage(mb: number): number {
  let kept: { n: number; s: string }[] = [];
  for (let i = 0; i < mb * 16_000; i++) kept.push({ n: i, s: `garbage ${i}` });
  const count = kept.length;
  kept = [];
  return count;
}

test('collects once the heap grew by the threshold, not before', () => {
  const collect = collectorAfterGrowth(32 * MB);
  collect(); // settles the baseline if the test runner left garbage behind
  makeGarbage(8);
  const beforeSmall = usedHeap();
  collect();
  assert.ok(usedHeap() >= beforeSmall - 2 * MB, `a small growth is left to V8: ${beforeSmall} -> ${usedHeap()}`);

  makeGarbage(80);
  const before = usedHeap();
  assert.ok(before > 32 * MB, `the garbage is still on the heap: ${before}`);
  collect();
  assert.ok(usedHeap() < before - 32 * MB, `collected: ${before} -> ${usedHeap()}`);
});

test('the main thread collects once, after five idle checks in a row that follow a busy one', () => {
  const clock = new FakeClock();
  const idle = [false, true, true, true, true, true];
  const collector = collectGarbageWhenIdle(clock, { everyMs: 1_000, idleTicks: 5, isIdle: () => idle.shift() ?? true });
  try {
    clock.advance(1_000); // busy
    makeGarbage(80);
    const before = usedHeap();
    clock.advance(4_000); // four idle checks: not yet
    assert.ok(usedHeap() >= before - 2 * MB, `not collected after four: ${before} -> ${usedHeap()}`);
    clock.advance(1_000);
    assert.ok(usedHeap() < before - 32 * MB, `collected after five: ${before} -> ${usedHeap()}`);
    makeGarbage(80);
    const again = usedHeap();
    clock.advance(10_000); // still idle: nothing new to collect for
    assert.ok(usedHeap() >= again - 2 * MB, `one collection per quiet spell: ${again} -> ${usedHeap()}`);
  } finally {
    collector.stop();
  }
});

test('gc stays hidden from other code', () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
});
