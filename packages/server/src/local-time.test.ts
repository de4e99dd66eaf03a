import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromWall, isTimeZone, minuteOfDay, parseConfigTime, toWall, weekdayOf } from './local-time.ts';

const utc = (iso: string) => Date.parse(iso);
const wall = (local: string) => Date.parse(`${local}Z`);

test('toWall reads the local clock on both sides of a DST change', () => {
  assert.equal(toWall(utc('2026-03-08T06:59:00Z'), 'America/New_York'), wall('2026-03-08T01:59:00'));
  assert.equal(toWall(utc('2026-03-08T07:00:00Z'), 'America/New_York'), wall('2026-03-08T03:00:00'));
  assert.equal(toWall(utc('2026-10-25T00:30:00Z'), 'Europe/Berlin'), wall('2026-10-25T02:30:00'));
  assert.equal(toWall(utc('2026-10-25T01:30:00Z'), 'Europe/Berlin'), wall('2026-10-25T02:30:00'));
  assert.equal(toWall(utc('2026-06-01T12:00:00.250Z'), 'UTC'), wall('2026-06-01T12:00:00.250'));
});

test('fromWall is the inverse of toWall for ordinary times', () => {
  assert.equal(fromWall(wall('2026-07-01T09:00:00'), 'America/New_York'), utc('2026-07-01T13:00:00Z'));
  assert.equal(fromWall(wall('2026-01-15T09:00:00'), 'Europe/Berlin'), utc('2026-01-15T08:00:00Z'));
  assert.equal(fromWall(wall('2026-01-15T09:00:00'), 'Asia/Kolkata'), utc('2026-01-15T03:30:00Z'));
});

test('a wall time in a spring-forward gap maps to the moment of the change', () => {
  // New York skips 02:00–03:00 on 2026-03-08; the change is at 07:00Z (03:00 EDT)
  assert.equal(fromWall(wall('2026-03-08T02:30:00'), 'America/New_York'), utc('2026-03-08T07:00:00Z'));
  assert.equal(fromWall(wall('2026-03-08T02:00:00'), 'America/New_York'), utc('2026-03-08T07:00:00Z'));
  // Berlin skips 02:00–03:00 on 2026-03-29; the change is at 01:00Z
  assert.equal(fromWall(wall('2026-03-29T02:15:00'), 'Europe/Berlin'), utc('2026-03-29T01:00:00Z'));
  assert.equal(fromWall(wall('2026-03-29T03:00:00'), 'Europe/Berlin'), utc('2026-03-29T01:00:00Z'));
});

test('an ambiguous wall time in a fall-back overlap maps to its first occurrence', () => {
  // 01:30 happens twice in New York on 2026-11-01: 05:30Z (EDT) and 06:30Z (EST)
  assert.equal(fromWall(wall('2026-11-01T01:30:00'), 'America/New_York'), utc('2026-11-01T05:30:00Z'));
  // 02:30 happens twice in Berlin on 2026-10-25: 00:30Z (CEST) and 01:30Z (CET)
  assert.equal(fromWall(wall('2026-10-25T02:30:00'), 'Europe/Berlin'), utc('2026-10-25T00:30:00Z'));
  assert.equal(fromWall(wall('2026-10-25T03:00:00'), 'Europe/Berlin'), utc('2026-10-25T02:00:00Z'));
});

test('local calendar helpers', () => {
  assert.equal(weekdayOf(wall('2026-03-09T23:59:00')), 1); // a Monday
  assert.equal(minuteOfDay(wall('2026-03-09T17:45:00')), 17 * 60 + 45);
  assert.equal(isTimeZone('Europe/Berlin'), true);
  assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
});

test('parseConfigTime reads RFC 3339 as written and local times in the zone given', () => {
  assert.equal(parseConfigTime('2026-03-01T09:00:00Z', 'Europe/Berlin'), utc('2026-03-01T09:00:00Z'));
  assert.equal(parseConfigTime('2026-03-01T09:00:00-05:00', 'Europe/Berlin'), utc('2026-03-01T14:00:00Z'));
  assert.equal(parseConfigTime('2026-03-01T09:00', 'Europe/Berlin'), utc('2026-03-01T08:00:00Z'));
  assert.equal(parseConfigTime('2026-07-01T09:00:30', 'America/New_York'), utc('2026-07-01T13:00:30Z'));
  for (const bad of ['2026-02-30T09:00', '2026-03-01T25:00', '2026-03-01T09:60', '2026-03-01', 'tomorrow']) {
    assert.equal(parseConfigTime(bad, 'UTC'), undefined, bad);
  }
});

test('every wall time read from an instant maps back to its first occurrence, in odd zones too', () => {
  // Lord Howe moves by 30 minutes; Kathmandu is +05:45; both New York changes
  const days = [
    ['Australia/Lord_Howe', '2026-04-04T12:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T12:00:00Z'],
    ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
    ['America/New_York', '2026-03-08T00:00:00Z'],
    ['America/New_York', '2026-11-01T00:00:00Z'],
  ] as const;
  for (const [zone, from] of days) {
    for (let t = utc(from); t < utc(from) + 12 * 3_600_000; t += 7 * 60_000) {
      const w = toWall(t, zone);
      const back = fromWall(w, zone);
      assert.equal(toWall(back, zone), w, `${zone} ${new Date(t).toISOString()}`);
      assert.ok(back <= t && t - back <= 3_600_000, `${zone} ${new Date(t).toISOString()}`);
    }
  }
  // Lord Howe's spring gap is 02:00–02:30 local; the change is at 15:30Z on 2026-10-03
  assert.equal(fromWall(wall('2026-10-04T02:15:00'), 'Australia/Lord_Howe'), utc('2026-10-03T15:30:00Z'));
});
