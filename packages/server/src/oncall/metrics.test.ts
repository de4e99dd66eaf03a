import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { FakeClock } from '../testing/fake-clock.ts';
import { EscalationEngine, type EscalationPolicy, type Page } from './escalation.ts';
import { IncidentStore } from './incident-store.ts';
import { Incidents, type Actor } from './incidents.ts';
import { oncallMetrics } from './metrics.ts';
import { isNoise, markNoise } from './noise.ts';

const T = Date.UTC(2026, 0, 5, 9, 0, 0);
const M = 60_000;
const ANA: Actor = { actor: 'ana', via: 'api' };
const policy: EscalationPolicy = { id: 'backend', steps: [{ targets: [{ person: 'ana' }], waitMs: 5 * M }, { targets: [{ person: 'ben' }], waitMs: 10 * M }], repeat: 0 };

/** The service's wiring in small: every change and page goes through the hooks. */
function setup() {
  const clock = new FakeClock(T);
  const incidents = new Incidents(new IncidentStore(new Database(':memory:')), clock, new Map([[policy.id, policy]]));
  const registry = new Registry();
  const metrics = oncallMetrics(registry, incidents.store);
  const pager = {
    page: async (page: Page) => {
      const result = page.person === 'ben' ? { ok: false, error: 'down' } : { ok: true };
      metrics.observePage(page, result);
      return result;
    },
  };
  const engine = new EscalationEngine({ clock, incidents, directory: { resolve: (t) => ('person' in t ? [t.person] : []) }, pager }, { autoEscalate: { enabled: false } });
  const open = (groupKey: string, severity: 'critical' | 'low') => {
    const after = incidents.openOrUpdate({ groupKey, policy: 'backend', severity, summary: groupKey, alerts: [{ fingerprint: groupKey, labels: { alertname: groupKey }, status: 'firing' }] })!;
    metrics.observeIncidentChange(undefined, after);
    return after.id;
  };
  const change = (id: string, fn: () => unknown) => {
    const before = incidents.get(id);
    fn();
    metrics.observeIncidentChange(before, incidents.get(id)!);
  };
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => name === m.name || name.startsWith(`${m.name}_`))!;
    const match = (metric.values as { labels: Record<string, string | number>; value: number; metricName?: string }[]).find(
      (v) => (v.metricName ?? name) === name && Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x),
    );
    return match?.value ?? 0;
  };
  return { clock, incidents, registry, engine, open, change, value };
}

test('pages are counted per person and severity when delivered', async () => {
  const s = setup();
  s.open('a', 'critical');
  await s.engine.tick();
  s.clock.advance(5 * M);
  await s.engine.tick();
  assert.equal(await s.value('vigil_oncall_pages_total', { person: 'ana', severity: 'critical' }), 1);
  // ben's page failed: not counted as a page
  assert.equal(await s.value('vigil_oncall_pages_total', { person: 'ben' }), 0);
});

test('time to acknowledge and time to resolve go into histograms by severity and policy, once each', async () => {
  const s = setup();
  const id = s.open('a', 'critical');
  s.clock.advance(3 * M);
  s.change(id, () => s.incidents.acknowledge(id, ANA));
  s.change(id, () => s.incidents.unacknowledge(id, ANA));
  s.clock.advance(M);
  s.change(id, () => s.incidents.acknowledge(id, ANA));
  s.clock.advance(56 * M);
  s.change(id, () => s.incidents.resolve(id, ANA));
  s.change(id, () => s.incidents.resolve(id, ANA));
  const ack = { severity: 'critical', policy: 'backend' };
  assert.equal(await s.value('vigil_oncall_time_to_acknowledge_seconds_count', ack), 1);
  assert.equal(await s.value('vigil_oncall_time_to_acknowledge_seconds_sum', ack), 180);
  assert.equal(await s.value('vigil_oncall_time_to_acknowledge_seconds_bucket', { ...ack, le: '120' }), 0);
  assert.equal(await s.value('vigil_oncall_time_to_acknowledge_seconds_bucket', { ...ack, le: '300' }), 1);
  assert.equal(await s.value('vigil_oncall_time_to_resolve_seconds_count', ack), 1);
  assert.equal(await s.value('vigil_oncall_time_to_resolve_seconds_sum', ack), 3600);
  assert.equal(await s.value('vigil_oncall_incidents_total', { severity: 'critical' }), 1);
});

test('open incidents are counted in the store by severity at scrape time', async () => {
  const s = setup();
  const a = s.open('a', 'critical');
  s.open('b', 'critical');
  s.open('c', 'low');
  assert.equal(await s.value('vigil_oncall_incidents_open', { severity: 'critical' }), 2);
  assert.equal(await s.value('vigil_oncall_incidents_open', { severity: 'high' }), 0);
  s.incidents.resolve(a, ANA);
  assert.equal(await s.value('vigil_oncall_incidents_open', { severity: 'critical' }), 1);
  assert.equal(await s.value('vigil_oncall_incidents_open', { severity: 'low' }), 1);
});

test('escalations are counted from the engine’s timeline by policy and reason, each once', async () => {
  const s = setup();
  s.open('a', 'critical');
  await s.engine.tick();
  assert.equal(await s.value('vigil_oncall_escalations_total', { reason: 'not_acknowledged' }), 0);
  s.clock.advance(5 * M);
  await s.engine.tick();
  assert.equal(await s.value('vigil_oncall_escalations_total', { policy: 'backend', reason: 'not_acknowledged' }), 1);
  assert.equal(await s.value('vigil_oncall_escalations_total', { policy: 'backend', reason: 'not_acknowledged' }), 1);
});

test('incidents marked as noise are counted; a second mark or an unmark does not count again', async () => {
  const s = setup();
  const id = s.open('a', 'low');
  assert.equal(markNoise(s.incidents, id, ANA, s.clock.now()), true);
  assert.equal(markNoise(s.incidents, id, ANA, s.clock.now()), false);
  assert.equal(isNoise(s.incidents.timeline(id)), true);
  assert.equal(await s.value('vigil_oncall_incidents_noise_total'), 1);
  assert.equal(markNoise(s.incidents, id, ANA, s.clock.now(), false), true);
  assert.equal(isNoise(s.incidents.timeline(id)), false);
  assert.equal(await s.value('vigil_oncall_incidents_noise_total'), 1);
  assert.throws(() => markNoise(s.incidents, '99', ANA, s.clock.now()), /incident "99" not found/);
});

test('what the timeline held before the metrics existed is not counted again after a restart', async () => {
  const s = setup();
  const id = s.open('a', 'low');
  markNoise(s.incidents, id, ANA, s.clock.now());
  const registry = new Registry();
  oncallMetrics(registry, s.incidents.store);
  const text = await registry.metrics();
  assert.match(text, /^vigil_oncall_incidents_noise_total 0$/m);
});
