import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWithin, timeIntervalSchema, type TimeIntervalSpec } from './time-intervals.ts';

const spec = (raw: unknown): TimeIntervalSpec => timeIntervalSchema.parse(raw);
const at = (iso: string) => Date.parse(iso);

test('an empty spec matches any time; an empty list matches none', () => {
  assert.equal(isWithin([spec({})], at('2024-05-01T12:00:00Z')), true);
  assert.equal(isWithin([], at('2024-05-01T12:00:00Z')), false);
});

test('times: start inclusive, end exclusive, 24:00 allowed', () => {
  const business = [spec({ times: [{ start_time: '09:00', end_time: '17:00' }] })];
  assert.equal(isWithin(business, at('2024-05-01T09:00:00Z')), true);
  assert.equal(isWithin(business, at('2024-05-01T16:59:59Z')), true);
  assert.equal(isWithin(business, at('2024-05-01T17:00:00Z')), false);
  assert.equal(isWithin(business, at('2024-05-01T08:59:00Z')), false);
  const evening = [spec({ times: [{ start_time: '22:00', end_time: '24:00' }] })];
  assert.equal(isWithin(evening, at('2024-05-01T23:59:00Z')), true);
  assert.equal(isWithin(evening, at('2024-05-02T00:00:00Z')), false);
});

test('weekdays ranges and single days, case-insensitive', () => {
  const weekdays = [spec({ weekdays: ['Monday:friday'] })];
  assert.equal(isWithin(weekdays, at('2024-05-03T12:00:00Z')), true, 'Friday');
  assert.equal(isWithin(weekdays, at('2024-05-04T12:00:00Z')), false, 'Saturday');
  const weekend = [spec({ weekdays: ['saturday', 'sunday'] })];
  assert.equal(isWithin(weekend, at('2024-05-05T12:00:00Z')), true, 'Sunday');
  assert.equal(isWithin(weekend, at('2024-05-06T12:00:00Z')), false, 'Monday');
});

test('days_of_month with negative days counts from the end of each month', () => {
  const lastThree = [spec({ days_of_month: ['-3:-1'] })];
  assert.equal(isWithin(lastThree, at('2024-02-27T12:00:00Z')), true, 'leap February has 29 days');
  assert.equal(isWithin(lastThree, at('2024-02-26T12:00:00Z')), false);
  assert.equal(isWithin(lastThree, at('2023-02-26T12:00:00Z')), true, 'February 2023 has 28 days');
  assert.equal(isWithin(lastThree, at('2024-01-29T12:00:00Z')), true);
  assert.equal(isWithin(lastThree, at('2024-01-28T12:00:00Z')), false);
  const firstFive = [spec({ days_of_month: ['1:5'] })];
  assert.equal(isWithin(firstFive, at('2024-03-05T23:00:00Z')), true);
  assert.equal(isWithin(firstFive, at('2024-03-06T00:00:00Z')), false);
  const wholeMonth = [spec({ days_of_month: ['1:-1'] })];
  assert.equal(isWithin(wholeMonth, at('2024-04-30T00:00:00Z')), true);
});

test('months by name or number, and years', () => {
  const q1 = [spec({ months: ['january:march'], years: ['2020:2022'] })];
  assert.equal(isWithin(q1, at('2021-02-10T00:00:00Z')), true);
  assert.equal(isWithin(q1, at('2021-04-10T00:00:00Z')), false);
  assert.equal(isWithin(q1, at('2023-02-10T00:00:00Z')), false);
  assert.equal(isWithin([spec({ months: ['1:3'] })], at('2021-03-31T23:59:00Z')), true);
});

test('location: wall-clock time in the zone, right across the DST change in America/New_York', () => {
  const nineToFive = [spec({ times: [{ start_time: '09:00', end_time: '17:00' }], location: 'America/New_York' })];
  // Winter: EST is UTC-5, so 09:00 local is 14:00Z.
  assert.equal(isWithin(nineToFive, at('2024-03-08T14:00:00Z')), true);
  assert.equal(isWithin(nineToFive, at('2024-03-08T13:59:00Z')), false);
  // After 2024-03-10 the clocks moved forward: EDT is UTC-4, so 09:00 local is 13:00Z.
  assert.equal(isWithin(nineToFive, at('2024-03-11T13:00:00Z')), true);
  assert.equal(isWithin(nineToFive, at('2024-03-11T12:59:00Z')), false);
  // The weekday is the local one: Saturday 02:00Z is still Friday evening in New York.
  const friday = [spec({ weekdays: ['friday'], location: 'America/New_York' })];
  assert.equal(isWithin(friday, at('2024-03-09T02:00:00Z')), true);
});

test('invalid specs are rejected with the field named', () => {
  const problems = (raw: unknown) => {
    const result = timeIntervalSchema.safeParse(raw);
    assert.equal(result.success, false, JSON.stringify(raw));
    return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
  };
  assert.match(problems({ weekdays: ['funday'] }), /weekdays: "funday" is not a valid weekday range/);
  assert.match(problems({ weekdays: ['friday:monday'] }), /must not be after its end/);
  assert.match(problems({ days_of_month: ['0'] }), /days_of_month/);
  assert.match(problems({ days_of_month: ['32'] }), /days_of_month/);
  assert.match(problems({ days_of_month: ['-1:-3'] }), /must not be after/);
  assert.match(problems({ months: ['13'] }), /months/);
  assert.match(problems({ times: [{ start_time: '17:00', end_time: '09:00' }] }), /start_time must be before end_time/);
  assert.match(problems({ times: [{ start_time: '25:00', end_time: '26:00' }] }), /times.0.start_time: "25:00"/);
  assert.match(problems({ location: 'Mars/Olympus' }), /location: "Mars\/Olympus" is not a known IANA time zone/);
  assert.match(problems({ weekday: ['monday'] }), /weekday/);
});
