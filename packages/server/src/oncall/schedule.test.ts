import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isVigilError } from '../errors.ts';
import { oncallConfigSchema } from './config.ts';
import { DAY_MS } from '../local-time.ts';
import type { Schedule } from './model.ts';
import { onCallAt, shifts } from './schedule.ts';

const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

/** A schedule through the real config schema; every person it names is declared for it. */
interface ScheduleSpec {
  time_zone: string;
  layers: ({ participants: string[] } & Record<string, unknown>)[];
  overrides?: { person: string; start: string; end: string; reason?: string }[];
}

function schedule(spec: ScheduleSpec): Schedule {
  const ids = new Set(spec.layers.flatMap((l) => l.participants));
  for (const o of spec.overrides ?? []) ids.add(o.person);
  const people = [...ids].map((id) => ({ id, name: id, time_zone: spec.time_zone }));
  return oncallConfigSchema.parse({ people, schedules: [{ id: 's', name: 'S', ...spec }] }).schedules[0];
}

const who = (s: Schedule, iso: string) => onCallAt(s, utc(iso))?.person;

const dailyNewYork = schedule({
  time_zone: 'America/New_York',
  layers: [{ name: 'primary', participants: ['ann', 'bob', 'cat'], start: '2026-03-02T09:00', rotation: { length: '1d', handoff: '09:00' } }],
});

test('a daily 09:00 handoff stays at 09:00 local across the US spring-forward change', () => {
  // 2026-03-07 is turn 5 (cat); 2026-03-08 (DST starts at 02:00) is turn 6 (ann)
  assert.equal(who(dailyNewYork, '2026-03-07T14:00:00Z'), 'cat'); // 09:00 EST
  assert.equal(who(dailyNewYork, '2026-03-08T12:59:59Z'), 'cat'); // 08:59 EDT
  assert.equal(who(dailyNewYork, '2026-03-08T13:00:00Z'), 'ann'); // 09:00 EDT
  const [shift] = shifts(dailyNewYork, utc('2026-03-07T15:00:00Z'), utc('2026-03-08T12:00:00Z'));
  assert.deepEqual(shift, { person: 'cat', layer: 'primary', startMs: utc('2026-03-07T15:00:00Z'), endMs: utc('2026-03-08T12:00:00Z') });
  const full = shifts(dailyNewYork, utc('2026-03-07T12:00:00Z'), utc('2026-03-09T12:00:00Z'));
  const cat = full.find((s) => s.person === 'cat')!;
  assert.equal(cat.endMs - cat.startMs, 23 * HOUR, 'the DST day is 23 hours long');
});

test('a daily 09:00 handoff stays at 09:00 local across the US fall-back change', () => {
  const full = shifts(dailyNewYork, utc('2026-10-31T12:00:00Z'), utc('2026-11-02T12:00:00Z'));
  const handoffs = full.slice(1).map((s) => new Date(s.startMs).toISOString());
  assert.deepEqual(handoffs, ['2026-10-31T13:00:00.000Z', '2026-11-01T14:00:00.000Z']); // 09:00 EDT, 09:00 EST
  assert.equal(full[1].endMs - full[1].startMs, 25 * HOUR);
});

test('a weekly rotation is 7 local days, not 168 hours, across both EU changes', () => {
  const spring = schedule({
    time_zone: 'Europe/Berlin',
    layers: [{ name: 'week', participants: ['ann', 'bob'], start: '2026-03-23T09:00', rotation: { length: '1w', handoff: '09:00' } }],
  });
  assert.equal(who(spring, '2026-03-23T08:00:00Z'), 'ann'); // Mon 09:00 CET
  assert.equal(who(spring, '2026-03-30T06:59:00Z'), 'ann');
  assert.equal(who(spring, '2026-03-30T07:00:00Z'), 'bob'); // Mon 09:00 CEST
  assert.equal(who(spring, '2026-04-06T07:00:00Z'), 'ann');

  const autumn = schedule({
    time_zone: 'Europe/Berlin',
    layers: [{ name: 'week', participants: ['ann', 'bob'], start: '2026-10-19T09:00', rotation: { length: 7, handoff: '09:00' } }],
  });
  const [first, second] = shifts(autumn, utc('2026-10-19T07:00:00Z'), utc('2026-10-27T00:00:00Z'));
  assert.deepEqual([first.person, first.endMs - first.startMs], ['ann', 169 * HOUR]);
  assert.deepEqual([second.person, second.startMs], ['bob', utc('2026-10-26T08:00:00Z')]);
});

test('12-hour turns hand off at 09:00 and 21:00 local on both sides of a change', () => {
  const s = schedule({
    time_zone: 'Europe/Berlin',
    layers: [{ name: 'half', participants: ['ann', 'bob'], start: '2026-03-27T09:00', rotation: { length: '12h' } }],
  });
  const starts = shifts(s, utc('2026-03-28T00:00:00Z'), utc('2026-03-30T00:00:00Z')).map((x) => new Date(x.startMs).toISOString());
  assert.deepEqual(starts, [
    '2026-03-28T00:00:00.000Z', // clipped to the range
    '2026-03-28T08:00:00.000Z', // 09:00 CET
    '2026-03-28T20:00:00.000Z', // 21:00 CET
    '2026-03-29T07:00:00.000Z', // 09:00 CEST
    '2026-03-29T19:00:00.000Z', // 21:00 CEST
  ]);
});

test('a handoff in the spring gap happens at the change; one in the fall overlap at the first occurrence', () => {
  const s = schedule({
    time_zone: 'America/New_York',
    layers: [{ name: 'night', participants: ['ann', 'bob'], start: '2026-03-01T02:30', rotation: { length: '1d', handoff: '02:30' } }],
  });
  // 2026-03-08 02:30 does not exist: the handoff is at 03:00 EDT (07:00Z)
  assert.equal(who(s, '2026-03-08T06:59:59Z'), 'ann');
  assert.equal(who(s, '2026-03-08T07:00:00Z'), 'bob');
  const t = schedule({
    time_zone: 'America/New_York',
    layers: [{ name: 'night', participants: ['ann', 'bob'], start: '2026-10-31T01:30', rotation: { length: '1d', handoff: '01:30' } }],
  });
  // 2026-11-01 01:30 happens twice: the handoff is at the first (05:30Z), and the repeated hour stays with bob
  assert.equal(who(t, '2026-11-01T05:29:59Z'), 'ann');
  assert.equal(who(t, '2026-11-01T05:30:00Z'), 'bob');
  assert.equal(who(t, '2026-11-01T06:15:00Z'), 'bob'); // 01:15 EST, the second time round
  assert.equal(who(t, '2026-11-02T06:30:00Z'), 'ann'); // 01:30 EST the next day
});

test('a layer starting mid-turn gives its first participant a partial turn; nobody before the start', () => {
  const s = schedule({
    time_zone: 'UTC',
    layers: [{ name: 'p', participants: ['ann', 'bob'], start: '2026-05-04T15:00:00Z', rotation: { length: '1d', handoff: '09:00' } }],
  });
  assert.equal(onCallAt(s, utc('2026-05-04T14:59:59Z')), undefined);
  assert.deepEqual(onCallAt(s, utc('2026-05-04T15:00:00Z')), { person: 'ann', layer: 'p' });
  assert.equal(who(s, '2026-05-05T08:59:00Z'), 'ann');
  assert.equal(who(s, '2026-05-05T09:00:00Z'), 'bob');
});

const businessHours = {
  name: 'business',
  participants: ['dev1', 'dev2'],
  start: '2026-03-23T09:00',
  rotation: { length: '1w', handoff: '09:00' },
  restrictions: [{ days: 'weekdays', from: '09:00', to: '17:00' }],
};
const around = { name: 'base', participants: ['ops'], start: '2026-03-01T00:00', rotation: { length: '1w' } };

test('weekdays 09:00–17:00 restrictions are local times, across the EU spring change', () => {
  const alone = schedule({ time_zone: 'Europe/Berlin', layers: [businessHours] });
  assert.equal(who(alone, '2026-03-27T07:59:00Z'), undefined); // Fri 08:59 CET
  assert.equal(who(alone, '2026-03-27T08:00:00Z'), 'dev1'); // Fri 09:00 CET
  assert.equal(who(alone, '2026-03-27T15:59:00Z'), 'dev1');
  assert.equal(who(alone, '2026-03-27T16:00:00Z'), undefined); // Fri 17:00 CET
  assert.equal(who(alone, '2026-03-28T10:00:00Z'), undefined); // Saturday
  assert.equal(who(alone, '2026-03-30T07:00:00Z'), 'dev2'); // Mon 09:00 CEST
  assert.equal(who(alone, '2026-03-30T15:00:00Z'), undefined); // Mon 17:00 CEST
});

test('restriction windows keep their local times across the EU autumn change', () => {
  const s = schedule({
    time_zone: 'Europe/Berlin',
    layers: [
      { ...businessHours, start: '2026-10-19T09:00' },
      { name: 'night', participants: ['owl'], start: '2026-10-19T00:00', rotation: { length: '1w' }, restrictions: [{ days: ['saturday'], from: '22:00', to: '06:00' }] },
    ],
  });
  assert.equal(who(s, '2026-10-23T07:00:00Z'), 'dev1'); // Fri 09:00 CEST
  assert.equal(who(s, '2026-10-26T07:59:00Z'), undefined); // Mon 08:59 CET
  assert.equal(who(s, '2026-10-26T08:00:00Z'), 'dev2'); // Mon 09:00 CET
  const [night] = shifts(s, utc('2026-10-24T12:00:00Z'), utc('2026-10-25T12:00:00Z'));
  assert.deepEqual([night.person, night.startMs, night.endMs - night.startMs], ['owl', utc('2026-10-24T20:00:00Z'), 9 * HOUR]); // 22:00 CEST to 06:00 CET
});

test('a later layer wins where it has someone on call; the earlier fills the rest', () => {
  const stacked = schedule({ time_zone: 'Europe/Berlin', layers: [around, businessHours] });
  assert.deepEqual(onCallAt(stacked, utc('2026-03-30T08:00:00Z')), { person: 'dev2', layer: 'business' });
  assert.deepEqual(onCallAt(stacked, utc('2026-03-30T16:00:00Z')), { person: 'ops', layer: 'base' });
  assert.deepEqual(onCallAt(stacked, utc('2026-03-28T10:00:00Z')), { person: 'ops', layer: 'base' });
  const reversed = schedule({ time_zone: 'Europe/Berlin', layers: [businessHours, around] });
  assert.deepEqual(onCallAt(reversed, utc('2026-03-30T08:00:00Z')), { person: 'ops', layer: 'base' });
});

test('an overnight restriction runs from the listed day into the next', () => {
  const nights = schedule({
    time_zone: 'America/New_York',
    layers: [{ name: 'n', participants: ['owl'], start: '2026-03-01T00:00', rotation: { length: '1d' }, restrictions: [{ days: ['friday'], from: '22:00', to: '06:00' }] }],
  });
  assert.equal(who(nights, '2026-03-07T03:00:00Z'), 'owl'); // Fri 22:00 EST
  assert.equal(who(nights, '2026-03-07T10:59:00Z'), 'owl'); // Sat 05:59 EST
  assert.equal(who(nights, '2026-03-07T11:00:00Z'), undefined); // Sat 06:00
  assert.equal(who(nights, '2026-03-08T03:00:00Z'), undefined); // Sat 22:00: not a listed day
});

test('an override spanning a handoff wins over every layer, then the rotation resumes', () => {
  const s = schedule({
    time_zone: 'America/New_York',
    layers: [
      { name: 'primary', participants: ['ann', 'bob'], start: '2026-06-01T09:00', rotation: { length: '1d', handoff: '09:00' } },
      { name: 'day', participants: ['dee'], start: '2026-06-01T09:00', rotation: { length: '1d' }, restrictions: [{ days: 'weekdays', from: '09:00', to: '17:00' }] },
    ],
    overrides: [{ person: 'zed', start: '2026-06-02T08:00', end: '2026-06-02T10:00', reason: 'swap' }],
  });
  assert.equal(who(s, '2026-06-02T11:59:00Z'), 'ann'); // 07:59 EDT
  assert.deepEqual(onCallAt(s, utc('2026-06-02T12:00:00Z')), { person: 'zed', layer: 'override' });
  assert.equal(who(s, '2026-06-02T13:30:00Z'), 'zed'); // after the 09:00 handoff, inside the override
  assert.equal(who(s, '2026-06-02T14:00:00Z'), 'dee'); // 10:00: the day layer again
  const result = shifts(s, utc('2026-06-02T10:00:00Z'), utc('2026-06-02T23:00:00Z'));
  assert.deepEqual(
    result.map((x) => [x.person, x.layer, new Date(x.startMs).toISOString().slice(11, 16), new Date(x.endMs).toISOString().slice(11, 16)]),
    [
      ['ann', 'primary', '10:00', '12:00'],
      ['zed', 'override', '12:00', '14:00'],
      ['dee', 'day', '14:00', '21:00'],
      ['bob', 'primary', '21:00', '23:00'],
    ],
  );
});

test('shifts() over two weeks: contiguous, agreeing with onCallAt() everywhere, across the US change', () => {
  const s = schedule({
    time_zone: 'America/New_York',
    layers: [
      { name: 'primary', participants: ['ann', 'bob', 'cat'], start: '2026-03-02T09:00', rotation: { length: '1d', handoff: '09:00' } },
      { ...businessHours, start: '2026-03-02T09:00' },
    ],
    overrides: [{ person: 'zed', start: '2026-03-10T20:00', end: '2026-03-11T12:00' }],
  });
  const from = utc('2026-03-01T05:00:00Z');
  const to = from + 14 * DAY_MS;
  const result = shifts(s, from, to);
  assert.equal(result[0].startMs, utc('2026-03-02T14:00:00Z'), 'nobody before the first layer starts');
  assert.equal(result.at(-1)!.endMs, to);
  for (let i = 1; i < result.length; i++) {
    assert.equal(result[i].startMs, result[i - 1].endMs, 'no gap once the layers cover the clock');
    assert.ok(result[i].person !== result[i - 1].person || result[i].layer !== result[i - 1].layer, 'adjacent equal stretches are merged');
  }
  for (let t = from; t < to; t += 17 * 60_000) {
    const shift = result.find((x) => t >= x.startMs && t < x.endMs);
    assert.deepEqual(shift && { person: shift.person, layer: shift.layer }, onCallAt(s, t), new Date(t).toISOString());
  }
  const business = result.filter((x) => x.layer === 'business');
  assert.equal(business.length, 10, 'ten weekdays; Wednesday 11th starts late, after the override');
  assert.deepEqual(new Date(business[5].startMs).toISOString(), '2026-03-09T13:00:00.000Z'); // Mon 09:00 EDT
  const zed = result.filter((x) => x.layer === 'override');
  assert.deepEqual(zed.map((x) => [x.startMs, x.endMs]), [[utc('2026-03-11T00:00:00Z'), utc('2026-03-11T16:00:00Z')]]);
});

test('shifts() refuses a range longer than its limit and answers empty for an empty range', () => {
  assert.deepEqual(shifts(dailyNewYork, utc('2026-03-05T00:00:00Z'), utc('2026-03-05T00:00:00Z')), []);
  assert.throws(
    () => shifts(dailyNewYork, 0, 200 * DAY_MS),
    (err) => isVigilError(err) && err.code === 'VIGIL_ERR_QUERY_PARAM',
  );
});
