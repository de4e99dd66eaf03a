/** The dispatcher across time intervals, restarts, reloads, and what it shows the API. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../testing/fake-clock.ts';
import { parseAlertmanagerConfig } from './config.ts';
import { compileRegex } from '../logql/regex.ts';
import { harness } from './testing.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

const withIntervals = {
  global: { resolve_timeout: '7d' },
  route: {
    receiver: 'default',
    group_by: ['alertname'],
    group_wait: '30s',
    group_interval: '5m',
    routes: [
      { matchers: ['team="ops"'], receiver: 'ops', mute_time_intervals: ['weekends'] },
      { matchers: ['team="dev"'], receiver: 'dev', active_time_intervals: ['office-hours'] },
    ],
  },
  receivers: [{ name: 'default' }, { name: 'ops' }, { name: 'dev' }],
  time_intervals: [
    { name: 'weekends', time_intervals: [{ weekdays: ['saturday', 'sunday'] }] },
    { name: 'office-hours', time_intervals: [{ times: [{ start_time: '09:00', end_time: '17:00' }] }] },
  ],
};

test('mute_time_intervals hold notifications back while in effect', async () => {
  const h = harness(withIntervals, { clock: new FakeClock(Date.parse('2024-01-06T10:00:00Z')) }); // a Saturday
  h.dispatcher.put([h.alert({ alertname: 'X', team: 'ops' })]);
  await h.advance(30 * S);
  await h.advance(13 * H);
  assert.deepEqual(h.notifier.summary(), []);
  await h.advance(36 * H); // Monday 11:00
  assert.deepEqual(h.notifier.summary(), ['ops firing X:firing']);
  assert.equal(new Date(h.notifier.sent[0].at).getUTCDay(), 1);
});

test('active_time_intervals send only inside them', async () => {
  const h = harness(withIntervals, { clock: new FakeClock(Date.parse('2024-01-08T20:00:00Z')) });
  h.dispatcher.put([h.alert({ alertname: 'X', team: 'dev' })]);
  await h.advance(30 * S);
  for (let i = 0; i < 12; i++) await h.advance(5 * M);
  assert.deepEqual(h.notifier.summary(), []);
  await h.advance(12 * H); // next day, in office hours
  assert.deepEqual(h.notifier.summary(), ['dev firing X:firing']);
  assert.equal(new Date(h.notifier.sent[0].at).getUTCHours() >= 9, true);
});

test('routeTest says where labels go and whether time intervals or silences mute them', () => {
  const h = harness(
    { ...withIntervals, route: { ...withIntervals.route, routes: [{ ...withIntervals.route.routes[0], continue: true, group_by: ['...'] }, withIntervals.route.routes[1]] } },
    { clock: new FakeClock(Date.parse('2024-01-06T10:00:00Z')) },
  );
  const saturday = Date.parse('2024-01-06T10:00:00Z');
  const monday = Date.parse('2024-01-08T10:00:00Z');
  assert.deepEqual(h.dispatcher.routeTest({ alertname: 'X', team: 'ops' }, saturday), [
    { receiver: 'ops', groupBy: ['...'], groupKey: '{}/{team="ops"}:{alertname="X", team="ops"}', muted: true, mutedBy: 'weekends' },
  ]);
  assert.equal(h.dispatcher.routeTest({ alertname: 'X', team: 'ops' }, monday)[0].muted, false);
  assert.deepEqual(h.dispatcher.routeTest({ alertname: 'X', team: 'dev' }, Date.parse('2024-01-08T20:00:00Z'))[0].mutedBy, 'outside active_time_intervals office-hours');
  assert.deepEqual(h.dispatcher.routeTest({ alertname: 'Y' }, monday), [{ receiver: 'default', groupBy: ['alertname'], groupKey: '{}:{alertname="Y"}', muted: false }]);
  h.silences.rules.push({ id: 's9', mutes: () => true });
  assert.equal(h.dispatcher.routeTest({ alertname: 'Y' }, monday)[0].mutedBy, 'silence s9');
});

test('after a restart on the same database a group is not re-sent before repeat_interval', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dispatch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = { global: { resolve_timeout: '1d' }, route: { receiver: 'team', group_by: ['alertname'], repeat_interval: '1h' }, receivers: [{ name: 'team' }] };
  const clock = new FakeClock();
  const start = clock.now();
  const firstDb = new Database(join(dir, 'vigil.db'));
  const first = harness(config, { db: firstDb, clock });
  first.dispatcher.put([first.alert({ alertname: 'X' })]);
  await first.advance(30 * S);
  assert.equal(first.notifier.sent.length, 1);
  firstDb.close();

  clock.advance(10 * M);
  const secondDb = new Database(join(dir, 'vigil.db'));
  t.after(() => secondDb.close());
  const second = harness(config, { db: secondDb, clock });
  // The rule evaluator re-sends its firing alert after the restart.
  second.dispatcher.put([second.alert({ alertname: 'X' }, { startsAt: start })]);
  await second.advance(100);
  assert.equal(second.notifier.sent.length, 0, 'flushed at once (old alert) but the log says it was sent');
  for (let i = 0; i < 10; i++) await second.advance(5 * M);
  assert.equal(second.notifier.sent.length, 1, 'sent again once repeat_interval passed');

  second.dispatcher.put([second.alert({ alertname: 'X', instance: 'new' })]);
  await second.advance(5 * M);
  assert.equal(second.notifier.sent.length, 2, 'a new alert in the group is sent at the next group_interval');
});

test('reconfigure keeps alerts and routes them by the new tree', async () => {
  const h = harness({ global: { resolve_timeout: '1d' }, route: { receiver: 'a', group_by: ['alertname'] }, receivers: [{ name: 'a' }, { name: 'b' }] });
  h.dispatcher.put([h.alert({ alertname: 'X', team: 'b' })]);
  await h.advance(30 * S);
  h.dispatcher.reconfigure(parseAlertmanagerConfig({ global: { resolve_timeout: '1d' }, route: { receiver: 'a', group_by: ['alertname'], routes: [{ matchers: ['team=b'], receiver: 'b' }] }, receivers: [{ name: 'a' }, { name: 'b' }] }));
  assert.deepEqual(h.dispatcher.config().route.routes[0].receiver, 'b');
  await h.advance(30 * S);
  assert.deepEqual(h.notifier.summary(), ['a firing X:firing', 'b firing X:firing']);
  assert.deepEqual(h.dispatcher.alerts()[0].receivers, [{ name: 'b' }]);
});

test('alerts(), groups() and receivers() in API v2 shapes, with filters', async () => {
  const h = harness({
    global: { resolve_timeout: '5m' },
    route: { receiver: 'default', group_by: ['alertname'], routes: [{ matchers: ['severity="page"'], receiver: 'pager', continue: true }] },
    receivers: [{ name: 'default' }, { name: 'pager' }],
  });
  const now = h.clock.now();
  h.dispatcher.put([h.alert({ alertname: 'X', severity: 'page' }, { annotations: { summary: 's' } }), h.alert({ alertname: 'Y' })]);
  assert.deepEqual(h.dispatcher.receivers(), [{ name: 'default' }, { name: 'pager' }]);
  const [x] = h.dispatcher.alerts({ matchers: [{ name: 'alertname', op: '=', value: 'X' }] });
  assert.deepEqual(x, {
    labels: { alertname: 'X', severity: 'page' },
    annotations: { summary: 's' },
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 5 * M).toISOString(),
    updatedAt: new Date(now).toISOString(),
    generatorURL: 'http://gen/x',
    fingerprint: x.fingerprint,
    receivers: [{ name: 'pager' }],
    status: { state: 'active', silencedBy: [], inhibitedBy: [] },
  });
  assert.deepEqual(h.dispatcher.alerts({ receiver: compileRegex('default', true) }).map((a) => a.labels.alertname), ['Y']);
  assert.deepEqual(h.dispatcher.alerts({ receiver: compileRegex('pag', true) }), [], 'receiver regex is anchored');
  const groups = h.dispatcher.groups();
  assert.deepEqual(groups.map((g) => [g.labels, g.receiver.name, g.alerts.length]), [
    [{ alertname: 'X' }, 'pager', 1],
    [{ alertname: 'Y' }, 'default', 1],
  ]);
  assert.deepEqual(h.dispatcher.groups({ receiver: compileRegex('default', true) }).map((g) => g.labels), [{ alertname: 'Y' }]);
  h.clock.advance(6 * M);
  assert.deepEqual(h.dispatcher.alerts(), [], 'resolved alerts are not listed');
});

test('start() drives flushes from the clock, stop() ends them', async () => {
  const h = harness({ global: { resolve_timeout: '1d' }, route: { receiver: 'a', group_wait: '1s' }, receivers: [{ name: 'a' }] });
  h.dispatcher.start();
  h.dispatcher.put([h.alert({ alertname: 'X' })]);
  h.clock.advance(1100);
  await h.dispatcher.idle();
  assert.equal(h.notifier.sent.length, 1);
  h.dispatcher.stop();
  assert.equal(h.clock.pendingTimers, 0);
});
