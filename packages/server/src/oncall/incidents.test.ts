import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isVigilError } from '../errors.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import type { EscalationPolicy } from './escalation.ts';
import { IncidentStore } from './incident-store.ts';
import type { Notification } from '../dispatch/model.ts';
import { incidentInputFrom, Incidents, type IncidentAlertInput } from './incidents.ts';

const T = Date.UTC(2026, 0, 5, 9, 0, 0);
const M = 60_000;
const policy: EscalationPolicy = { id: 'p', steps: [{ targets: [{ person: 'alice' }], waitMs: 5 * M }], repeat: 0 };

function setup(db = new Database(':memory:')) {
  const clock = new FakeClock(T);
  const incidents = new Incidents(new IncidentStore(db), clock, new Map([[policy.id, policy]]), { ackTimeoutMs: 60 * M });
  const alert = (fingerprint: string, status: IncidentAlertInput['status'] = 'firing'): IncidentAlertInput => ({ fingerprint, labels: { alertname: fingerprint }, status });
  const send = (groupKey: string, ...alerts: IncidentAlertInput[]) => incidents.openOrUpdate({ groupKey, policy: 'p', severity: 'high', summary: `${groupKey}: ${alerts.length} alerts`, alerts });
  return { clock, incidents, alert, send };
}

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return isVigilError(err) ? err.code : 'not a VigilError';
  }
  return 'no error';
};

test('one incident per group: later notifications update it, a group with nothing firing opens none', () => {
  const { incidents, alert, send, clock } = setup();
  assert.equal(send('g', alert('a', 'resolved')), undefined);
  const opened = send('g', alert('a'))!;
  assert.deepEqual([opened.id, opened.state, opened.severity, opened.createdAt], ['1', 'triggered', 'high', T]);
  clock.advance(M);
  const updated = send('g', alert('a'), alert('b'))!;
  assert.equal(updated.id, '1');
  assert.equal(updated.summary, 'g: 2 alerts');
  assert.deepEqual(incidents.alerts('1').map((a) => [a.fingerprint, a.status]), [['a', 'firing'], ['b', 'firing']]);
  assert.equal(send('other', alert('c'))!.id, '2');
});

test('resolves by itself when every alert resolved; a new firing opens a new incident', () => {
  const { incidents, alert, send, clock } = setup();
  send('g', alert('a'), alert('b'));
  clock.advance(M);
  assert.equal(send('g', alert('a', 'resolved'), alert('b'))!.state, 'triggered', 'b still fires');
  clock.advance(M);
  const resolved = send('g', alert('b', 'resolved'))!;
  assert.deepEqual([resolved.state, resolved.resolvedAt, resolved.resolvedBy], ['resolved', T + 2 * M, 'vigil']);
  clock.advance(M);
  assert.equal(send('g', alert('a'))!.id, '2');
  assert.deepEqual(
    incidents.timeline('1').map((e) => e.action),
    ['triggered', 'alert-firing', 'alert-firing', 'alert-resolved', 'alert-resolved', 'resolved'],
  );
});

test('acknowledge, snooze, un-acknowledge, re-assign, severity change and resolve are on the timeline with who, when and via', () => {
  const { incidents, alert, send, clock } = setup();
  send('g', alert('a'));
  clock.advance(M);
  const acked = incidents.acknowledge('1', { actor: 'alice', via: 'link' });
  assert.deepEqual([acked.state, acked.acknowledgedBy, acked.acknowledgedAt, acked.ackUntil], ['acknowledged', 'alice', T + M, T + 61 * M]);
  assert.equal(acked.escalation.nextDueAt, undefined);
  clock.advance(M);
  assert.equal(incidents.unacknowledge('1', { actor: 'bob', via: 'ui' }).state, 'triggered');
  clock.advance(M);
  assert.equal(incidents.snooze('1', 30, { actor: 'alice', via: 'sms' }).ackUntil, T + 33 * M);
  clock.advance(M);
  const reassigned = incidents.reassign('1', 'carol', { actor: 'alice', via: 'cli' });
  assert.deepEqual([reassigned.state, reassigned.assignee, reassigned.escalation.position, reassigned.escalation.nextDueAt], ['triggered', 'carol', -1, T + 4 * M]);
  assert.equal(incidents.setSeverity('1', 'critical', { actor: 'carol', via: 'api' }).severity, 'critical');
  clock.advance(M);
  assert.equal(incidents.resolve('1', { actor: 'carol', via: 'ui' }).state, 'resolved');
  assert.equal(incidents.resolve('1', { actor: 'carol', via: 'ui' }).resolvedAt, T + 5 * M, 'resolving again changes nothing');

  const timeline = incidents.timeline('1').filter((e) => !e.action.startsWith('alert-') && e.action !== 'triggered');
  assert.deepEqual(
    timeline.map((e) => [(e.at - T) / M, e.actor, e.action, e.via]),
    [
      [1, 'alice', 'acknowledged', 'link'],
      [2, 'bob', 'unacknowledged', 'ui'],
      [3, 'alice', 'acknowledged', 'sms'],
      [3, 'alice', 'snoozed', 'sms'],
      [4, 'alice', 'reassigned', 'cli'],
      [4, 'carol', 'severity-changed', 'api'],
      [5, 'carol', 'resolved', 'ui'],
    ],
  );
  assert.deepEqual(timeline[5].detail, { from: 'high', to: 'critical' });
  assert.equal(incidents.get('1')!.firstAcknowledgedAt, T + M, 'time to acknowledge counts the first one');
});

test('acknowledge all: every triggered incident, not the others', () => {
  const { incidents, alert, send } = setup();
  for (const group of ['a', 'b', 'c', 'd']) send(group, alert(group));
  incidents.acknowledge('2', { actor: 'alice', via: 'ui' });
  incidents.resolve('3', { actor: 'alice', via: 'ui' });
  assert.deepEqual(incidents.acknowledgeAll({ actor: 'bob', via: 'ui' }).sort(), ['1', '4']);
  assert.deepEqual(incidents.list().map((i) => [i.id, i.state]), [['4', 'acknowledged'], ['2', 'acknowledged'], ['1', 'acknowledged'], ['3', 'resolved']]);
  assert.equal(incidents.get('2')!.acknowledgedBy, 'alice', 'already acknowledged: left as it was');
});

test('the acknowledgement timeout re-triggers an incident still firing, from the step paged last', () => {
  const { incidents, alert, send, clock } = setup();
  send('g', alert('a'));
  incidents.store.update('1', { position: 1, pagedPosition: 0 });
  incidents.acknowledge('1', { actor: 'alice', via: 'api' });
  clock.advance(60 * M - 1);
  assert.deepEqual(incidents.expireAcknowledgements(), []);
  clock.advance(1);
  assert.deepEqual(incidents.expireAcknowledgements(), ['1']);
  const incident = incidents.get('1')!;
  assert.deepEqual([incident.state, incident.escalation.position, incident.escalation.cycle, incident.escalation.nextDueAt], ['triggered', 0, 2, T + 60 * M]);
});

test('bad requests fail with named errors', () => {
  const { incidents, alert, send } = setup();
  send('g', alert('a'));
  assert.equal(code(() => incidents.acknowledge('99', { actor: 'x', via: 'api' })), 'VIGIL_ERR_NOT_FOUND');
  assert.equal(code(() => incidents.unacknowledge('1', { actor: 'x', via: 'api' })), 'VIGIL_ERR_ALERT_INVALID');
  assert.equal(code(() => incidents.snooze('1', 0, { actor: 'x', via: 'api' })), 'VIGIL_ERR_ALERT_INVALID');
  assert.equal(code(() => incidents.setSeverity('1', 'urgent' as never, { actor: 'x', via: 'api' })), 'VIGIL_ERR_ALERT_INVALID');
  assert.equal(code(() => incidents.openOrUpdate({ groupKey: 'g', policy: 'nope', severity: 'low', summary: '', alerts: [] })), 'VIGIL_ERR_CONFIG_INVALID');
  incidents.resolve('1', { actor: 'x', via: 'api' });
  assert.equal(code(() => incidents.acknowledge('1', { actor: 'x', via: 'api' })), 'VIGIL_ERR_ALERT_INVALID');
  assert.equal(code(() => new Incidents(incidents.store, new FakeClock(), new Map(), { lowNoise: { timeZone: 'Mars/Olympus' } })), 'VIGIL_ERR_CONFIG_INVALID');
});

test('incidents, alerts and timelines survive a reopen of the database file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-incidents-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = new Database(join(dir, 'db'));
  const a = setup(first);
  a.send('g', a.alert('x'));
  a.incidents.acknowledge('1', { actor: 'alice', via: 'api' });
  first.close();
  const second = new Database(join(dir, 'db'));
  t.after(() => second.close());
  const b = setup(second);
  assert.equal(b.incidents.get('1')!.state, 'acknowledged');
  assert.deepEqual(b.incidents.timeline('1').map((e) => e.action), ['triggered', 'alert-firing', 'acknowledged']);
  assert.equal(b.send('g', b.alert('x'), b.alert('y'))!.id, '1', 'the open incident is found again');
});

test('a notification maps onto an incident input: severity label, summary annotation, alert statuses', () => {
  const notification: Notification = {
    receiver: 'oncall',
    status: 'firing',
    alerts: [
      { status: 'firing', labels: { alertname: 'DiskFull', severity: 'Warning' }, annotations: {}, startsAt: '', endsAt: '', generatorURL: '', fingerprint: 'f1' },
      { status: 'resolved', labels: { alertname: 'DiskFull', severity: 'Warning' }, annotations: {}, startsAt: '', endsAt: '', generatorURL: '', fingerprint: 'f2' },
    ],
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', severity: 'Warning' },
    commonAnnotations: {},
    externalURL: '',
    groupKey: '{}:{alertname="DiskFull"}',
    truncatedAlerts: 0,
  };
  const input = incidentInputFrom(notification, 'p');
  assert.deepEqual([input.severity, input.summary, input.groupKey], ['medium', 'alertname=DiskFull', '{}:{alertname="DiskFull"}']);
  assert.deepEqual(input.alerts.map((a) => [a.fingerprint, a.status]), [['f1', 'firing'], ['f2', 'resolved']]);
  const critical = incidentInputFrom({ ...notification, commonLabels: { severity: 'critical' }, commonAnnotations: { summary: 'disk full' } }, 'p');
  assert.deepEqual([critical.severity, critical.summary], ['critical', 'disk full']);
  assert.equal(incidentInputFrom({ ...notification, commonLabels: {} }, 'p', 'low').severity, 'low', 'no label: the fallback');
  assert.equal(incidentInputFrom({ ...notification, commonLabels: { severity: 'sev1' } }, 'p').severity, 'high', 'unknown word: the default fallback');
  assert.equal(incidentInputFrom({ ...notification, commonLabels: { severity: 'constructor' } }, 'p').severity, 'high', 'not an inherited property');
});
