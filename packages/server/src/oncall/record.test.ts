import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { LedgerEntry } from '../alerting/ledger.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { EscalationEngine, type EscalationPolicy, type Page } from './escalation.ts';
import { IncidentStore } from './incident-store.ts';
import { Incidents } from './incidents.ts';
import { incidentRecord, recordWindow, relevantLedgerEntries } from './record.ts';

const T = Date.UTC(2026, 2, 1, 3, 0, 0);
const M = 60_000;
const labels = { alertname: 'ApiErrors', service: 'api', severity: 'critical' };
const policy: EscalationPolicy = { id: 'backend', steps: [{ targets: [{ person: 'ana' }], waitMs: 5 * M }, { targets: [{ person: 'ben' }], waitMs: 10 * M }], repeat: 0 };

/** A critical incident: ana paged (her SMS fails), ben paged at +5m, ben acknowledges at +7m, the alert resolves at +20m. */
async function scenario() {
  const clock = new FakeClock(T);
  const incidents = new Incidents(new IncidentStore(new Database(':memory:')), clock, new Map([[policy.id, policy]]));
  const pager = { page: async (page: Page) => (page.person === 'ana' ? { ok: false, error: 'sms gateway 503' } : { ok: true }) };
  const engine = new EscalationEngine({ clock, incidents, directory: { resolve: (t) => ('person' in t ? [t.person] : []) }, pager }, { autoEscalate: { enabled: false } });
  const input = (status: 'firing' | 'resolved') => ({ groupKey: 'g', policy: 'backend', severity: 'critical' as const, summary: 'API errors | high', alerts: [{ fingerprint: 'fp1', labels, status }] });
  const incident = incidents.openOrUpdate(input('firing'))!;
  await engine.tick();
  clock.advance(5 * M);
  await engine.tick();
  clock.advance(2 * M);
  incidents.acknowledge(incident.id, { actor: 'ben', via: 'link' });
  clock.advance(13 * M);
  incidents.openOrUpdate(input('resolved'));
  const ledger: LedgerEntry[] = [
    { at: T + 20 * M, kind: 'alert', action: 'inactive', fingerprint: 'fp1', detail: { labels } },
    { at: T - M, kind: 'alert', action: 'firing', fingerprint: 'fp1', detail: { labels, value: 4 } },
    { at: T - 2 * M, kind: 'alert', action: 'firing', fingerprint: 'other', detail: { labels: { alertname: 'Other' } } },
    { at: T - 60 * M, kind: 'alert', action: 'firing', fingerprint: 'fp1', detail: { labels } },
    { at: T + 30 * 1000, kind: 'notification', action: 'partial', receiver: 'backend-pager', detail: { status: 'firing', fingerprints: ['fp1'], results: [{ integration: 'slack[0]', ok: true, attempts: 1 }, { integration: 'email[0]', ok: false, attempts: 3, error: 'connection refused' }] } },
    { at: T + 31 * 1000, kind: 'notification', action: 'sent', receiver: 'elsewhere', detail: { fingerprints: ['other'], results: [] } },
    { at: T + 10 * M, kind: 'silence', action: 'created', detail: { id: 's1', createdBy: 'ben', comment: 'deploying fix', matchers: [{ name: 'service', value: 'a.*', isRegex: true, isEqual: true }] } },
    { at: T + 11 * M, kind: 'silence', action: 'created', detail: { id: 's2', createdBy: 'eve', comment: 'other', matchers: [{ name: 'service', value: 'api', isRegex: false, isEqual: false }] } },
  ];
  const id = incident.id;
  const store = incidents.store;
  return { incident: store.get(id)!, alerts: store.alerts(id), timeline: store.timeline(id), pages: store.pagesFor(id), ledger };
}

test('the record has every step in order, from the ledger, the incident timeline and the pages', async () => {
  const s = await scenario();
  const text = incidentRecord(s.incident, { alerts: s.alerts, timeline: s.timeline, pages: s.pages, ledgerEntries: s.ledger, externalURL: 'https://vigil.example' });
  assert.match(text, /^# Incident 1 \[CRITICAL\]: API errors \| high\n/);
  assert.match(text, /- \*\*First acknowledged:\*\* 2026-03-01T03:07:00Z \(after 7m\)/);
  assert.match(text, /- \*\*Resolved:\*\* 2026-03-01T03:20:00Z by vigil \(after 20m\)/);
  const rows = text.split('\n').filter((line) => /^\| 2026/.test(line));
  assert.deepEqual(rows, [
    '| 2026-03-01T02:59:00Z | Alert firing: {alertname="ApiErrors", service="api", severity="critical"} | rules |',
    '| 2026-03-01T03:00:00Z | Incident opened (policy backend, severity critical) | vigil |',
    '| 2026-03-01T03:00:00Z | Alert firing: {alertname="ApiErrors", service="api", severity="critical"} | vigil |',
    '| 2026-03-01T03:00:00Z | Escalation step 1 (attempt 1): ana | vigil |',
    '| 2026-03-01T03:00:00Z | Paged ana (step 1, attempt 1): failed (sms gateway 503) | vigil |',
    '| 2026-03-01T03:00:30Z | Notification (firing) to backend-pager: partial (slack[0] ok; email[0] failed: connection refused) | vigil |',
    '| 2026-03-01T03:05:00Z | Escalated to step 2 (attempt 1): ben | vigil |',
    '| 2026-03-01T03:05:00Z | Last escalation step reached: no further pages unless re-triggered | vigil |',
    '| 2026-03-01T03:05:00Z | Paged ben (step 2, attempt 1): sent | vigil |',
    '| 2026-03-01T03:07:00Z | Acknowledged | ben (link) |',
    '| 2026-03-01T03:10:00Z | Silence s1 created — deploying fix | ben |',
    '| 2026-03-01T03:20:00Z | Alert inactive: {alertname="ApiErrors", service="api", severity="critical"} | rules |',
    '| 2026-03-01T03:20:00Z | Alert resolved: {alertname="ApiErrors", service="api", severity="critical"} | vigil |',
    '| 2026-03-01T03:20:00Z | Resolved | vigil |',
  ]);
  assert.match(text, /## Affected alerts\n\n- `\{alertname="ApiErrors", service="api", severity="critical"\}` — resolved \(fingerprint fp1\)/);
});

test('links: runbook and dashboard from the annotations, logs of the window for the service', async () => {
  const s = await scenario();
  const annotations = { runbook_url: 'https://runbooks.example/api-errors', dashboard_url: 'https://vigil.example/#/dashboards/api' };
  const text = incidentRecord(s.incident, { alerts: s.alerts, timeline: s.timeline, pages: s.pages, ledgerEntries: [], externalURL: 'https://vigil.example', annotations });
  assert.match(text, /- Runbook: https:\/\/runbooks\.example\/api-errors\n- Dashboard: https:\/\/vigil\.example\/#\/dashboards\/api\n/);
  const logs = /- Logs: (\S+)/.exec(text)![1];
  const url = new URL(logs.replace('/#/', '/'));
  assert.equal(url.origin + url.pathname, 'https://vigil.example/explore');
  assert.equal(url.searchParams.get('mode'), 'logs');
  assert.equal(url.searchParams.get('query'), '{service="api"}');
  assert.equal(Number(url.searchParams.get('from')), T - 5 * M);
  assert.equal(Number(url.searchParams.get('to')), T + 25 * M);
});

test('without annotations or a common service label the record says what is missing', async () => {
  const s = await scenario();
  const alerts = [...s.alerts, { ...s.alerts[0], fingerprint: 'fp2', labels: { ...labels, service: 'web' } }];
  const text = incidentRecord(s.incident, { alerts, timeline: s.timeline, pages: s.pages, ledgerEntries: [], externalURL: 'https://vigil.example' });
  assert.match(text, /- Runbook: none given \(add a `runbook_url` annotation to the rule\)/);
  assert.match(text, /- Logs: the alerts have no common `service` label/);
});

test('an empty post-incident review closes the record, and the same inputs give the same text', async () => {
  const s = await scenario();
  const inputs = { alerts: s.alerts, timeline: s.timeline, pages: s.pages, ledgerEntries: s.ledger, externalURL: 'https://vigil.example' };
  const text = incidentRecord(s.incident, inputs);
  const review = text.slice(text.indexOf('## Post-incident review'));
  const headings = review.split('\n').filter((line) => line.startsWith('### '));
  assert.deepEqual(headings, ['### What happened', '### Impact', '### Root cause', '### What went well', '### What to improve', '### Action items']);
  assert.equal(incidentRecord(s.incident, { ...inputs, ledgerEntries: [...s.ledger].reverse() }), text);
});

test('ledger entries are kept only for the incident’s alerts and window', async () => {
  const s = await scenario();
  const window = recordWindow(s.incident, s.timeline);
  assert.deepEqual(window, { fromMs: T - 5 * M, toMs: T + 25 * M });
  const kept = relevantLedgerEntries(s.ledger, s.alerts, window).map((e) => `${e.kind} ${e.at - T}`);
  assert.deepEqual(kept, [`alert ${-M}`, 'notification 30000', `silence ${10 * M}`, `alert ${20 * M}`]);
});
