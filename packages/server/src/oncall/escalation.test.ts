import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FakeClock } from '../testing/fake-clock.ts';
import { EscalationEngine, FIRE_RETENTION_MS, stepAt, type Directory, type EscalationPolicy, type EscalationSettings, type Page, type Pager, type Severity } from './escalation.ts';
import { digest } from './fatigue.ts';
import { IncidentStore } from './incident-store.ts';
import { Incidents, type IncidentSettings } from './incidents.ts';
import type { EscalationPolicy as ConfiguredPolicy } from './model.ts';

const T = Date.UTC(2026, 0, 5, 9, 0, 0);
const M = 60_000;
const API = { actor: 'alice', via: 'api' } as const;

/** on-call (alice) → backup (bob) with 5 and 10 minute waits, the chain twice, then the CTO. */
const chain: EscalationPolicy = {
  id: 'chain',
  steps: [
    { targets: [{ schedule: 'primary' }], waitMs: 5 * M },
    { targets: [{ person: 'bob' }], waitMs: 10 * M },
  ],
  repeat: 1,
  final: { targets: [{ person: 'cto' }] },
};
/** One long first step: what the auto-escalation triggers cut short. */
const slow: EscalationPolicy = { id: 'slow', steps: [{ targets: [{ schedule: 'primary' }], waitMs: 60 * M }, { targets: [{ person: 'bob' }], waitMs: 60 * M }], repeat: 0 };

/** Nobody is on the first step's schedule. */
const gap: EscalationPolicy = { id: 'gap', steps: [{ targets: [{ schedule: 'nobody' }], waitMs: 30 * M }, { targets: [{ team: 'db' }], waitMs: 30 * M }], repeat: 0 };

const directory: Directory = {
  resolve: (target) => ('person' in target ? [target.person] : 'team' in target ? ['tina', 'tom'] : target.schedule === 'primary' ? ['alice'] : []),
};

class RecordingPager implements Pager {
  readonly pages: (Page & { at: number })[] = [];
  /** Pages to this person never complete: the process "dies" while sending. */
  hangFor?: string;

  constructor(private readonly clock: FakeClock) {}

  page(page: Page): Promise<{ ok: boolean }> {
    this.pages.push({ ...page, at: this.clock.now() });
    if (page.person === this.hangFor) return new Promise(() => {});
    return Promise.resolve({ ok: true });
  }
}

interface SetupOptions {
  db?: Database.Database;
  startMs?: number;
  incidents?: IncidentSettings;
  engine?: EscalationSettings;
  directory?: Directory;
  onError?: (err: unknown) => void;
}

function setup(options: SetupOptions = {}) {
  const clock = new FakeClock(options.startMs ?? T);
  const db = options.db ?? new Database(':memory:');
  const incidents = new Incidents(new IncidentStore(db), clock, new Map([chain, slow, gap].map((p) => [p.id, p])), options.incidents);
  const pager = new RecordingPager(clock);
  const engine = new EscalationEngine({ clock, incidents, directory: options.directory ?? directory, pager, onError: options.onError }, options.engine);
  /** Moves the clock to T + ms and ticks. */
  const at = async (ms: number) => {
    clock.advance(T + ms - clock.now());
    await engine.tick();
  };
  const open = (groupKey = 'g1', severity: Severity = 'medium', policy = 'chain') =>
    incidents.openOrUpdate({ groupKey, policy, severity, summary: `${groupKey} down`, alerts: [{ fingerprint: `fp-${groupKey}`, labels: { alertname: groupKey }, status: 'firing' }] })!;
  /** "minute person" for every page sent so far. */
  const paged = () => pager.pages.map((p) => `${(p.at - T) / M}m ${p.person}`);
  return { clock, db, incidents, store: incidents.store, pager, engine, at, open, paged };
}

test('a bad option fails at construction and names what it got', () => {
  assert.throws(() => setup({ engine: { fatigue: { criticalPagesPerWindow: 0 } } }), /fatigue.criticalPagesPerWindow must be a number >= 1, got 0/);
  assert.throws(() => setup({ engine: { tickMs: Number.NaN } }), /tickMs .* got NaN/);
  assert.throws(() => setup({ incidents: { flapping: { windowMs: -1 } } }), /flapping.windowMs .* got -1/);
});

test('a configured policy goes into the engine as it is', () => {
  const configured: ConfiguredPolicy = { name: 'On-call chain', ...chain };
  const asEngine: EscalationPolicy = configured; // fails to compile if model.ts and the engine drift apart
  assert.deepEqual(stepAt(asEngine, 4)?.targets, [{ person: 'cto' }]);
});

test('stepAt walks the chain, its repeats and the final step', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((position) => stepAt(chain, position) && [stepAt(chain, position)!.step, stepAt(chain, position)!.attempt]), [[0, 1], [1, 1], [0, 2], [1, 2], [2, 2], undefined]);
  assert.equal(stepAt(chain, -1), undefined, 'no assignee');
  assert.deepEqual(stepAt(chain, -1, 'carol')?.targets, [{ person: 'carol' }]);
});

test('without an acknowledgement: each step at exactly +wait, the chain repeated, then the final step, then nothing', async () => {
  const h = setup();
  h.open();
  await h.at(0);
  await h.at(5 * M - 1);
  assert.deepEqual(h.paged(), ['0m alice']);
  for (const minute of [5, 15, 20, 30, 60, 120]) await h.at(minute * M);
  assert.deepEqual(h.paged(), ['0m alice', '5m bob', '15m alice', '20m bob', '30m cto']);
  assert.deepEqual(h.pager.pages.map((p) => [p.step, p.attempt]), [[0, 1], [1, 1], [0, 2], [1, 2], [2, 2]]);
  assert.equal(new Set(h.pager.pages.map((p) => p.dedupKey)).size, 5);
  const actions = h.incidents.timeline('1').map((e) => e.action);
  assert.equal(actions.filter((a) => a === 'escalated').length, 4);
  assert.equal(actions.at(-1), 'paged');
  assert.ok(actions.includes('escalation-exhausted'));
});

test('an acknowledgement stops paging; a page planned but not yet sent is cancelled', async () => {
  const h = setup();
  const incident = h.open();
  await h.at(0);
  h.incidents.acknowledge(incident.id, API);
  for (const minute of [5, 15, 30, 60]) await h.at(minute * M);
  assert.deepEqual(h.paged(), ['0m alice']);

  h.store.insertPage({ key: 'k', incidentId: incident.id, person: 'zed', severity: 'medium', step: 0, attempt: 1, reason: 'escalation', status: 'due', dueAt: T });
  await h.at(61 * M);
  assert.deepEqual(h.paged(), ['0m alice']);
  assert.equal(h.store.pagesFor(incident.id).find((p) => p.key === 'k')?.status, 'cancelled');
});

test('un-acknowledging resumes at the step paged last', async () => {
  const h = setup();
  const incident = h.open();
  await h.at(0);
  await h.at(5 * M);
  h.incidents.acknowledge(incident.id, API);
  await h.at(7 * M);
  h.incidents.unacknowledge(incident.id, { actor: 'bob', via: 'ui' });
  await h.at(7 * M);
  await h.at(17 * M);
  assert.deepEqual(h.paged(), ['0m alice', '5m bob', '7m bob', '17m alice']);
});

test('an acknowledged incident still firing re-triggers after the acknowledgement timeout', async () => {
  const h = setup({ incidents: { ackTimeoutMs: 60 * M } });
  const incident = h.open();
  await h.at(0);
  await h.at(M);
  h.incidents.acknowledge(incident.id, API);
  await h.at(61 * M - 1);
  assert.equal(h.incidents.get(incident.id)!.state, 'acknowledged');
  await h.at(61 * M);
  assert.equal(h.incidents.get(incident.id)!.state, 'triggered');
  assert.deepEqual(h.paged(), ['0m alice', '61m alice']);
  assert.ok(h.incidents.timeline(incident.id).some((e) => e.action === 're-triggered' && e.via === 'auto'));
});

test('a snoozed incident re-triggers when the snooze ends', async () => {
  const h = setup();
  const incident = h.open();
  await h.at(0);
  await h.at(M);
  h.incidents.snooze(incident.id, 10, { actor: 'alice', via: 'sms' });
  await h.at(11 * M - 1);
  await h.at(11 * M);
  assert.deepEqual(h.paged(), ['0m alice', '11m alice']);
});

test('re-assigning pages the new person at once, then the policy from its first step', async () => {
  const h = setup();
  const incident = h.open();
  await h.at(0);
  await h.at(2 * M);
  h.incidents.reassign(incident.id, 'carol', { actor: 'alice', via: 'cli' });
  for (const minute of [2, 7, 12]) await h.at(minute * M);
  assert.deepEqual(h.paged(), ['0m alice', '2m carol', '7m alice', '12m bob']);
  assert.equal(h.pager.pages[1].step, -1);
  assert.equal(h.incidents.get(incident.id)!.assignee, 'carol');
});

test('resolving stops paging; an incident resolves by itself when all its alerts resolve', async () => {
  const h = setup();
  const incident = h.open();
  await h.at(0);
  h.clock.advance(M);
  const resolved = h.incidents.openOrUpdate({ groupKey: 'g1', policy: 'chain', severity: 'medium', summary: 'g1 down', alerts: [{ fingerprint: 'fp-g1', labels: { alertname: 'g1' }, status: 'resolved' }] });
  assert.equal(resolved?.state, 'resolved');
  assert.equal(resolved?.resolvedBy, 'vigil');
  await h.at(30 * M);
  assert.deepEqual(h.paged(), ['0m alice']);
  assert.equal(h.incidents.get(incident.id)!.escalation.nextDueAt, undefined);
});

test('auto-escalation: a critical incident not acknowledged in 5 minutes moves to the next step', async () => {
  const h = setup();
  h.open('g1', 'critical', 'slow');
  await h.at(0);
  await h.at(5 * M - 1);
  await h.at(5 * M);
  await h.at(6 * M);
  assert.deepEqual(h.paged(), ['0m alice', '5m bob']);
  assert.ok(h.incidents.timeline('1').some((e) => e.action === 'auto-escalated'));
});

test('auto-escalation: high after 15 minutes; medium waits the step; a shorter step wait is kept', async () => {
  const high = setup();
  high.open('g1', 'high', 'slow');
  for (const minute of [0, 5, 15 - 1 / M, 15]) await high.at(minute * M);
  assert.deepEqual(high.paged(), ['0m alice', '15m bob']);

  const medium = setup();
  medium.open('g1', 'medium', 'slow');
  for (const minute of [0, 15, 59, 60]) await medium.at(minute * M);
  assert.deepEqual(medium.paged(), ['0m alice', '60m bob']);

  const quick = setup();
  quick.open('g1', 'critical', 'chain');
  for (const minute of [0, 5, 6, 14, 15]) await quick.at(minute * M);
  assert.deepEqual(quick.paged(), ['0m alice', '5m bob', '15m alice'], 'not cut short a second time');

  const off = setup({ engine: { autoEscalate: { enabled: false } } });
  off.open('g1', 'critical', 'slow');
  for (const minute of [0, 5, 30]) await off.at(minute * M);
  assert.deepEqual(off.paged(), ['0m alice']);
});

test('raising an unacknowledged incident to critical past 5 minutes escalates it at once', async () => {
  const h = setup();
  const incident = h.open('g1', 'medium', 'slow');
  await h.at(0);
  await h.at(10 * M);
  h.incidents.setSeverity(incident.id, 'critical', { actor: 'alice', via: 'ui' });
  await h.at(10 * M);
  assert.deepEqual(h.paged(), ['0m alice', '10m bob']);
  assert.equal(h.pager.pages[1].severity, 'critical');
});

test('the same alert firing 3 times in 30 minutes raises the severity one level, once', async () => {
  const h = setup();
  const fire = (status: 'firing' | 'resolved') =>
    h.incidents.openOrUpdate({
      groupKey: 'g1',
      policy: 'chain',
      severity: 'medium',
      summary: 's',
      alerts: [
        { fingerprint: 'steady', labels: { alertname: 'Steady' }, status: 'firing' },
        { fingerprint: 'flappy', labels: { alertname: 'Flappy' }, status },
      ],
    })!;
  assert.equal(fire('firing').severity, 'medium');
  for (const minute of [5, 10, 15, 20]) {
    h.clock.advance(5 * M);
    fire(minute % 10 === 0 ? 'firing' : 'resolved');
  }
  assert.equal(h.incidents.get('1')!.severity, 'high', 'third fire at 20m');
  h.clock.advance(5 * M);
  fire('resolved');
  h.clock.advance(M);
  assert.equal(fire('firing').severity, 'high', 'a fourth fire in the window does not raise again');
  const raised = h.incidents.timeline('1').filter((e) => e.action === 'severity-changed');
  assert.deepEqual(raised.map((e) => [e.detail.from, e.detail.to, e.via]), [['medium', 'high', 'auto']]);
});

test('more than 2 critical incidents open: the incident commander is paged once per storm', async () => {
  const h = setup({ engine: { commander: { target: { person: 'ic' } } } });
  const commanderPages = () => h.pager.pages.filter((p) => p.reason === 'commander').map((p) => `${(p.at - T) / M}m ${p.person} #${p.incidentId}`);
  h.open('a', 'critical');
  h.open('b', 'critical');
  h.open('c', 'high');
  await h.at(0);
  assert.deepEqual(commanderPages(), []);
  h.clock.advance(M);
  h.open('d', 'critical');
  await h.at(M);
  h.clock.advance(M);
  h.open('e', 'critical');
  await h.at(2 * M);
  assert.deepEqual(commanderPages(), ['1m ic #4']);
  h.incidents.resolve('4', API);
  h.incidents.resolve('5', API);
  await h.at(3 * M);
  h.open('f', 'critical');
  await h.at(4 * M);
  assert.deepEqual(commanderPages(), ['1m ic #4', '4m ic #6'], 'a new storm pages again');
  assert.ok(h.incidents.timeline('4').some((e) => e.action === 'commander-paged'));
});

test('fatigue cap: the fourth critical page to one person in an hour goes to the next step instead', async () => {
  const h = setup({ engine: { autoEscalate: { enabled: false } } });
  for (const [minute, group] of [[0, 'a'], [1, 'b'], [2, 'c'], [3, 'd']] as const) {
    h.clock.advance(T + minute * M - h.clock.now());
    h.open(group, 'critical', 'slow');
    await h.at(minute * M);
  }
  assert.deepEqual(h.paged(), ['0m alice', '1m alice', '2m alice', '3m bob']);
  assert.equal(h.pager.pages[3].reason, 'overflow');
  const pages = digest(h.store, T, T + 60 * M).pagesPerPerson;
  assert.deepEqual(pages.find((p) => p.person === 'alice'), { person: 'alice', sent: 3, bySeverity: { critical: 3 }, failed: 0, capped: 1 });

  h.clock.advance(60 * M);
  h.open('e', 'critical', 'slow');
  await h.at(63 * M);
  assert.equal(h.paged().at(-1), '63m alice', 'the hour has passed');

  h.clock.advance(M);
  h.open('low', 'low', 'slow');
  h.open('low2', 'low', 'slow');
  h.open('low3', 'low', 'slow');
  await h.at(64 * M);
  assert.equal(h.paged().filter((p) => p === '64m alice').length, 3, 'the cap is for critical pages only');
});

test('a step with nobody to page does not wait: the next step is paged on the next tick', async () => {
  const h = setup();
  h.open('g1', 'medium', 'gap');
  await h.at(0);
  await h.at(1000);
  assert.deepEqual(h.paged(), [`${1000 / M}m tina`, `${1000 / M}m tom`]);
  assert.deepEqual(h.incidents.timeline('1').find((e) => e.action === 'step-paged')?.detail.people, []);
});

test('a failed page is recorded on the timeline and escalation goes on', async () => {
  const h = setup();
  h.pager.page = async (page) => (page.person === 'alice' ? { ok: false, error: 'SMS gateway 503' } : { ok: true });
  h.open();
  await h.at(0);
  const failed = h.incidents.timeline('1').find((e) => e.action === 'page-failed');
  assert.equal(failed?.detail.error, 'SMS gateway 503');
  assert.equal(h.store.pagesFor('1')[0].status, 'failed');
  await h.at(5 * M);
  assert.equal(h.store.pagesFor('1')[1].status, 'sent');
});

test('a page the pager never answers holds up neither later ticks nor other pages, and is not sent twice', async () => {
  const h = setup();
  h.pager.hangFor = 'alice';
  h.open();
  void h.engine.tick();
  await h.at(M);
  await h.at(5 * M);
  assert.deepEqual(h.paged(), ['0m alice', '5m bob']);
});

test('fire counts older than the retention are dropped, at most hourly', async () => {
  const h = setup();
  h.store.recordFire('old', T - FIRE_RETENTION_MS - 1, 'low');
  h.store.recordFire('kept', T - FIRE_RETENTION_MS + 30 * M, 'low');
  await h.at(0);
  assert.deepEqual(h.store.fireCounts(0, T).map((f) => f.fingerprint), ['kept']);
  await h.at(59 * M);
  assert.equal(h.store.fireCounts(0, T).length, 1, 'not pruned again within the hour');
  await h.at(60 * M);
  assert.equal(h.store.fireCounts(0, T).length, 0);
});

test('start() ticks on the clock', async () => {
  const h = setup();
  h.open();
  h.engine.start();
  h.clock.advance(1000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(h.pager.pages.length, 1);
  h.engine.stop();
  assert.equal(h.clock.pendingTimers, 0);
});

function withFile(t: { after(fn: () => void): void }): () => Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-oncall-'));
  const opened: Database.Database[] = [];
  t.after(() => {
    for (const db of opened) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const db = new Database(join(dir, 'oncall.db'));
    opened.push(db);
    return db;
  };
}

test('restart between steps: the new engine pages the next step when due, nothing twice', async (t) => {
  const openDb = withFile(t);
  const first = setup({ db: openDb() });
  first.open();
  await first.at(0);
  await first.at(2 * M);
  first.db.close();

  const second = setup({ db: openDb(), startMs: T + 3 * M });
  for (const minute of [3, 5 - 1 / M, 5, 6]) await second.at(minute * M);
  assert.deepEqual([...first.paged(), ...second.paged()], ['0m alice', '5m bob']);
});

test('restart after a page was planned but before it was confirmed: sent again with the same dedup key', async (t) => {
  const openDb = withFile(t);
  const first = setup({ db: openDb() });
  first.pager.hangFor = 'alice';
  first.open();
  void first.at(0);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(first.pager.pages.length, 1, 'handed to the pager, never confirmed');

  const second = setup({ db: openDb(), startMs: T + M });
  await second.at(M);
  await second.at(5 * M);
  assert.deepEqual(second.paged(), ['1m alice', '5m bob']);
  assert.equal(second.pager.pages[0].dedupKey, first.pager.pages[0].dedupKey);
  assert.deepEqual(second.store.pagesFor('1').map((p) => [p.person, p.status]), [['alice', 'sent'], ['bob', 'sent']]);
});

test('restart after a step failed to plan: the step is not lost, and other incidents were paged meanwhile', async (t) => {
  const openDb = withFile(t);
  const errors: unknown[] = [];
  const broken: Directory = {
    resolve: (target, atMs) => {
      if ('schedule' in target && target.schedule === 'primary') throw new Error('schedule unavailable');
      return directory.resolve(target, atMs);
    },
  };
  const first = setup({ db: openDb(), directory: broken, onError: (err) => errors.push(err) });
  first.open('g1', 'medium', 'chain');
  first.open('g2', 'medium', 'gap');
  await first.at(0);
  await first.at(1000);
  assert.match(String(errors[0]), /schedule unavailable/);
  assert.deepEqual(first.store.pagesFor('1'), []);
  assert.deepEqual(first.pager.pages.map((p) => p.person), ['tina', 'tom'], 'g2 was paged');
  first.db.close();

  const second = setup({ db: openDb(), startMs: T + M });
  await second.at(M);
  await second.at(6 * M);
  assert.deepEqual(second.paged(), ['1m alice', '6m bob']);
});
