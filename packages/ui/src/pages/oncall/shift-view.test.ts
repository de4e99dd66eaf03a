import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shiftSpan, wallTime, zonedText } from './shift-view.ts';

// 2026-03-29 01:00 UTC is when Europe/Berlin moves from +01:00 to +02:00.
const BEFORE_DST = Date.parse('2026-03-28T08:00:00Z');
const AFTER_DST = Date.parse('2026-03-30T08:00:00Z');

test('wall time follows the zone across a DST change', () => {
  assert.equal(wallTime(BEFORE_DST, 'Europe/Berlin'), 'Sat 28 Mar, 09:00');
  assert.equal(wallTime(AFTER_DST, 'Europe/Berlin'), 'Mon 30 Mar, 10:00');
  assert.equal(wallTime(AFTER_DST, 'America/New_York'), 'Mon 30 Mar, 04:00');
});

test("a time shows the schedule's zone only when it differs from the viewer's", () => {
  assert.deepEqual(zonedText(AFTER_DST, 'Europe/Berlin', 'UTC'), { local: 'Mon 30 Mar, 08:00', zoned: 'Mon 30 Mar, 10:00' });
  assert.deepEqual(zonedText(AFTER_DST, 'UTC', 'UTC'), { local: 'Mon 30 Mar, 08:00' });
});

test('a shift bar is clipped to the window', () => {
  const day = 86_400_000;
  assert.deepEqual(shiftSpan(0, 7 * day, 0, 14 * day), { left: 0, width: 0.5 });
  assert.deepEqual(shiftSpan(-3 * day, 7 * day, 0, 14 * day), { left: 0, width: 0.5 });
  assert.deepEqual(shiftSpan(7 * day, 30 * day, 0, 14 * day), { left: 0.5, width: 0.5 });
  assert.deepEqual(shiftSpan(20 * day, 30 * day, 0, 14 * day), { left: 1, width: 0 });
});
