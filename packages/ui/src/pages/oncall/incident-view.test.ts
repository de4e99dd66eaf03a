import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident, IncidentPage, IncidentTimelineEntry } from '../../api/client.ts';
import { allowedActions, detailText, stepText, openForText, pagesInOrder, parseSnoozeMinutes, sortIncidents, timelineInOrder } from './incident-view.ts';

const incident = (id: string, state: Incident['state'], createdAt: string, extra: Partial<Incident> = {}): Incident => ({
  id,
  groupKey: `g${id}`,
  policyId: 'backend',
  severity: 'high',
  summary: `incident ${id}`,
  state,
  createdAt,
  triggeredAt: createdAt,
  ...extra,
});

test('incidents sort triggered, then acknowledged, then resolved, newest first within each', () => {
  const sorted = sortIncidents([
    incident('1', 'resolved', '2026-11-30T10:00:00Z'),
    incident('2', 'acknowledged', '2026-11-30T08:00:00Z'),
    incident('3', 'triggered', '2026-11-30T07:00:00Z'),
    incident('4', 'acknowledged', '2026-11-30T09:00:00Z'),
    incident('5', 'triggered', '2026-11-30T09:30:00Z'),
  ]);
  assert.deepEqual(
    sorted.map((i) => i.id),
    ['5', '3', '4', '2', '1'],
  );
});

test('an open incident says how long it has been open; a resolved one how long it lasted', () => {
  const now = Date.parse('2026-11-30T10:12:30Z');
  assert.equal(openForText(incident('1', 'triggered', '2026-11-30T10:00:00Z'), now), 'open 12m 30s');
  const resolved = incident('2', 'resolved', '2026-11-30T08:00:00Z', { resolvedAt: '2026-11-30T09:05:00Z' });
  assert.equal(openForText(resolved, now), 'lasted 1h 5m');
});

test('the timeline reads in time order, keeping the server order for equal times', () => {
  const entry = (at: string, action: string): IncidentTimelineEntry => ({ at, action, actor: 'vigil', via: 'auto', detail: {} });
  const ordered = timelineInOrder([
    entry('2026-11-30T10:05:00Z', 'acknowledged'),
    entry('2026-11-30T10:00:00Z', 'triggered'),
    entry('2026-11-30T10:00:00Z', 'step-paged'),
    entry('2026-11-30T10:01:00Z', 'paged'),
  ]);
  assert.deepEqual(
    ordered.map((e) => e.action),
    ['triggered', 'step-paged', 'paged', 'acknowledged'],
  );
});

test('pages read in the order they were due', () => {
  const page = (key: string, dueAt: string, step: number): IncidentPage => ({
    key,
    incidentId: '1',
    person: key,
    severity: 'critical',
    step,
    attempt: 0,
    reason: 'escalation',
    status: 'sent',
    dueAt,
  });
  const ordered = pagesInOrder([page('backup', '2026-11-30T10:05:00Z', 1), page('primary', '2026-11-30T10:00:00Z', 0)]);
  assert.deepEqual(
    ordered.map((p) => p.key),
    ['primary', 'backup'],
  );
});

test('a detail shows its non-empty fields, nested values as JSON', () => {
  assert.equal(detailText({ person: 'alice', step: 1, empty: '', none: null, to: { phone: '+1555' } }), 'person: alice, step: 1, to: {"phone":"+1555"}');
  assert.equal(detailText({}), '');
  assert.equal(detailText(undefined), '');
});

test('the buttons follow the state', () => {
  assert.deepEqual(allowedActions('triggered'), ['acknowledge', 'resolve', 'escalate', 'snooze', 'reassign', 'severity']);
  assert.deepEqual(allowedActions('acknowledged'), ['unacknowledge', 'resolve', 'escalate', 'snooze', 'reassign', 'severity']);
  assert.deepEqual(allowedActions('resolved'), []);
});

test('snooze takes whole minutes from 1 to a week', () => {
  assert.equal(parseSnoozeMinutes('30'), 30);
  assert.equal(parseSnoozeMinutes(' 5 '), 5);
  assert.equal(parseSnoozeMinutes('10080'), 10080);
  for (const bad of ['0', '10081', '1.5', '-3', '', 'ten']) assert.equal(parseSnoozeMinutes(bad), undefined, bad);
});

test('steps count from 1 as in the record; the assignee is not a step', () => {
  assert.equal(stepText({ step: 0, attempt: 1, reason: 'escalation' }), 'step 1 (attempt 1)');
  assert.equal(stepText({ step: 2, attempt: 2, reason: 'overflow' }), 'step 3 (attempt 2, overflow)');
  assert.equal(stepText({ step: -1, attempt: 1, reason: 'escalation' }), 'assignee (attempt 1)');
});
