import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { Notification, NotifierPort, SendResult } from '../dispatch/model.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { DigestScheduler, renderDigest, type DigestConfig } from './digest-scheduler.ts';
import type { Digest } from './fatigue.ts';
import { IncidentStore } from './incident-store.ts';

const H = 3_600_000;
const M = 60_000;

class RecordingNotifier implements NotifierPort {
  readonly sent: { at: number; receiver: string; notification: Notification }[] = [];
  result: SendResult[] = [{ integration: 'email[0]', ok: true, attempts: 1 }];

  constructor(private readonly clock: FakeClock) {}

  async send(receiver: string, notification: Notification): Promise<SendResult[]> {
    this.sent.push({ at: this.clock.now(), receiver, notification });
    return this.result;
  }
}

function setup(config: DigestConfig, startMs: number, db = new Database(':memory:')) {
  const clock = new FakeClock(startMs);
  const store = new IncidentStore(db);
  const notifier = new RecordingNotifier(clock);
  const errors: unknown[] = [];
  const scheduler = new DigestScheduler({ clock, store, notifier, externalURL: 'https://vigil.example', onError: (err) => errors.push(err), checkEveryMs: 30_000 }, config);
  scheduler.start();
  const sentAt = () => notifier.sent.map((s) => new Date(s.at).toISOString());
  return { clock, store, notifier, scheduler, errors, sentAt, db };
}

const NEW_YORK = { receiver: 'oncall-digest', at: '09:00', time_zone: 'America/New_York' };

test('the digest goes out once per local day at 09:00 New York time across the spring-forward change', () => {
  // Saturday 2026-03-07 00:00 EST; clocks go forward on Sunday 2026-03-08 at 02:00.
  const s = setup(NEW_YORK, Date.UTC(2026, 2, 7, 5, 0));
  s.clock.advance(3 * 24 * H);
  assert.deepEqual(s.sentAt(), ['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z']);
  assert.ok(s.notifier.sent.every((x) => x.receiver === 'oncall-digest'));
  // the day across the change is 23 hours long
  const summaries = s.notifier.sent.map((x) => x.notification.commonAnnotations.summary);
  assert.equal(summaries[1], 'On-call digest 2026-03-07 09:00 – 2026-03-08 09:00 (America/New_York)');
});

test('a time in the spring-forward gap fires at the change; one in the fall-back overlap fires once, at its first occurrence', () => {
  const gap = setup({ ...NEW_YORK, at: '02:30' }, Date.UTC(2026, 2, 7, 12, 0));
  gap.clock.advance(2 * 24 * H);
  // 03-08 02:30 does not exist in New York: 03:00 EDT = 07:00 UTC
  assert.deepEqual(gap.sentAt(), ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);

  const overlap = setup({ ...NEW_YORK, at: '01:30' }, Date.UTC(2026, 9, 31, 12, 0));
  overlap.clock.advance(2 * 24 * H);
  // 11-01 01:30 happens twice: 05:30 UTC (EDT) only, then 11-02 01:30 EST
  assert.deepEqual(overlap.sentAt(), ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
});

test('a restart neither sends a day twice nor skips the day it was down for', () => {
  const db = new Database(':memory:');
  const first = setup(NEW_YORK, Date.UTC(2026, 0, 5, 13, 0), db);
  first.clock.advance(2 * H);
  assert.equal(first.notifier.sent.length, 1);
  first.scheduler.stop();
  // restarted right after: today's digest is not sent again
  const again = setup(NEW_YORK, Date.UTC(2026, 0, 5, 15, 0), db);
  again.clock.advance(12 * H);
  assert.equal(again.notifier.sent.length, 0);
  again.scheduler.stop();
  // down across the next 09:00: sent late at start, then on time
  const late = setup(NEW_YORK, Date.UTC(2026, 0, 6, 18, 0), db);
  late.clock.advance(24 * H);
  assert.deepEqual(late.sentAt(), ['2026-01-06T18:00:30.000Z', '2026-01-07T14:00:00.000Z']);
});

test('the digest text has the day’s incidents, MTTA, MTTR, pages per person, noisiest and low alerts', async () => {
  const s = setup(NEW_YORK, Date.UTC(2026, 0, 5, 13, 0));
  const at = Date.UTC(2026, 0, 5, 2, 0);
  const incident = s.store.insert({ groupKey: 'g', policyId: 'p', severity: 'critical', summary: 'x', at });
  s.store.update(incident.id, { firstAcknowledgedAt: at + 4 * M, resolvedAt: at + 65 * M, state: 'resolved' });
  s.store.insertPage({ key: 'k1', incidentId: incident.id, person: 'ana', severity: 'critical', step: 0, attempt: 1, reason: 'escalation', status: 'sent', dueAt: at });
  s.store.insertPage({ key: 'k2', incidentId: incident.id, person: 'ana', severity: 'critical', step: 0, attempt: 1, reason: 'escalation', status: 'capped', dueAt: at });
  s.store.putAlert(incident.id, { fingerprint: 'fp', labels: { alertname: 'DiskFull' }, status: 'firing', updatedAt: at });
  for (let i = 0; i < 12; i++) s.store.recordFire('fp', at + i * M, 'low');
  s.store.snoozeAlert('fp', at + 11 * M, Date.UTC(2026, 0, 6, 5, 0), 11);
  s.clock.advance(H + M);
  const text = s.notifier.sent[0].notification.alerts[0].annotations.description;
  assert.equal(
    text,
    [
      'Incidents: 1 opened, 1 acknowledged, 1 resolved',
      'MTTA: 4m; MTTR: 1h 5m',
      '',
      'Pages per person:',
      '  ana: 1 sent (critical 1), 1 held back by the fatigue cap',
      '',
      'Noisiest alerts:',
      '  12× {alertname="DiskFull"}',
      '',
      'Low-severity alerts:',
      '  12× {alertname="DiskFull"} — snoozed until 2026-01-06 00:00',
    ].join('\n'),
  );
});

test('a digest that no integration delivered is reported', async () => {
  const s = setup(NEW_YORK, Date.UTC(2026, 0, 5, 13, 59));
  s.notifier.result = [{ integration: 'email[0]', ok: false, attempts: 3, error: 'connection refused' }];
  s.clock.advance(2 * M);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(s.errors.length, 1);
  assert.match(String(s.errors[0]), /on-call digest to oncall-digest failed: email\[0\]: connection refused/);
});

test('a bad time or zone fails at construction with the field named', () => {
  assert.throws(() => setup({ ...NEW_YORK, at: '9am' }, 0), /oncall\.digest\.at: use HH:MM/);
  assert.throws(() => setup({ ...NEW_YORK, time_zone: 'Mars/Base' }, 0), /oncall\.digest\.time_zone: "Mars\/Base" is not a known IANA time zone/);
});

test('an empty day renders as none', () => {
  const empty: Digest = { fromMs: 0, toMs: 1, incidents: { opened: 0, acknowledged: 0, resolved: 0 }, pagesPerPerson: [], noisiestAlerts: [], lowAlerts: [] };
  assert.match(renderDigest(empty, 'UTC'), /MTTA: n\/a; MTTR: n\/a\n\nPages per person:\n {2}none/);
});
