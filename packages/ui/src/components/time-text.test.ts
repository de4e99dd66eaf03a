import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationText, parseDuration, parseTime, relativeText } from './time-text.ts';

test('durations show their two largest units', () => {
  assert.equal(durationText(0), '0s');
  assert.equal(durationText(45_500), '45s');
  assert.equal(durationText(12 * 60_000 + 5000), '12m 5s');
  assert.equal(durationText(3_600_000), '1h');
  assert.equal(durationText(2 * 86_400_000 + 3 * 3_600_000 + 7 * 60_000), '2d 3h');
  assert.equal(durationText(-5000), '0s');
});

test('typed durations are read; anything else is refused', () => {
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('1h 30m'), 5_400_000);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration('0m'), undefined);
  assert.equal(parseDuration('2 hours'), undefined);
  assert.equal(parseDuration(''), undefined);
});

test("Go's zero time is no time", () => {
  assert.equal(parseTime('0001-01-01T00:00:00Z'), undefined);
  assert.equal(parseTime('2026-01-02T03:04:05Z'), Date.UTC(2026, 0, 2, 3, 4, 5));
  assert.equal(relativeText(undefined, 0), 'never');
  assert.equal(relativeText(1000, 61_000), '1m ago');
  assert.equal(relativeText(121_000, 1000), 'in 2m');
});
