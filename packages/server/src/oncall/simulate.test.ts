import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { FakeClock } from '../testing/fake-clock.ts';
import { oncallConfigSchema, type OncallConfigInput } from './config.ts';
import { createDirectory } from './directory.ts';
import { EscalationEngine, type Page } from './escalation.ts';
import { IncidentStore } from './incident-store.ts';
import { incidentInputFrom, Incidents } from './incidents.ts';
import type { OncallConfig } from './model.ts';
import { simulatePages } from './simulate.ts';

const M = 60_000;
const AT = Date.UTC(2026, 2, 4, 3, 0);

const config: OncallConfig = oncallConfigSchema.parse({
  people: [
    { id: 'ana', name: 'Ana', time_zone: 'UTC' },
    { id: 'ben', name: 'Ben', time_zone: 'UTC' },
    { id: 'eve', name: 'Eve', time_zone: 'UTC' },
  ],
  schedules: [{ id: 'nights', name: 'Nights', time_zone: 'UTC', layers: [{ name: 'n', participants: ['ben'], start: '2026-03-01T00:00', rotation: { length: '1d' }, restrictions: [{ from: '22:00', to: '02:00' }] }] }],
  escalation_policies: [
    { id: 'direct', name: 'Direct', steps: [{ notify: [{ person: 'ben' }], wait: '20m' }, { notify: [{ person: 'ana' }] }] },
    { id: 'gap', name: 'Gap', steps: [{ notify: [{ schedule: 'nights' }], wait: '20m' }, { notify: [{ person: 'ana' }], wait: '20m' }, { notify: [{ person: 'eve' }] }], repeat: 1 },
  ],
} satisfies OncallConfigInput);

/** The engine as the server runs it: its own timer, every second. */
async function everySecond(policy: string, severity: string, forMs: number): Promise<string[]> {
  const clock = new FakeClock(AT);
  const incidents = new Incidents(new IncidentStore(new Database(':memory:')), clock, new Map(config.escalation_policies.map((p) => [p.id, p])));
  const pages: string[] = [];
  const pager = { page: async (page: Page) => (pages.push(`${(clock.now() - AT) / 1000}s ${page.person}`), { ok: true }) };
  const engine = new EscalationEngine({ clock, incidents, directory: createDirectory(config), pager });
  const labels = { alertname: 'X', severity };
  incidents.openOrUpdate(incidentInputFrom({ receiver: 'r', status: 'firing', alerts: [{ status: 'firing', labels, annotations: {}, startsAt: '', endsAt: '', generatorURL: '', fingerprint: 'f' }], groupLabels: {}, commonLabels: labels, commonAnnotations: {}, externalURL: '', groupKey: 'g', truncatedAlerts: 0 }, policy));
  await engine.tick();
  engine.start();
  for (let t = 0; t < forMs; t += 1000) {
    clock.advance(1000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return pages;
}

async function simulated(policy: string, severity: string, forMs: number): Promise<string[]> {
  const pages = await simulatePages(config, { policies: [policy], labels: { alertname: 'X', severity }, atMs: AT, forMs });
  return pages.map((page) => `${page.afterMs / 1000}s ${page.person}`);
}

test('skipping idle ticks pages exactly as ticking every second does: empty steps, waits, the deadline, repeats', async () => {
  assert.deepEqual(await simulated('gap', 'critical', 25 * M), await everySecond('gap', 'critical', 25 * M));
  const direct = await everySecond('direct', 'critical', 10 * M);
  assert.deepEqual(await simulated('direct', 'critical', 10 * M), direct);
  // critical: the step's 20 minutes are cut to 5
  assert.deepEqual(direct, ['0s ben', '300s ana']);
  // nobody is on the night schedule (22:00–02:00) at 03:00: that step moves on at the next tick, then the waits, then the repeat
  assert.deepEqual(await simulated('gap', 'medium', 45 * M), ['1s ana', '1201s eve', '1502s ana']);
});

test('a simulation runs for at most a day', async () => {
  await assert.rejects(simulatePages(config, { policies: ['gap'], labels: {}, atMs: AT, forMs: 25 * 60 * M }), /at most 24h/);
});
