import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoTime, toGoTime } from './go-time.ts';

const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 60));

test('Format follows Go reference layouts', () => {
  const cases: [string, string][] = [
    ['Monday, 02-Jan-06 15:04:05 MST', 'Tuesday, 02-Jan-24 03:04:05 UTC'],
    ['2006-01-02T15:04:05.000Z07:00', '2024-01-02T03:04:05.060Z'],
    ['3:04PM _2 Jan', '3:04AM  2 Jan'],
    ['2006-01-02 15:04:05.999999999 -0700 MST', '2024-01-02 03:04:05.06 +0000 UTC'],
    ['January 2, 2006 (day 002)', 'January 2, 2024 (day 002)'],
    ['15:04:05,000', '03:04:05,060'],
  ];
  for (const [layout, want] of cases) assert.equal(new GoTime(at).Format(layout), want, layout);
});

test('a zone shifts the clock and names its offset', () => {
  assert.equal(new GoTime(at, 'Europe/Berlin').Format('15:04 -07:00 Z0700'), '04:04 +01:00 +0100');
  assert.equal(new GoTime(at, 'America/Los_Angeles').Format('2006-01-02 15:04 MST'), '2024-01-01 19:04 PST');
});

test('an unknown zone is refused', () => {
  assert.throws(() => new GoTime(at, 'Mars/Olympus'), RangeError);
});

test('toGoTime reads Dates and RFC 3339 strings and refuses the rest', () => {
  assert.equal(toGoTime('2024-01-02T03:04:05.06Z').String(), '2024-01-02 03:04:05.06 +0000 UTC');
  assert.equal(toGoTime(at).Unix(), 1704164645n);
  assert.throws(() => toGoTime('yesterday'), /expected a time/);
});
