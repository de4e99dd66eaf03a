import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { oncallConfigSchema } from './config.ts';

/** The seeds' team, as it would sit under `oncall:` in Vigil's config. */
const seeds = `
people:
  - { id: ana, name: Ana Ruiz, email: ana@example.com, phone: '+14155550101', time_zone: America/New_York }
  - { id: ben, name: Ben Okafor, slack: { user: U024BE7LH }, time_zone: Europe/Berlin }
  - { id: eve, name: Eve Park, phone: '+4915112345678', time_zone: Europe/Berlin }
  - { id: max, name: Max Stone, webhook_url: 'https://hooks.example.com/max', time_zone: America/New_York }
teams:
  - { id: leads, name: Engineering leads, members: [eve, max] }
schedules:
  - id: primary
    name: Backend primary
    time_zone: America/New_York
    layers:
      - name: weekly
        participants: [ana, ben]
        start: 2026-03-02T09:00
        rotation: { length: 1w, handoff: '09:00' }
    overrides:
      - { person: ben, start: 2026-03-10T18:00, end: '2026-03-11T09:00:00-04:00', reason: swap }
  - id: backup
    name: Backend backup
    time_zone: America/New_York
    layers:
      - { name: weekly, participants: [ben, ana], start: 2026-03-02T09:00, rotation: { length: 1w } }
escalation_policies:
  # on-call engineer → backup → engineering manager → CTO
  - id: backend-critical
    name: Backend critical
    steps:
      - { notify: [{ schedule: primary }], wait: 5m }
      - { notify: [{ schedule: backup }], wait: 10m }
      - { notify: [{ person: eve }], wait: 10m }
      - { notify: [{ person: max }] }
`;

function problems(input: unknown): string[] {
  const result = oncallConfigSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').slice(1);
    return `${path}: ${issue.message}`;
  });
}

const seedInput = () => parseYaml(seeds) as Record<string, any>;

test("the seeds' escalation chain is a few lines and parses to steps with waits in ms", () => {
  const config = oncallConfigSchema.parse(seedInput());
  const [policy] = config.escalation_policies;
  assert.deepEqual(policy, {
    id: 'backend-critical',
    name: 'Backend critical',
    repeat: 0,
    steps: [
      { targets: [{ schedule: 'primary' }], waitMs: 300_000 },
      { targets: [{ schedule: 'backup' }], waitMs: 600_000 },
      { targets: [{ person: 'eve' }], waitMs: 600_000 },
      { targets: [{ person: 'max' }], waitMs: 300_000 }, // the default wait
    ],
  });
});

test('schedule times are resolved in the schedule zone; RFC 3339 times keep their offset', () => {
  const [primary] = oncallConfigSchema.parse(seedInput()).schedules;
  assert.deepEqual(primary.layers[0], {
    name: 'weekly',
    participants: ['ana', 'ben'],
    startMs: Date.parse('2026-03-02T14:00:00Z'), // 09:00 EST
    rotation: { unit: 'day', count: 7 },
    handoffMinute: 9 * 60,
    restrictions: [],
  });
  assert.deepEqual(primary.overrides[0], {
    person: 'ben',
    startMs: Date.parse('2026-03-10T22:00:00Z'), // 18:00 EDT
    endMs: Date.parse('2026-03-11T13:00:00Z'),
    reason: 'swap',
  });
  const backup = oncallConfigSchema.parse(seedInput()).schedules[1];
  assert.equal(backup.layers[0].handoffMinute, 9 * 60, 'the handoff defaults to the time of day of the start');
});

test('rotation lengths, handoffs and restriction days', () => {
  const layer = (rotation: unknown, restrictions?: unknown) => {
    const input = seedInput();
    Object.assign(input.schedules[1].layers[0], { rotation, restrictions });
    return oncallConfigSchema.parse(input).schedules[1].layers[0];
  };
  assert.deepEqual(layer({ length: '12h', handoff: '21:30' }).rotation, { unit: 'hour', count: 12 });
  assert.deepEqual(layer({ length: '2w' }).rotation, { unit: 'day', count: 14 });
  assert.deepEqual(layer({ length: 3 }).rotation, { unit: 'day', count: 3 });
  assert.deepEqual(layer({ length: '1d' }, [{ days: 'weekdays', from: '09:00', to: '17:00' }]).restrictions, [
    { days: [1, 2, 3, 4, 5], fromMinute: 540, toMinute: 1020 },
  ]);
  assert.deepEqual(layer({ length: '1d' }, [{ days: ['sunday', 'saturday'], from: '22:00', to: '24:00' }, { from: '00:00', to: '06:00' }]).restrictions, [
    { days: [0, 6], fromMinute: 1320, toMinute: 1440 },
    { days: [0, 1, 2, 3, 4, 5, 6], fromMinute: 0, toMinute: 360 },
  ]);
  assert.deepEqual(layer({ length: '1d' }, [{ days: 'weekends', from: '00:00', to: '24:00' }]).restrictions, [{ days: [0, 6], fromMinute: 0, toMinute: 1440 }]);
});

test('an empty section is valid and every list defaults to empty', () => {
  const { people, teams, schedules, escalation_policies } = oncallConfigSchema.parse({});
  assert.deepEqual({ people, teams, schedules, escalation_policies }, { people: [], teams: [], schedules: [], escalation_policies: [] });
});

test('unknown ids are errors at the path that names them', () => {
  const input = seedInput();
  input.escalation_policies[0].steps[1].notify[0].schedule = 'bakup';
  input.escalation_policies[0].final = { notify: [{ team: 'managers' }] };
  input.teams[0].members.push('carol');
  input.schedules[0].layers[0].participants.push('dan');
  input.schedules[0].overrides[0].person = 'zoe';
  assert.deepEqual(problems(input), [
    'teams[0].members[2]: no person "carol"',
    'schedules[0].layers[0].participants[2]: no person "dan"',
    'schedules[0].overrides[0].person: no person "zoe"',
    'escalation_policies[0].steps[1].notify[0].schedule: no schedule "bakup"',
    'escalation_policies[0].final.notify[0].team: no team "managers"',
  ]);
});

test('duplicate ids and layer names, and the reserved layer name, are errors', () => {
  const input = seedInput();
  input.people.push({ id: 'ana', name: 'Another Ana', time_zone: 'UTC' });
  input.schedules[1].id = 'primary';
  input.schedules[1].layers.push({ ...input.schedules[1].layers[0] }, { ...input.schedules[1].layers[0], name: 'override' });
  assert.deepEqual(problems(input), [
    'people[4].id: duplicate id "ana"',
    'schedules[1].id: duplicate id "primary"',
    'schedules[1].layers[1].name: duplicate layer name "weekly"',
    'schedules[1].layers[2].name: "override" is reserved for overrides',
    'escalation_policies[0].steps[1].notify[0].schedule: no schedule "backup"',
  ]);
});

test('bad values are named with the field and the value', () => {
  const input = seedInput();
  Object.assign(input.people[0], { phone: '4155550101', time_zone: 'America/Nowhere', pager: 'yes' });
  input.people[1].email = 'not-an-address';
  const layer = input.schedules[0].layers[0];
  Object.assign(layer, { rotation: { length: '90m', handoff: '9am' }, restrictions: [{ days: 'workdays', from: '09:00', to: '17:00' }] });
  input.escalation_policies[0].steps[1].notify = [];
  input.escalation_policies[0].final = { notify: [] };
  input.escalation_policies[0].steps[0] = { notify: [{ schedule: 'primary', person: 'ana' }], wait: 'soon' };
  input.escalation_policies[0].repeat = -1;
  assert.deepEqual(problems(input), [
    'people[0].phone: use E.164, e.g. +14155550123',
    'people[0].time_zone: "America/Nowhere" is not a known IANA time zone, e.g. Europe/Berlin',
    'people[0]: Unrecognized key: "pager"',
    'people[1].email: not an e-mail address',
    'schedules[0].layers[0].rotation.length: "90m" is not a rotation length; use e.g. 12h, 1d, 1w or a number of days',
    'schedules[0].layers[0].rotation.handoff: "9am" is not a time of day; use HH:MM from 00:00 to 23:59',
    'schedules[0].layers[0].restrictions[0].days: use weekdays, weekends, every_day or a list of day names (sunday, monday, tuesday, wednesday, thursday, friday, saturday)',
    'escalation_policies[0].steps[0].notify[0]: give exactly one of schedule, person or team',
    'escalation_policies[0].steps[0].wait: "soon" is not a positive duration; use e.g. 5m, 1h',
    'escalation_policies[0].steps[1].notify: notify at least one schedule, person or team',
    'escalation_policies[0].repeat: Too small: expected number to be >=0',
    'escalation_policies[0].final.notify: notify at least one schedule, person or team',
  ]);
});

test('unknown ids are checked only once the rest is valid: a malformed section never crashes the check', () => {
  const input = seedInput();
  input.people[0].time_zone = 'Mars/Base';
  input.escalation_policies[0].steps[0].notify = [];
  input.escalation_policies[0].steps[1].notify[0].schedule = 'nope';
  input.teams[0].members = 'eve';
  assert.deepEqual(problems(input), [
    'people[0].time_zone: "Mars/Base" is not a known IANA time zone, e.g. Europe/Berlin',
    'teams[0].members: Invalid input: expected array, received string',
    'escalation_policies[0].steps[0].notify: notify at least one schedule, person or team',
  ]);
});

test('times that cannot be read, and overrides that end before they start, are errors once the shape is valid', () => {
  const input = seedInput();
  input.schedules[0].layers[0].start = '2026-02-30T09:00';
  input.schedules[0].overrides[0].end = '2026-03-10T17:00';
  input.schedules[1].layers[0].restrictions = [{ from: '09:00', to: '09:00' }];
  input.schedules[0].overrides.push({ person: 'ana', start: '2026-03-10T18:00', end: 'later' });
  assert.deepEqual(problems(input), [
    'schedules[0].layers[0].start: "2026-02-30T09:00" is not a time; use RFC 3339 (2026-03-01T09:00:00Z) or local YYYY-MM-DDTHH:MM',
    'schedules[0].overrides[0].end: end must be after start',
    'schedules[0].overrides[1].end: "later" is not a time; use RFC 3339 (2026-03-01T09:00:00Z) or local YYYY-MM-DDTHH:MM',
    'schedules[1].layers[0].restrictions[0].to: from and to must differ (leave out restrictions to be on call all day)',
  ]);
});

test('embedded as a key of a larger config, its reference check does not wait on errors elsewhere', () => {
  const vigil = z.object({ listen: z.string(), oncall: oncallConfigSchema.prefault({}) }).strict();
  const result = vigil.safeParse({ listen: 9700, oncall: { teams: [{ id: 't', name: 'T', members: ['nobody'] }] } });
  assert.deepEqual(
    result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    ['listen: Invalid input: expected string, received number', 'oncall.teams.0.members.0: no person "nobody"'],
  );
  const { people, teams, schedules, escalation_policies } = vigil.parse({ listen: ':9700' }).oncall;
  assert.deepEqual({ people, teams, schedules, escalation_policies }, { people: [], teams: [], schedules: [], escalation_policies: [] });
});

test('triggers and fatigue: defaults as the issue gives them, every threshold settable, the commander must exist', () => {
  const base = { people: [{ id: 'cto', name: 'CTO', time_zone: 'UTC' }] };
  const defaults = oncallConfigSchema.parse(base);
  assert.deepEqual(defaults.triggers.unacknowledged, { enabled: true, critical: 300_000, high: 900_000 });
  assert.deepEqual(defaults.triggers.flapping, { enabled: true, fires: 3, within: 1_800_000 });
  assert.equal(defaults.triggers.incident_commander.max_open_critical, 2);
  assert.deepEqual(defaults.fatigue, { enabled: true, critical_pages_per_hour: 3, low_alert_fires_per_day: 10, time_zone: 'UTC' });
  const set = oncallConfigSchema.parse({ ...base, triggers: { incident_commander: { notify: { person: 'cto' } } }, fatigue: { critical_pages_per_hour: 5 } });
  assert.deepEqual(set.triggers.incident_commander.notify, { person: 'cto' });
  assert.equal(set.fatigue.critical_pages_per_hour, 5);
  const bad = oncallConfigSchema.safeParse({ ...base, triggers: { incident_commander: { notify: { person: 'ceo' } } } });
  assert.equal(bad.success, false);
  assert.match(JSON.stringify(bad.error!.issues), /no person \\"ceo\\"/);
  const zone = oncallConfigSchema.safeParse({ ...base, fatigue: { time_zone: 'Mars/Olympus' } });
  assert.equal(zone.success, false);
});
