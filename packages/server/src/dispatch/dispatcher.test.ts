/** Timelines: push these alerts at these times, expect these notifications. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprint } from './model.ts';
import { harness } from './testing.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** Alerts sent without endsAt stay firing for an hour unless re-sent. */
const basic = {
  global: { resolve_timeout: '1h' },
  route: { receiver: 'team', group_by: ['alertname'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' },
  receivers: [{ name: 'team' }],
};

test('group_wait, then group_interval for changes; groups by group_by', async () => {
  const h = harness(basic);
  h.dispatcher.put([h.alert({ alertname: 'X', instance: 'b' }), h.alert({ alertname: 'Y' })]);
  await h.advance(29 * S);
  assert.deepEqual(h.notifier.summary(), []);
  await h.advance(1 * S);
  assert.deepEqual(h.notifier.summary().sort(), ['team firing X/b:firing', 'team firing Y:firing']);
  h.notifier.clear();

  h.dispatcher.put([h.alert({ alertname: 'X', instance: 'a' })]);
  await h.advance(4 * M + 59 * S);
  assert.deepEqual(h.notifier.summary(), [], 'a new alert in a flushed group waits for group_interval');
  await h.advance(1 * S);
  assert.deepEqual(h.notifier.summary(), ['team firing X/a:firing,X/b:firing'], 'sorted by instance');
  h.notifier.clear();

  await h.advance(5 * M);
  assert.deepEqual(h.notifier.summary(), [], 'nothing changed: no re-send before repeat_interval');
});

test('the notification payload has Alertmanager shapes', async () => {
  const h = harness(basic);
  h.dispatcher.put([
    h.alert({ alertname: 'X', instance: 'a', severity: 'page' }, { annotations: { summary: 'down', runbook: 'r1' } }),
    h.alert({ alertname: 'X', instance: 'b', severity: 'page' }, { annotations: { summary: 'down', runbook: 'r2' } }),
  ]);
  const start = h.clock.now();
  await h.advance(30 * S);
  const [{ receiver, notification: n }] = h.notifier.sent;
  assert.equal(receiver, 'team');
  assert.equal(n.receiver, 'team');
  assert.equal(n.status, 'firing');
  assert.equal(n.groupKey, '{}:{alertname="X"}');
  assert.deepEqual(n.groupLabels, { alertname: 'X' });
  assert.deepEqual(n.commonLabels, { alertname: 'X', severity: 'page' });
  assert.deepEqual(n.commonAnnotations, { summary: 'down' });
  assert.equal(n.externalURL, 'http://vigil.test');
  assert.equal(n.truncatedAlerts, 0);
  assert.deepEqual(n.alerts[0], {
    status: 'firing',
    labels: { alertname: 'X', instance: 'a', severity: 'page' },
    annotations: { summary: 'down', runbook: 'r1' },
    startsAt: new Date(start).toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://gen/x',
    fingerprint: fingerprint({ alertname: 'X', instance: 'a', severity: 'page' }),
  });
});

test('alerts sort by job, then instance, then labels; a missing job sorts last', async () => {
  const h = harness({ ...basic, route: { ...basic.route, group_by: [] } });
  h.dispatcher.put([
    h.alert({ alertname: 'A' }),
    h.alert({ alertname: 'B', job: 'z', instance: '1' }),
    h.alert({ alertname: 'C', job: 'a', instance: '2' }),
    h.alert({ alertname: 'D', job: 'a', instance: '1' }),
  ]);
  await h.advance(30 * S);
  assert.deepEqual(h.notifier.sent[0].notification.alerts.map((a) => a.labels.alertname), ['D', 'C', 'B', 'A']);
});

test('an unchanged firing group is re-sent after repeat_interval, at the group_interval after it', async () => {
  const h = harness({ ...basic, route: { ...basic.route, group_interval: '1m', repeat_interval: '5m' } });
  h.dispatcher.put([h.alert({ alertname: 'X' }, { endsAt: h.clock.now() + 10 * H })]);
  await h.advance(30 * S);
  assert.equal(h.notifier.sent.length, 1);
  for (let i = 0; i < 5; i++) await h.advance(1 * M);
  assert.equal(h.notifier.sent.length, 1, 'exactly repeat_interval after is not yet "before now - repeat", as in Alertmanager');
  await h.advance(1 * M);
  assert.equal(h.notifier.sent.length, 2);
  assert.equal(h.notifier.sent[1].at - h.notifier.sent[0].at, 6 * M);
});

test('a resolved alert is notified once, then leaves its group', async () => {
  const h = harness(basic);
  const start = h.clock.now();
  h.dispatcher.put([h.alert({ alertname: 'X' })]);
  await h.advance(30 * S);
  h.dispatcher.put([h.alert({ alertname: 'X' }, { startsAt: start, endsAt: h.clock.now() })]);
  await h.advance(5 * M);
  assert.deepEqual(h.notifier.summary(), ['team firing X:firing', 'team resolved X:resolved']);
  assert.notEqual(h.notifier.sent[1].notification.alerts[0].endsAt, '0001-01-01T00:00:00Z');
  await h.advance(5 * M);
  await h.advance(5 * H);
  assert.equal(h.notifier.sent.length, 2, 'never again');
  assert.deepEqual(h.dispatcher.groups(), []);
  assert.deepEqual(h.events.filter((e) => e.kind === 'alert').map((e) => e.kind === 'alert' && e.change), ['received', 'resolved']);
});

test('an alert without endsAt resolves resolve_timeout after its last update', async () => {
  const h = harness({ ...basic, global: { resolve_timeout: '10m' } });
  h.dispatcher.put([h.alert({ alertname: 'X' })]);
  await h.advance(30 * S);
  await h.advance(5 * M);
  h.dispatcher.put([h.alert({ alertname: 'X' })]);
  await h.advance(5 * M);
  assert.equal(h.dispatcher.alerts().length, 1, 'refreshed at 5m30s: still firing at 10m30s');
  await h.advance(5 * M);
  await h.advance(5 * M);
  assert.deepEqual(h.notifier.summary(), ['team firing X:firing', 'team resolved X:resolved']);
  assert.deepEqual(h.dispatcher.alerts(), []);
});

test('alerts that fire and resolve before the first flush are never notified', async () => {
  const h = harness(basic);
  h.dispatcher.put([h.alert({ alertname: 'X' })]);
  await h.advance(10 * S);
  h.dispatcher.put([h.alert({ alertname: 'X' }, { endsAt: h.clock.now() })]);
  await h.advance(1 * H);
  assert.deepEqual(h.notifier.summary(), []);
});

test('an alert older than group_wait is flushed at once', async () => {
  const h = harness(basic);
  h.dispatcher.put([h.alert({ alertname: 'X' }, { startsAt: h.clock.now() - 10 * M })]);
  await h.advance(100);
  assert.equal(h.notifier.sent.length, 1);
});

test('a failed send is retried at the next group_interval', async () => {
  const h = harness(basic);
  h.notifier.failing = true;
  h.dispatcher.put([h.alert({ alertname: 'X' })]);
  await h.advance(30 * S);
  h.notifier.failing = false;
  await h.advance(5 * M);
  assert.equal(h.notifier.sent.length, 2);
  const results = h.events.flatMap((e) => (e.kind === 'notification' ? [e.results[0].ok] : []));
  assert.deepEqual(results, [false, true]);
});

test('inhibition: a firing source mutes targets with equal labels, never itself', async () => {
  const h = harness({
    route: { receiver: 'team', group_by: ['...'], group_wait: '30s' },
    receivers: [{ name: 'team' }],
    inhibit_rules: [
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['cluster'] },
      { source_matchers: ['alertname=~".+"'], target_matchers: ['alertname=~".+"'], equal: ['cluster'] },
    ],
  });
  const critical = h.alert({ alertname: 'Down', severity: 'critical', cluster: 'a' });
  h.dispatcher.put([critical, h.alert({ alertname: 'Slow', severity: 'warning', cluster: 'a' }), h.alert({ alertname: 'Slow', severity: 'warning', cluster: 'b' })]);
  await h.advance(30 * S);
  // The second rule matches every alert on both sides: it mutes nothing, as in Alertmanager.
  assert.deepEqual(h.notifier.summary().sort(), ['team firing Down:firing', 'team firing Slow:firing']);
  assert.deepEqual(h.notifier.sent.map((s) => s.notification.alerts[0].labels.cluster).sort(), ['a', 'b']);
  const muted = h.dispatcher.alerts({ inhibited: true }).find((a) => a.labels.cluster === 'a' && a.labels.severity === 'warning')!;
  assert.deepEqual(muted.status, { state: 'suppressed', silencedBy: [], inhibitedBy: [fingerprint(critical.labels)] });
  assert.equal(h.dispatcher.alerts({ inhibited: false }).length, 2);
  assert.ok(h.events.some((e) => e.kind === 'alert' && e.change === 'inhibited' && e.labels.cluster === 'a'));

  h.dispatcher.put([{ ...critical, endsAt: h.clock.now() }]);
  await h.advance(5 * M);
  assert.ok(h.notifier.summary().includes('team firing Slow:firing'), 'the target is sent once its source resolved');
});

test('silenced alerts are not sent and show their silences', async () => {
  const h = harness(basic);
  h.silences.rules.push({ id: 'sil-1', mutes: (l) => l.team === 'quiet' });
  h.dispatcher.put([h.alert({ alertname: 'X', team: 'quiet' }), h.alert({ alertname: 'X', team: 'loud' })]);
  await h.advance(30 * S);
  assert.equal(h.notifier.sent.length, 1);
  assert.deepEqual(h.notifier.sent[0].notification.alerts.map((a) => a.labels.team), ['loud']);
  const [quiet] = h.dispatcher.alerts({ matchers: [{ name: 'team', op: '=', value: 'quiet' }] });
  assert.deepEqual(quiet.status, { state: 'suppressed', silencedBy: ['sil-1'], inhibitedBy: [] });
  assert.deepEqual(h.dispatcher.alerts({ silenced: false }).map((a) => a.labels.team), ['loud']);
  assert.deepEqual(h.dispatcher.alerts({ active: false }).map((a) => a.labels.team), ['quiet']);
  assert.ok(h.events.some((e) => e.kind === 'alert' && e.change === 'silenced'));

  h.silences.rules.length = 0;
  await h.advance(5 * M);
  assert.deepEqual(h.notifier.sent[1].notification.alerts.map((a) => a.labels.team), ['loud', 'quiet'], 'expired silence: sent');
});
