/**
 * 1,000 open incidents with running escalations: the CPU the escalation
 * engine's timer work costs per minute, and how late a step's page goes out
 * after the step fell due (target: p99 under 1 s).
 *
 * An IncidentStore on a temporary SQLite file (WAL, as Vigil opens its
 * files) holds N triggered incidents on one policy whose steps each wait
 * `--wait` seconds and repeat, so every incident is paged once per wait;
 * their next steps are spread evenly over the first wait. The engine runs on
 * the system clock with its own 1 s timer; the pager only records when each
 * page arrives. A step's due time is the incident's `nextDueAt` as the
 * engine set it when it planned the step before. The first wait is warm-up;
 * CPU and delays are measured over the following `--minutes`. Prints one
 * figure per line.
 *
 *   node --import tsx packages/server/bench/oncall-escalations.ts [--incidents 1000] [--wait 60] [--minutes 2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { systemClock } from '../src/clock.ts';
import { EscalationEngine, type EscalationPolicy, type Page } from '../src/oncall/escalation.ts';
import { IncidentStore } from '../src/oncall/incident-store.ts';
import { Incidents } from '../src/oncall/incidents.ts';
import { pragmas } from '../src/store/sqlite/schema.ts';

const { values: args } = parseArgs({ options: { incidents: { type: 'string', default: '1000' }, wait: { type: 'string', default: '60' }, minutes: { type: 'string', default: '2' } } });
const INCIDENTS = positive('incidents');
const WAIT_MS = positive('wait') * 1000;
const MEASURE_MS = positive('minutes') * 60_000;

function positive(name: keyof typeof args): number {
  const value = Number(args[name]);
  if (!(value > 0)) {
    console.error(`--${name} must be a positive number, got ${args[name]}`);
    process.exit(2);
  }
  return value;
}

// Medium severity: the fatigue cap and the auto-escalation deadlines apply to critical and high only, so every step waits its full time.
const policy: EscalationPolicy = { id: 'bench', steps: [{ targets: [{ person: 'primary' }], waitMs: WAIT_MS }, { targets: [{ person: 'backup' }], waitMs: WAIT_MS }], repeat: 100 };

const dir = mkdtempSync(join(tmpdir(), 'vigil-oncall-bench-'));
const db = new Database(join(dir, 'oncall.db'));
for (const pragma of pragmas) db.pragma(pragma);
const incidents = new Incidents(new IncidentStore(db), systemClock, new Map([[policy.id, policy]]));
const store = incidents.store;

/** Each incident's next step's due time, as the engine set it. */
const dueAt = new Map<string, number>();
const delays: number[] = [];
let measuring = false;
let pagesSeen = 0;

const pager = {
  async page(page: Page) {
    const arrived = Date.now();
    pagesSeen++;
    if (measuring) delays.push(arrived - (dueAt.get(page.incidentId) ?? arrived));
    dueAt.set(page.incidentId, store.get(page.incidentId)!.escalation.nextDueAt!);
    return { ok: true };
  },
};

const start = Date.now();
store.transaction(() => {
  for (let i = 0; i < INCIDENTS; i++) {
    const incident = incidents.openOrUpdate({ groupKey: `g${i}`, policy: 'bench', severity: 'medium', summary: `incident ${i}`, alerts: [{ fingerprint: `fp${i}`, labels: { alertname: 'Bench', n: String(i) }, status: 'firing' }] })!;
    const due = start + Math.floor((i * WAIT_MS) / INCIDENTS);
    store.update(incident.id, { nextDueAt: due });
    dueAt.set(incident.id, due);
  }
});

const engine = new EscalationEngine({ clock: systemClock, incidents, directory: { resolve: (target) => ('person' in target ? [target.person] : []) }, pager, onError: (err) => console.error(err) }, { commander: { enabled: false } });
engine.start();

await sleep(WAIT_MS);
measuring = true;
const cpuBefore = process.cpuUsage();
const pagesBefore = pagesSeen;
await sleep(MEASURE_MS);
const cpu = process.cpuUsage(cpuBefore);
measuring = false;
engine.stop();
db.close();
rmSync(dir, { recursive: true, force: true });

const minutes = MEASURE_MS / 60_000;
const cpuMsPerMinute = (cpu.user + cpu.system) / 1000 / minutes;
delays.sort((a, b) => a - b);
console.log(`machine ${cpus().length}x ${cpus()[0].model.trim()} node ${process.version}`);
console.log(`open incidents ${INCIDENTS}`);
console.log(`step wait ${WAIT_MS / 1000} s`);
console.log(`pages per minute ${((pagesSeen - pagesBefore) / minutes).toFixed(0)}`);
console.log(`timer work CPU ${cpuMsPerMinute.toFixed(0)} ms per minute (${(cpuMsPerMinute / 600).toFixed(2)}% of one core)`);
console.log(`page delay after due p50 ${quantile(0.5)} ms`);
console.log(`page delay after due p99 ${quantile(0.99)} ms (target < 1000)`);
console.log(`page delay after due max ${delays.at(-1) ?? NaN} ms`);

function quantile(q: number): number {
  return delays.length === 0 ? NaN : delays[Math.min(delays.length - 1, Math.floor(q * delays.length))];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
