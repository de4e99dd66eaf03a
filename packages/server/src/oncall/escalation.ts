/**
 * The escalation engine. Each tick it re-triggers expired acknowledgements,
 * applies the auto-escalation triggers, plans the steps that are due (pages
 * recorded as `due`, the incident moved to its next step, in one
 * transaction) and then sends every `due` page.
 *
 * Delivery is at-least-once: a crash after the pager accepted a page but
 * before it was marked `sent` sends it again on the next start, with the
 * same `dedupKey` so that the channel (or the person) can drop the second
 * one. A crash before the plan was committed replans the same step, so no
 * page is lost; a committed plan is never planned twice, so no step is
 * paged twice.
 */
import type { Clock } from '../clock.ts';
import { VigilError } from '../errors.ts';
import { applyPageCap, DEFAULT_FATIGUE_OPTIONS, type FatigueOptions, type PlannedPage } from './fatigue.ts';
import type { Incident, IncidentStore, PageReason, PageRecord } from './incident-store.ts';
import { requireAtLeast, VIGIL, type Actor, type Incidents } from './incidents.ts';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Target = { schedule: string } | { person: string } | { team: string };

/** model.ts's configured EscalationPolicy is assignable to this: config policies go in as they are. */
export interface EscalationPolicy {
  id: string;
  steps: { targets: Target[]; waitMs: number }[];
  /** How many more times the chain runs after the first pass. */
  repeat: number;
  /** Paged once after the last repeat. */
  final?: { targets: Target[] };
}

/** Who a target means at a given time. */
export interface Directory {
  /** Person ids on call for a schedule, the person, or a team's members. */
  resolve(target: Target, atMs: number): string[];
}

export interface Page {
  incidentId: string;
  person: string;
  severity: Severity;
  /** Index in the policy's steps; `steps.length` for the final step; -1 for the assignee or the incident commander. */
  step: number;
  /** Pass through the chain, from 1. */
  attempt: number;
  summary: string;
  ackUrl?: string;
  /** The same for every attempt at this page: delivery is at-least-once. */
  dedupKey: string;
  reason: PageReason;
}

/** Turns a page into an SMS, e-mail or chat message. */
export interface Pager {
  page(page: Page): Promise<{ ok: boolean; error?: string }>;
}

export interface EscalationOptions {
  /** How often due steps are looked for (ms). */
  tickMs: number;
  /** Not acknowledged this long after triggering (ms) → the next step now, if the first step's wait is longer. */
  autoEscalate: { enabled: boolean; criticalMs: number; highMs: number };
  /** More than `maxOpenCritical` critical incidents open → `target` is paged once for the storm. */
  commander: { enabled: boolean; target?: Target; maxOpenCritical: number };
  fatigue: FatigueOptions;
}

export const DEFAULT_ESCALATION_OPTIONS: Readonly<EscalationOptions> = Object.freeze({
  tickMs: 1000,
  autoEscalate: { enabled: true, criticalMs: 5 * 60_000, highMs: 15 * 60_000 },
  commander: { enabled: true, maxOpenCritical: 2 },
  fatigue: DEFAULT_FATIGUE_OPTIONS,
});

/** Options as given: each group may be given in part, the rest comes from the defaults. */
export type EscalationSettings = { [K in keyof EscalationOptions]?: Partial<EscalationOptions[K]> };

function withDefaults(given: EscalationSettings): EscalationOptions {
  const defaults = DEFAULT_ESCALATION_OPTIONS;
  const options = {
    tickMs: given.tickMs ?? defaults.tickMs,
    autoEscalate: { ...defaults.autoEscalate, ...given.autoEscalate },
    commander: { ...defaults.commander, ...given.commander },
    fatigue: { ...defaults.fatigue, ...given.fatigue },
  };
  requireAtLeast('tickMs', options.tickMs, 1);
  requireAtLeast('autoEscalate.criticalMs', options.autoEscalate.criticalMs, 0);
  requireAtLeast('autoEscalate.highMs', options.autoEscalate.highMs, 0);
  requireAtLeast('commander.maxOpenCritical', options.commander.maxOpenCritical, 0);
  requireAtLeast('fatigue.criticalPagesPerWindow', options.fatigue.criticalPagesPerWindow, 1);
  requireAtLeast('fatigue.windowMs', options.fatigue.windowMs, 1);
  return Object.freeze(options);
}

export interface EscalationDeps {
  clock: Clock;
  incidents: Incidents;
  directory: Directory;
  pager: Pager;
  /** A signed acknowledgement link for one person, put into the page. */
  ackUrl?: (incidentId: string, person: string) => string | undefined;
  /** A tick, or one incident's step, that failed (e.g. the database, a directory lookup); the next tick tries again. */
  onError?: (err: unknown) => void;
}

export interface PolicyStep {
  targets: Target[];
  waitMs: number;
  step: number;
  attempt: number;
}

/** The step at an escalation position: -1 the assignee, then steps × (repeat + 1), then the final step. */
export function stepAt(policy: EscalationPolicy, position: number, assignee?: string): PolicyStep | undefined {
  const count = policy.steps.length;
  if (position === -1) return assignee === undefined ? undefined : { targets: [{ person: assignee }], waitMs: policy.steps[0]?.waitMs ?? 0, step: -1, attempt: 1 };
  const chain = count * (policy.repeat + 1);
  if (position < chain) return { ...policy.steps[position % count], step: position % count, attempt: Math.floor(position / count) + 1 };
  if (position === chain && policy.final) return { targets: policy.final.targets, waitMs: 0, step: count, attempt: policy.repeat + 1 };
  return undefined;
}

const STORM_KEY = 'commander_storm';
/** Fire counts feed the flapping and noise rules (a day at most) and monthly digests; older ones are dropped. */
export const FIRE_RETENTION_MS = 31 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

export class EscalationEngine {
  private readonly options: EscalationOptions;
  private readonly store: IncidentStore;
  private timer?: { stop(): void };
  /** Keys of pages handed to the pager and not answered yet. */
  private readonly inFlight = new Set<string>();
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: EscalationDeps,
    options: EscalationSettings = {},
  ) {
    this.options = withDefaults(options);
    this.store = deps.incidents.store;
  }

  start(): void {
    this.timer ??= this.deps.clock.setInterval(() => {
      this.tick().catch((err: unknown) => this.deps.onError?.(err));
    }, this.options.tickMs);
  }

  stop(): void {
    this.timer?.stop();
    this.timer = undefined;
  }

  /**
   * One pass: planning is synchronous, so passes never interleave; sending
   * is awaited, but a page still in flight from an earlier pass is not sent
   * again, and a pager that hangs holds up only its own page.
   */
  async tick(): Promise<void> {
    const now = this.deps.clock.now();
    this.deps.incidents.expireAcknowledgements();
    this.store.transaction(() => {
      this.escalateUnacknowledged(now);
      this.pageCommanderInStorm(now);
      for (const incident of this.store.due(now)) this.planStepAlone(incident, now);
      this.pruneFires(now);
    });
    const fresh = this.store.pendingPages().filter((page) => !this.inFlight.has(page.key));
    await Promise.all(fresh.map((page) => this.send(page)));
  }

  /**
   * "Escalate now": plans the incident's next step at once, as a due step is
   * planned (pages recorded `due` in the same transaction), so a restart and
   * the dedup keys hold; the next tick sends them. An acknowledged incident
   * is triggered again. Throws when there is no next step.
   */
  escalateNow(id: string, by: Actor): Incident {
    const now = this.deps.clock.now();
    return this.store.transaction(() => {
      const incident = this.deps.incidents.prepareEscalation(id, by);
      const policy = this.deps.incidents.policy(incident.policyId);
      const step = policy && stepAt(policy, incident.escalation.position, incident.assignee);
      if (!policy || !step) throw new VigilError('VIGIL_ERR_ALERT_INVALID', `incident ${id} has no further step to escalate to in policy "${incident.policyId}"`);
      this.planStep(incident, now, by);
      return this.store.get(id)!;
    });
  }

  private pruneFires(now: number): void {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.store.deleteFiresBefore(now - FIRE_RETENTION_MS);
    this.prunedAt = now;
  }

  /** One incident whose step cannot be planned (a directory failing) is retried next tick without holding up the others. */
  private planStepAlone(incident: Incident, now: number): void {
    try {
      this.store.transaction(() => this.planStep(incident, now));
    } catch (err) {
      this.deps.onError?.(err);
    }
  }

  /** Records the pages of the due step and moves the incident to its next step. */
  private planStep(incident: Incident, now: number, requestedBy?: Actor): void {
    const { position, stepsThisCycle } = incident.escalation;
    const policy = this.deps.incidents.policy(incident.policyId);
    const step = policy && stepAt(policy, position, incident.assignee);
    if (!policy || !step) {
      this.store.update(incident.id, { nextDueAt: null });
      this.note(incident.id, policy ? 'escalation-exhausted' : 'policy-missing', { policy: incident.policyId }, now);
      return;
    }
    const pages = this.recordPages(incident, policy, step, now, requestedBy);
    const hasNext = stepAt(policy, position + 1, incident.assignee) !== undefined;
    // Nobody to page at this step: waiting for an acknowledgement would only delay the next one.
    const wait = pages.some((page) => page.status === 'due') ? step.waitMs : 0;
    this.store.update(incident.id, { position: position + 1, pagedPosition: position, stepsThisCycle: stepsThisCycle + 1, nextDueAt: hasNext ? now + wait : null });
    if (!hasNext) this.note(incident.id, 'escalation-exhausted', { policy: policy.id }, now);
  }

  /** Records the step's pages as due (or capped, with the next step's people standing in). */
  private recordPages(incident: Incident, policy: EscalationPolicy, step: PolicyStep, now: number, requestedBy?: Actor): PlannedPage[] {
    const { position, cycle, stepsThisCycle } = incident.escalation;
    const people = this.resolve(step.targets, now);
    const overflow = () => {
      const next = stepAt(policy, position + 1, incident.assignee);
      return next ? this.resolve(next.targets, now) : [];
    };
    const pages = applyPageCap(this.store, incident.severity, people, overflow, now, this.options.fatigue);
    for (const { person, reason, status } of pages) {
      const key = `${incident.id}:${cycle}:${position}:${person}`;
      const { severity } = incident;
      this.store.insertPage({ key, incidentId: incident.id, person, severity, step: step.step, attempt: step.attempt, reason, status, dueAt: now });
    }
    const capped = pages.filter((page) => page.status === 'capped').map((page) => page.person);
    const detail = { step: step.step, attempt: step.attempt, people, capped };
    if (requestedBy) this.store.appendTimeline(incident.id, { at: now, actor: requestedBy.actor, via: requestedBy.via, action: 'escalated', detail: { ...detail, requested: true } });
    else this.note(incident.id, stepsThisCycle === 0 ? 'step-paged' : 'escalated', detail, now);
    return pages;
  }

  /** Not acknowledged in time after its first step: the next step is due now. */
  private escalateUnacknowledged(now: number): void {
    const { enabled, criticalMs, highMs } = this.options.autoEscalate;
    if (!enabled) return;
    for (const incident of this.store.overdueOnFirstStep(now, { critical: criticalMs, high: highMs })) {
      this.store.update(incident.id, { nextDueAt: now });
      const limitMs = incident.severity === 'critical' ? criticalMs : highMs;
      this.note(incident.id, 'auto-escalated', { reason: 'not acknowledged in time', severity: incident.severity, limitMs }, now);
    }
  }

  /** Pages the incident commander once when critical incidents pile up; re-arms when they are back under the limit. */
  private pageCommanderInStorm(now: number): void {
    const { enabled, target, maxOpenCritical } = this.options.commander;
    if (!enabled || !target) return;
    const open = this.store.openCriticalIds();
    const storm = this.store.getState(STORM_KEY);
    if (open.length <= maxOpenCritical) {
      if (storm) this.store.setState(STORM_KEY, undefined);
      return;
    }
    if (storm) return;
    const latest = open[open.length - 1];
    const people = this.resolve([target], now);
    for (const person of people) {
      const key = `commander:${latest}:${person}`;
      this.store.insertPage({ key, incidentId: latest, person, severity: 'critical', step: -1, attempt: 1, reason: 'commander', status: 'due', dueAt: now });
    }
    this.note(latest, 'commander-paged', { people, openCritical: open }, now);
    this.store.setState(STORM_KEY, latest);
  }

  private async send(page: PageRecord): Promise<void> {
    const incident = this.store.get(page.incidentId);
    // The commander is paged for the storm, not for this incident: an acknowledgement does not cancel it.
    if (!incident || (page.reason !== 'commander' && incident.state !== 'triggered')) {
      this.store.finishPage(page.key, 'cancelled', this.deps.clock.now());
      return;
    }
    this.inFlight.add(page.key);
    const result = await this.deliver(page, incident).finally(() => this.inFlight.delete(page.key));
    const now = this.deps.clock.now();
    this.store.transaction(() => {
      this.store.finishPage(page.key, result.ok ? 'sent' : 'failed', now, result.error);
      const detail = { person: page.person, step: page.step, attempt: page.attempt, reason: page.reason, dedupKey: page.key };
      this.note(incident.id, result.ok ? 'paged' : 'page-failed', result.ok ? detail : { ...detail, error: result.error }, now);
    });
  }

  private async deliver(page: PageRecord, incident: Incident): Promise<{ ok: boolean; error?: string }> {
    const ackUrl = this.deps.ackUrl?.(incident.id, page.person);
    try {
      return await this.deps.pager.page({
        incidentId: incident.id,
        person: page.person,
        severity: incident.severity,
        step: page.step,
        attempt: page.attempt,
        summary: incident.summary,
        dedupKey: page.key,
        reason: page.reason,
        ...(ackUrl ? { ackUrl } : {}),
      });
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private resolve(targets: Target[], now: number): string[] {
    return [...new Set(targets.flatMap((target) => this.deps.directory.resolve(target, now)))];
  }

  private note(incidentId: string, action: string, detail: Record<string, unknown>, now: number): void {
    this.store.appendTimeline(incidentId, { at: now, actor: VIGIL.actor, via: VIGIL.via, action, detail });
  }
}
