import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FakeClock } from '../testing/fake-clock.ts';
import { parseMatchers } from './matchers.ts';
import { parsePostableSilence, Silences, type GettableSilence, type SilenceEvent, type SilencesOptions } from './silences.ts';

const HOUR = 3600_000;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function setup(t: TestContext, options: Partial<SilencesOptions> = {}) {
  const clock = new FakeClock(Date.UTC(2026, 10, 30, 12, 0, 0));
  const db = new Database(':memory:');
  const events: SilenceEvent[] = [];
  const expired: GettableSilence[] = [];
  const silences = new Silences(db, {
    clock,
    onChange: (event) => events.push(event),
    onExpired: (silence) => expired.push(silence),
    ...options,
  });
  t.after(() => {
    silences.stop();
    db.close();
  });
  return { clock, db, silences, events, expired };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function postable(clock: FakeClock, overrides: Record<string, unknown> = {}) {
  return parsePostableSilence({
    matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }],
    startsAt: iso(clock.now()),
    endsAt: iso(clock.now() + HOUR),
    createdBy: 'ops@example.com',
    comment: 'disk swap',
    ...overrides,
  });
}

function assertInvalid(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (err: Error & { code?: string }) => {
    assert.equal(err.code, 'VIGIL_ERR_SILENCE_INVALID');
    assert.match(err.message, pattern);
    return true;
  });
}

test('a created silence gets a UUID v4 and reads back in the API shape', (t) => {
  const { clock, silences, events } = setup(t);
  const id = silences.upsert(postable(clock, { annotations: { ticket: 'OPS-1' } }));
  assert.match(id, UUID_V4);
  assert.deepEqual(silences.get(id), {
    id,
    matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }],
    startsAt: '2026-11-30T12:00:00.000Z',
    endsAt: '2026-11-30T13:00:00.000Z',
    updatedAt: '2026-11-30T12:00:00.000Z',
    createdBy: 'ops@example.com',
    comment: 'disk swap',
    annotations: { ticket: 'OPS-1' },
    status: { state: 'active' },
  });
  assert.deepEqual(events.map((e) => [e.action, e.silence.id]), [['created', id]]);
});

test('a silence starting later is pending, and one posted with a past start starts now', (t) => {
  const { clock, silences } = setup(t);
  const later = silences.upsert(postable(clock, { startsAt: iso(clock.now() + HOUR), endsAt: iso(clock.now() + 2 * HOUR) }));
  const earlier = silences.upsert(postable(clock, { startsAt: iso(clock.now() - HOUR) }));
  assert.equal(silences.get(later).status.state, 'pending');
  assert.equal(silences.get(earlier).startsAt, iso(clock.now()));
});

test('invalid silences are refused with the field named', (t) => {
  const { clock, silences } = setup(t);
  assertInvalid(() => parsePostableSilence({ ...postable(clock), matchers: [] }), /^matchers: at least one matcher/);
  assertInvalid(() => parsePostableSilence({ ...postable(clock), startsAt: 'yesterday' }), /^startsAt: "yesterday" is not an RFC 3339 time/);
  assertInvalid(() => parsePostableSilence({ ...postable(clock), matchers: [{ name: '1x', value: 'a', isRegex: false }] }), /matchers\[0\]\.name/);
  assertInvalid(() => parsePostableSilence({ ...postable(clock), recurence: [] }), /unknown field\(s\) recurence/);
  assertInvalid(() => parsePostableSilence({ ...postable(clock), createdBy: 7 }), /^createdBy:/);
  assertInvalid(() => silences.upsert(postable(clock, { endsAt: iso(clock.now() - 1) })), /^endsAt: .* must be after startsAt/);
  assertInvalid(
    () => silences.upsert(postable(clock, { startsAt: iso(clock.now() - 2 * HOUR), endsAt: iso(clock.now() - HOUR) })),
    /^endsAt: .* is in the past/,
  );
  const everything = [{ name: 'alertname', value: '.*', isRegex: true, isEqual: true }];
  assertInvalid(() => silences.upsert(postable(clock, { matchers: everything })), /^matchers: at least one matcher must not match the empty string/);
  const emptyOrMissing = [{ name: 'team', value: '', isRegex: false, isEqual: true }, { name: 'env', value: 'prod|', isRegex: true, isEqual: true }];
  assertInvalid(() => silences.upsert(postable(clock, { matchers: emptyOrMissing })), /^matchers: at least one matcher must not match the empty string/);
  const runaway = [{ name: 'job', value: '(a+)+$', isRegex: true, isEqual: true }];
  assertInvalid(() => silences.upsert(postable(clock, { matchers: runaway })), /^matchers\[0\]\.value: /);
  assert.deepEqual(silences.list(), []);
  const negative = [{ name: 'env', value: 'prod', isRegex: false, isEqual: false }];
  assert.match(silences.upsert(postable(clock, { matchers: negative })), UUID_V4, 'as Alertmanager, a negative matcher alone is accepted');
});

test('mutedBy applies every matcher, anchored regexes and negation, only while active', (t) => {
  const { clock, silences } = setup(t);
  const id = silences.upsert(
    postable(clock, {
      matchers: [
        { name: 'alertname', value: 'Disk.*', isRegex: true, isEqual: true },
        { name: 'env', value: 'prod', isRegex: false, isEqual: false },
        { name: 'team', value: 'db|web', isRegex: true, isEqual: false },
      ],
    }),
  );
  const now = clock.now();
  assert.deepEqual(silences.mutedBy({ alertname: 'DiskFull', env: 'staging' }, now), [id]);
  assert.deepEqual(silences.mutedBy({ alertname: 'DiskFull', env: 'staging', team: 'ops' }, now), [id]);
  assert.deepEqual(silences.mutedBy({ alertname: 'DiskFull', env: 'staging', team: 'web' }, now), []);
  assert.deepEqual(silences.mutedBy({ alertname: 'DiskFull', env: 'prod' }, now), []);
  assert.deepEqual(silences.mutedBy({ alertname: 'NoDiskFull', env: 'staging' }, now), [], 'regex is anchored');
  assert.deepEqual(silences.mutedBy({ alertname: 'DiskFull' }, now + HOUR), [], 'ended');
  assert.deepEqual(silences.mutedBy({ alertname: 'DiskFull' }, now - 1), [], 'not yet started');
});

test('an active silence read back and posted with its id and matchers unchanged is updated in place', (t) => {
  const { clock, silences, events } = setup(t);
  const id = silences.upsert(postable(clock));
  clock.advance(60_000);
  const original = silences.get(id);
  const again = silences.upsert(parsePostableSilence({ ...original, endsAt: iso(clock.now() + 5 * HOUR), comment: 'longer' }));
  assert.equal(again, id);
  assert.equal(silences.get(id).comment, 'longer');
  assert.equal(silences.get(id).endsAt, iso(clock.now() + 5 * HOUR));
  assert.equal(silences.get(id).updatedAt, iso(clock.now()));
  assert.deepEqual(events.map((e) => e.action), ['created', 'updated']);
});

test('changing the matchers of an active silence expires it and creates a new one', (t) => {
  const { clock, silences, events } = setup(t);
  const id = silences.upsert(postable(clock));
  clock.advance(60_000);
  const replacement = silences.upsert(postable(clock, { id, matchers: [{ name: 'alertname', value: 'DiskSlow', isRegex: false, isEqual: true }] }));
  assert.notEqual(replacement, id);
  assert.equal(silences.get(id).status.state, 'expired');
  assert.equal(silences.get(id).endsAt, iso(clock.now()));
  assert.equal(silences.get(replacement).status.state, 'active');
  assert.deepEqual(events.map((e) => [e.action, e.silence.id]), [['created', id], ['expired', id], ['created', replacement]]);
});

test('updating an unknown id is not found', (t) => {
  const { clock, silences } = setup(t);
  assert.throws(() => silences.upsert(postable(clock, { id: '8d5e2d4e-0000-4000-8000-000000000000' })), { code: 'VIGIL_ERR_NOT_FOUND' });
});

test('expire ends a silence now; a missing or already expired one is an error', (t) => {
  const { clock, silences, expired } = setup(t);
  const id = silences.upsert(postable(clock));
  assert.throws(() => silences.expire('nope'), { code: 'VIGIL_ERR_NOT_FOUND' });
  clock.advance(1000);
  silences.expire(id);
  assert.equal(silences.get(id).status.state, 'expired');
  assert.deepEqual(silences.mutedBy({ alertname: 'DiskFull' }, clock.now()), []);
  assert.throws(() => silences.expire(id), { code: 'VIGIL_ERR_SILENCE_INVALID', message: /already expired/ });
  silences.start();
  clock.advance(HOUR);
  assert.equal(expired.length, 0, 'no expiry notice for a silence ended by hand');
});

test('expiring a pending silence makes it expired, not active', (t) => {
  const { clock, silences } = setup(t);
  const id = silences.upsert(postable(clock, { startsAt: iso(clock.now() + HOUR), endsAt: iso(clock.now() + 2 * HOUR) }));
  silences.expire(id);
  assert.equal(silences.get(id).status.state, 'expired');
  assert.equal(silences.get(id).startsAt, iso(clock.now()));
});

test('a recurring silence mutes only inside its intervals, within startsAt..endsAt', (t) => {
  const { clock, silences } = setup(t);
  const sunday = Date.UTC(2026, 11, 6); // a Sunday
  assert.equal(new Date(sunday).getUTCDay(), 0);
  const recurrence = [{ weekdays: ['sunday'], times: [{ start_time: '02:00', end_time: '04:00' }], location: 'UTC' }];
  const id = silences.upsert(postable(clock, { endsAt: iso(sunday + 30 * 24 * HOUR), recurrence }));
  const labels = { alertname: 'DiskFull' };
  assert.deepEqual(silences.mutedBy(labels, sunday + 3 * HOUR), [id]);
  assert.deepEqual(silences.mutedBy(labels, sunday + 4 * HOUR), []);
  assert.deepEqual(silences.mutedBy(labels, sunday + 24 * HOUR + 3 * HOUR), [], 'Monday');
  assert.deepEqual(silences.mutedBy(labels, sunday + 35 * 24 * HOUR + 3 * HOUR), [], 'a Sunday after endsAt');
  assert.deepEqual(silences.get(id).recurrence, recurrence);
});

test('a bad recurrence is refused naming the field', (t) => {
  const { clock, silences } = setup(t);
  const recurrence = [{ times: [{ start_time: '25:00', end_time: '04:00' }] }];
  assertInvalid(() => silences.upsert(postable(clock, { recurrence })), /^recurrence\[0\]\.times\[0\]\.start_time: "25:00" is not a time of day/);
  assertInvalid(() => silences.upsert(postable(clock, { recurrence: [] })), /^recurrence: give at least one/);
});

test('onExpired is called once when a silence runs out, and it is collected after retention', (t) => {
  const { clock, silences, expired, events } = setup(t, { maintenanceIntervalMs: 10_000, retentionMs: 5 * HOUR });
  const id = silences.upsert(postable(clock));
  silences.start();
  clock.advance(HOUR - 1);
  assert.equal(expired.length, 0);
  clock.advance(10_000);
  assert.deepEqual(expired.map((s) => [s.id, s.status.state]), [[id, 'expired']]);
  assert.deepEqual(events.map((e) => e.action), ['created', 'expired']);
  clock.advance(4 * HOUR);
  assert.equal(expired.length, 1);
  assert.equal(silences.list().length, 1, 'kept during retention');
  clock.advance(HOUR + 20_000);
  assert.deepEqual(silences.list(), []);
  assert.throws(() => silences.get(id), { code: 'VIGIL_ERR_NOT_FOUND' });
});

test('list filters as Alertmanager does and orders active, pending, expired', (t) => {
  const { clock, silences } = setup(t);
  const a = silences.upsert(postable(clock, { endsAt: iso(clock.now() + 2 * HOUR) }));
  const b = silences.upsert(postable(clock, { matchers: [{ name: 'alertname', value: 'CPU', isRegex: false, isEqual: true }, { name: 'env', value: 'prod', isRegex: false, isEqual: true }] }));
  const c = silences.upsert(postable(clock, { startsAt: iso(clock.now() + HOUR), endsAt: iso(clock.now() + 3 * HOUR) }));
  const d = silences.upsert(postable(clock));
  silences.expire(d);
  assert.deepEqual(silences.list().map((s) => s.id), [b, a, c, d]);
  assert.deepEqual(silences.list(parseMatchers('alertname=DiskFull')).map((s) => s.id), [a, c, d]);
  assert.deepEqual(silences.list(parseMatchers('{env=~"prod|dev"}')).map((s) => s.id), [b]);
  assert.deepEqual(silences.list(parseMatchers('team!=db')).map((s) => s.id), [], 'a label the silence has no matcher for excludes it');
  assert.deepEqual(silences.list(parseMatchers('toString!=db')).map((s) => s.id), [], 'not even a name on Object.prototype');
});

test('silences and their expiry notices survive a restart', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-silences-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'silences.db');
  const clock = new FakeClock(Date.UTC(2026, 10, 30, 12));
  const expired: string[] = [];
  const open = () => {
    const db = new Database(path);
    return { db, silences: new Silences(db, { clock, onExpired: (s) => expired.push(s.id) }) };
  };
  const first = open();
  const short = first.silences.upsert(postable(clock));
  const long = first.silences.upsert(postable(clock, { endsAt: iso(clock.now() + 10 * HOUR) }));
  first.db.close();

  clock.advance(2 * HOUR);
  const second = open();
  assert.deepEqual(second.silences.mutedBy({ alertname: 'DiskFull' }, clock.now()), [long]);
  second.silences.start();
  assert.deepEqual(expired, [short], 'what ended while down is noticed at start');
  second.silences.stop();
  second.db.close();

  const third = open();
  third.silences.start();
  third.silences.stop();
  assert.deepEqual(expired, [short], 'noticed only once');
  assert.equal(third.silences.get(short).status.state, 'expired');
  third.db.close();
});
