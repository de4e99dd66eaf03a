import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { FakeClock } from '../testing/fake-clock.ts';
import { EscalationEngine, type EscalationPolicy, type Page } from './escalation.ts';
import { digest, nextLocalMidnight } from './fatigue.ts';
import { IncidentStore } from './incident-store.ts';
import { Incidents, type IncidentInput } from './incidents.ts';

const T = Date.UTC(2026, 0, 5, 9, 0, 0);
const M = 60_000;
const H = 60 * M;
const policy: EscalationPolicy = { id: 'p', steps: [{ targets: [{ person: 'alice' }], waitMs: 5 * M }], repeat: 0 };

function setup(timeZone = 'UTC') {
  const clock = new FakeClock(T);
  const store = new IncidentStore(new Database(':memory:'));
  const incidents = new Incidents(store, clock, new Map([[policy.id, policy]]), { lowNoise: { timeZone } });
  const pages: (Page & { at: number })[] = [];
  const engine = new EscalationEngine({ clock, incidents, directory: { resolve: (t) => ('person' in t ? [t.person] : []) }, pager: { page: async (p) => (pages.push({ ...p, at: clock.now() }), { ok: true }) } });
  const notify = (groupKey: string, severity: IncidentInput['severity'], ...alerts: [string, 'firing' | 'resolved'][]) =>
    incidents.openOrUpdate({ groupKey, policy: 'p', severity, summary: groupKey, alerts: alerts.map(([fingerprint, status]) => ({ fingerprint, labels: { alertname: fingerprint }, status })) })!;
  return { clock, store, incidents, engine, pages, notify };
}

test('the next local midnight, in UTC, east of it, and on both sides of a DST change', () => {
  assert.equal(nextLocalMidnight(Date.UTC(2026, 0, 5, 9), 'UTC'), Date.UTC(2026, 0, 6));
  assert.equal(nextLocalMidnight(Date.UTC(2026, 0, 5, 23, 30), 'Europe/Berlin'), Date.UTC(2026, 0, 6, 23), '00:30 Berlin: the midnight after');
  assert.equal(nextLocalMidnight(Date.UTC(2026, 2, 8, 12), 'America/New_York'), Date.UTC(2026, 2, 9, 4), 'after spring-forward: EDT');
  assert.equal(nextLocalMidnight(Date.UTC(2026, 2, 7, 20), 'America/New_York'), Date.UTC(2026, 2, 8, 5), 'still EST');
});

test('a low alert firing more than 10 times in a day is snoozed until local midnight, then pages again', async () => {
  const h = setup('Europe/Berlin');
  // Hourly flaps: too slow for the flapping rule, 11 in a day for the low-noise one.
  for (let fire = 1; fire <= 11; fire++) {
    h.notify('g', 'low', ['steady', 'firing'], ['noisy', 'firing']);
    await h.engine.tick();
    if (fire === 10) assert.equal(h.incidents.get('1')!.state, 'triggered', 'ten fires: still paging');
    h.clock.advance(30 * M);
    h.notify('g', 'low', ['steady', 'firing'], ['noisy', 'resolved']);
    h.clock.advance(30 * M);
  }
  const midnightBerlin = Date.UTC(2026, 0, 5, 23);
  const incident = h.incidents.get('1')!;
  assert.deepEqual([incident.state, incident.ackUntil, incident.severity], ['acknowledged', midnightBerlin, 'low']);
  assert.equal(incident.firstAcknowledgedAt, undefined, 'not a response by a person');
  const snoozed = h.incidents.timeline('1').find((e) => e.action === 'auto-snoozed');
  assert.deepEqual([snoozed?.via, snoozed?.detail.fingerprint, snoozed?.at], ['auto', 'noisy', T + 10 * H]);

  const report = digest(h.store, T, T + 24 * H);
  assert.deepEqual(report.lowAlerts.find((a) => a.fingerprint === 'noisy'), { fingerprint: 'noisy', labels: { alertname: 'noisy' }, fires: 11, snoozedUntil: midnightBerlin });

  const pagesBefore = h.pages.length;
  h.clock.advance(midnightBerlin - 1 - h.clock.now());
  await h.engine.tick();
  assert.equal(h.pages.length, pagesBefore, 'quiet until midnight');
  h.clock.advance(1);
  await h.engine.tick();
  assert.equal(h.pages.length, pagesBefore + 1, 'still firing the next day: re-triggered');
});

test('only low alerts are snoozed for noise, and a snoozed alert keeps a new incident quiet', () => {
  const h = setup();
  for (let fire = 1; fire <= 11; fire++) {
    if (fire > 1) {
      h.notify('hi', 'high', ['a', 'firing'], ['b', 'resolved']);
      h.notify('lo', 'low', ['c', 'resolved']);
      h.clock.advance(H);
    }
    h.notify('hi', 'high', ['a', 'firing'], ['b', 'firing']);
    h.notify('lo', 'low', ['c', 'firing']);
  }
  assert.equal(h.incidents.list({ states: ['triggered'] }).length, 1, 'the high incident keeps paging');
  const low = h.incidents.list({ states: ['acknowledged'] });
  assert.equal(low.length, 1);
  assert.equal(low[0].groupKey, 'lo');
  assert.equal(low[0].ackUntil, Date.UTC(2026, 0, 6), 'the 11th incident for c starts snoozed until UTC midnight');
  h.clock.advance(H);
  h.notify('lo', 'low', ['c', 'resolved']);
  h.clock.advance(H);
  const again = h.notify('lo', 'low', ['c', 'firing']);
  assert.deepEqual([again.state, again.ackUntil], ['acknowledged', Date.UTC(2026, 0, 6)], 'a new incident for a snoozed alert starts snoozed');
});

test('digest: incidents, MTTA, MTTR, pages per person and noisiest alerts for a window', async () => {
  const h = setup();
  h.notify('a', 'critical', ['x', 'firing']);
  h.notify('b', 'medium', ['y', 'firing']);
  await h.engine.tick();
  h.clock.advance(2 * M);
  h.incidents.acknowledge('1', { actor: 'alice', via: 'link' });
  h.clock.advance(2 * M);
  h.incidents.acknowledge('2', { actor: 'alice', via: 'link' });
  h.clock.advance(6 * M);
  h.notify('a', 'critical', ['x', 'resolved']);
  h.clock.advance(20 * M);
  h.notify('b', 'medium', ['y', 'resolved']);
  for (let i = 0; i < 3; i++) {
    h.clock.advance(20 * M);
    h.notify('b', 'medium', ['y', 'firing']);
    h.clock.advance(20 * M);
    if (i < 2) h.notify('b', 'medium', ['y', 'resolved']);
  }
  const report = digest(h.store, T, T + 24 * H);
  assert.deepEqual(report.incidents, { opened: 5, acknowledged: 2, resolved: 4 });
  assert.equal(report.mttaMs, 3 * M);
  assert.equal(report.mttrMs, (10 * M + 30 * M + 20 * M + 20 * M) / 4);
  assert.deepEqual(report.pagesPerPerson, [{ person: 'alice', sent: 2, bySeverity: { critical: 1, medium: 1 }, failed: 0, capped: 0 }]);
  assert.deepEqual(report.noisiestAlerts.map((a) => [a.fingerprint, a.fires, a.labels.alertname]), [['y', 4, 'y'], ['x', 1, 'x']]);
  assert.deepEqual(report.lowAlerts, []);
  assert.equal(digest(h.store, T + 24 * H, T + 48 * H).mttaMs, undefined, 'an empty window has no means');
});
