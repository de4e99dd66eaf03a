/**
 * Who an alert would page, and when, if nobody acknowledges: the real
 * incidents and escalation engine on an in-memory store, driven by a fake
 * clock one engine tick at a time. `vigil test alerting` checks its answer
 * against a test's `pages:`.
 */
import Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { fingerprint, type LabelSet, type Notification } from '../dispatch/model.ts';
import { VigilError } from '../errors.ts';
import { createDirectory } from './directory.ts';
import { DEFAULT_ESCALATION_OPTIONS, EscalationEngine, type Page } from './escalation.ts';
import { IncidentStore, type PageReason } from './incident-store.ts';
import { incidentInputFrom, Incidents } from './incidents.ts';
import type { OncallConfig } from './model.ts';

export interface SimulatedPage {
  person: string;
  /** Since the alert was handed to the policy. */
  afterMs: number;
  /** Index in the policy's steps; see escalation.ts Page. */
  step: number;
  attempt: number;
  reason: PageReason;
  policy: string;
}

export interface SimulationInput {
  /** Escalation policy ids the alert is handed to (one incident each), e.g. a receiver's `oncall_configs`. */
  policies: string[];
  labels: LabelSet;
  annotations?: LabelSet;
  atMs: number;
  /** How long to run the clock for; at most a day. */
  forMs: number;
}

const MAX_SIMULATION_MS = 86_400_000;

/** The pages sent in [atMs, atMs + forMs], in order, with Vigil's default escalation options and no acknowledgement. */
export async function simulatePages(config: OncallConfig, input: SimulationInput): Promise<SimulatedPage[]> {
  if (input.forMs > MAX_SIMULATION_MS) throw new VigilError('VIGIL_ERR_CONFIG_INVALID', `a page simulation runs for at most 24h, asked for ${input.forMs / 3_600_000}h`);
  const clock = new SteppedClock(input.atMs);
  const db = new Database(':memory:');
  try {
    const policies = new Map(config.escalation_policies.map((policy) => [policy.id, policy]));
    const incidents = new Incidents(new IncidentStore(db), clock, policies);
    const pages: SimulatedPage[] = [];
    const policyOf = new Map<string, string>();
    const pager = {
      page: async (page: Page) => {
        pages.push({ person: page.person, afterMs: clock.now() - input.atMs, step: page.step, attempt: page.attempt, reason: page.reason, policy: policyOf.get(page.incidentId) ?? '' });
        return { ok: true };
      },
    };
    const engine = new EscalationEngine({ clock, incidents, directory: createDirectory(config), pager });
    input.policies.forEach((policy, i) => {
      const incident = incidents.openOrUpdate(incidentInputFrom(notificationFor(input, `simulated:${i}`), policy));
      if (incident) policyOf.set(incident.id, policy);
    });
    const endMs = input.atMs + input.forMs;
    for (let t = input.atMs; t <= endMs; t = nextTick(incidents, t, input.atMs)) {
      clock.set(t);
      await engine.tick();
    }
    return pages;
  } finally {
    db.close();
  }
}

/**
 * The engine's next tick at which anything can change: a step falls due or
 * the auto-escalation deadline passes (nobody acknowledges, so nothing else
 * happens). Ticks in between would find nothing to do, so they are skipped;
 * the times stay on the engine's tick grid.
 */
function nextTick(incidents: Incidents, nowMs: number, startMs: number): number {
  const { tickMs, autoEscalate } = DEFAULT_ESCALATION_OPTIONS;
  const deadline = { critical: autoEscalate.criticalMs, high: autoEscalate.highMs } as Partial<Record<string, number>>;
  const events = incidents.list({ states: ['triggered'] }).flatMap((incident) => {
    const { nextDueAt, stepsThisCycle } = incident.escalation;
    const limit = deadline[incident.severity];
    const autoEscalation = limit !== undefined && stepsThisCycle === 1 ? [incident.triggeredAt + limit] : [];
    // A step due now (nobody was on call at the last one) is planned at the next tick.
    return [...(nextDueAt === undefined ? [] : [Math.max(nextDueAt, nowMs + 1)]), ...autoEscalation.filter((at) => at > nowMs)];
  });
  const next = Math.min(...events);
  if (!Number.isFinite(next)) return Infinity;
  return startMs + Math.ceil((next - startMs) / tickMs) * tickMs;
}

/** What the dispatcher would hand the on-call receiver for this one alert. */
function notificationFor(input: SimulationInput, groupKey: string): Notification {
  const annotations = input.annotations ?? {};
  return {
    receiver: 'simulated',
    status: 'firing',
    alerts: [{ status: 'firing', labels: input.labels, annotations, startsAt: new Date(input.atMs).toISOString(), endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: fingerprint(input.labels) }],
    groupLabels: {},
    commonLabels: input.labels,
    commonAnnotations: annotations,
    externalURL: '',
    groupKey,
    truncatedAlerts: 0,
  };
}

/** A clock the simulation moves itself; the engine is ticked by hand, so its own timer never runs. */
class SteppedClock implements Clock {
  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  set(t: number): void {
    this.t = t;
  }

  setInterval(): { stop(): void } {
    return { stop() {} };
  }
}
