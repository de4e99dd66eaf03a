/**
 * The incident lifecycle: one incident per alert group routed to a policy,
 * triggered → acknowledged → resolved, with every change on its timeline.
 * Changes only write the store; the escalation engine reads the store on its
 * next tick, so a change made here and a restart look the same to it.
 */
import type { Clock } from '../clock.ts';
import type { LabelSet, Notification } from '../dispatch/model.ts';
import { VigilError } from '../errors.ts';
import type { EscalationPolicy, Severity } from './escalation.ts';
import { nextLocalMidnight } from './fatigue.ts';
import type { AlertStatus, Incident, IncidentAlert, IncidentFilter, IncidentPatch, IncidentStore, TimelineEntry, Via } from './incident-store.ts';
import { DAY_MS, isTimeZone } from '../local-time.ts';

export interface IncidentAlertInput {
  fingerprint: string;
  labels: LabelSet;
  status: AlertStatus;
}

export interface IncidentInput {
  groupKey: string;
  /** An escalation policy id. */
  policy: string;
  /** Used when the incident is opened; later changes go through `setSeverity`. */
  severity: Severity;
  summary: string;
  /** The group's alerts as the dispatcher sends them; alerts left out keep their last status. */
  alerts: IncidentAlertInput[];
}

/** Common `severity` label values, by the severity they page with. */
const SEVERITY_WORDS = new Map<string, Severity>([
  ['critical', 'critical'],
  ['page', 'critical'],
  ['high', 'high'],
  ['error', 'high'],
  ['major', 'high'],
  ['medium', 'medium'],
  ['warning', 'medium'],
  ['minor', 'medium'],
  ['low', 'low'],
  ['info', 'low'],
  ['none', 'low'],
]);

/**
 * The incident input for a notification the dispatcher sent to an on-call
 * receiver: severity from the group's common `severity` label (`fallback`
 * when absent or unknown), summary from its common `summary` annotation.
 */
export function incidentInputFrom(notification: Notification, policy: string, fallback: Severity = 'high'): IncidentInput {
  const label = notification.commonLabels.severity?.toLowerCase();
  const groupText = Object.entries(notification.groupLabels).map(([name, value]) => `${name}=${value}`).join(', ');
  return {
    groupKey: notification.groupKey,
    policy,
    severity: (label && SEVERITY_WORDS.get(label)) || fallback,
    summary: notification.commonAnnotations.summary ?? (groupText || notification.groupKey),
    alerts: notification.alerts.map((alert) => ({ fingerprint: alert.fingerprint, labels: alert.labels, status: alert.status })),
  };
}

/** Who made a change, and through what. */
export interface Actor {
  actor: string;
  via: Via;
}

export interface IncidentOptions {
  /** An acknowledged incident whose alerts still fire re-triggers after this (ms); 0: never. */
  ackTimeoutMs: number;
  /** The same alert starting to fire `fires` times within `windowMs` raises its incident's severity one level. */
  flapping: { enabled: boolean; fires: number; windowMs: number };
  /** A low-severity alert starting to fire more than `firesPerDay` times in 24 h is snoozed until the next local midnight. */
  lowNoise: { enabled: boolean; firesPerDay: number; timeZone: string };
}

const HOUR_MS = 3_600_000;

export const DEFAULT_INCIDENT_OPTIONS: Readonly<IncidentOptions> = Object.freeze({
  ackTimeoutMs: 4 * HOUR_MS,
  flapping: { enabled: true, fires: 3, windowMs: 30 * 60_000 },
  lowNoise: { enabled: true, firesPerDay: 10, timeZone: 'UTC' },
});

/** Lowest first: raising severity moves one place right. */
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export const VIGIL: Actor = { actor: 'vigil', via: 'auto' };

/** Options as given: each group may be given in part, the rest comes from the defaults. */
export type IncidentSettings = { [K in keyof IncidentOptions]?: Partial<IncidentOptions[K]> };

function withDefaults(given: IncidentSettings): IncidentOptions {
  const defaults = DEFAULT_INCIDENT_OPTIONS;
  const options = {
    ackTimeoutMs: given.ackTimeoutMs ?? defaults.ackTimeoutMs,
    flapping: { ...defaults.flapping, ...given.flapping },
    lowNoise: { ...defaults.lowNoise, ...given.lowNoise },
  };
  requireAtLeast('ackTimeoutMs', options.ackTimeoutMs, 0);
  requireAtLeast('flapping.fires', options.flapping.fires, 1);
  requireAtLeast('flapping.windowMs', options.flapping.windowMs, 1);
  requireAtLeast('lowNoise.firesPerDay', options.lowNoise.firesPerDay, 0);
  const zone = options.lowNoise.timeZone;
  if (!isTimeZone(zone)) throw new VigilError('VIGIL_ERR_CONFIG_INVALID', `oncall lowNoise.timeZone: "${zone}" is not an IANA time zone`);
  return Object.freeze(options);
}

/** Options are checked once, at construction, and name the bad value. */
export function requireAtLeast(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new VigilError('VIGIL_ERR_CONFIG_INVALID', `oncall ${name} must be a number >= ${min}, got ${String(value)}`);
  }
}

export class Incidents {
  private readonly options: IncidentOptions;

  constructor(
    readonly store: IncidentStore,
    private readonly clock: Clock,
    private policies: ReadonlyMap<string, EscalationPolicy>,
    options: IncidentSettings = {},
  ) {
    this.options = withDefaults(options);
  }

  /** After a reload; open incidents keep their position, read against the new definition of their policy. */
  usePolicies(policies: ReadonlyMap<string, EscalationPolicy>): void {
    this.policies = policies;
  }

  policy(id: string): EscalationPolicy | undefined {
    return this.policies.get(id);
  }

  get(id: string): Incident | undefined {
    return this.store.get(id);
  }

  list(filter?: IncidentFilter): Incident[] {
    return this.store.list(filter);
  }

  alerts(id: string): IncidentAlert[] {
    return this.store.alerts(id);
  }

  timeline(id: string): TimelineEntry[] {
    return this.store.timeline(id);
  }

  /** Opens an incident for a group with firing alerts, or updates the open one; undefined when nothing fires and nothing is open. */
  openOrUpdate(input: IncidentInput): Incident | undefined {
    if (!this.policies.has(input.policy)) throw new VigilError('VIGIL_ERR_CONFIG_INVALID', `escalation policy "${input.policy}" is not configured`);
    if (!SEVERITIES.includes(input.severity)) throw new VigilError('VIGIL_ERR_ALERT_INVALID', `severity "${input.severity}" is not one of ${SEVERITIES.join(', ')}`);
    return this.store.transaction(() => {
      const now = this.clock.now();
      const open = this.store.openForGroup(input.groupKey);
      if (!open && !input.alerts.some((alert) => alert.status === 'firing')) return undefined;
      const incident = open ?? this.create(input, now);
      if (incident.summary !== input.summary) this.store.update(incident.id, { summary: input.summary });
      for (const fingerprint of this.mergeAlerts(incident.id, input.alerts, now)) this.countFire(incident.id, fingerprint, now);
      if (this.store.alerts(incident.id).every((alert) => alert.status === 'resolved')) this.resolve(incident.id, VIGIL);
      return this.store.get(incident.id);
    });
  }

  /** Stops paging; re-triggers at `untilMs`, by default after the acknowledgement timeout, if the alerts still fire. */
  acknowledge(id: string, by: Actor, untilMs?: number): Incident {
    return this.change(id, by, 'acknowledged', (incident, now) => {
      this.mustBeOpen(incident);
      const timeout = this.options.ackTimeoutMs > 0 ? now + this.options.ackTimeoutMs : null;
      // Vigil's own snoozes are not a response: time to acknowledge counts people only.
      const first = incident.firstAcknowledgedAt === undefined && by.via !== 'auto' ? { firstAcknowledgedAt: now } : {};
      return { state: 'acknowledged', acknowledgedAt: now, acknowledgedBy: by.actor, ackUntil: untilMs ?? timeout, nextDueAt: null, ...first };
    });
  }

  /** Acknowledges for `minutes`, then re-triggers if the alerts still fire. */
  snooze(id: string, minutes: number, by: Actor): Incident {
    if (!Number.isFinite(minutes) || minutes <= 0) throw new VigilError('VIGIL_ERR_ALERT_INVALID', `snooze minutes must be a positive number, got ${minutes}`);
    const until = this.clock.now() + minutes * 60_000;
    this.acknowledge(id, by, until);
    this.note(id, by, 'snoozed', { minutes, until });
    return this.store.get(id)!;
  }

  unacknowledge(id: string, by: Actor): Incident {
    return this.change(id, by, 'unacknowledged', (incident, now) => {
      if (incident.state !== 'acknowledged') throw new VigilError('VIGIL_ERR_ALERT_INVALID', `incident ${id} is ${incident.state}, not acknowledged`);
      return this.resumePaging(incident, now);
    });
  }

  /** Hands the incident to `person`: paging restarts at them, then follows the policy from its first step. */
  reassign(id: string, person: string, by: Actor): Incident {
    return this.change(id, by, 'reassigned', (incident, now) => {
      this.mustBeOpen(incident);
      return { ...this.resumePaging(incident, now), assignee: person, position: -1 };
    }, { to: person });
  }

  setSeverity(id: string, severity: Severity, by: Actor): Incident {
    if (!SEVERITIES.includes(severity)) throw new VigilError('VIGIL_ERR_ALERT_INVALID', `severity "${severity}" is not one of ${SEVERITIES.join(', ')}`);
    const before = this.require(id).severity;
    return this.change(id, by, 'severity-changed', () => ({ severity }), { from: before, to: severity });
  }

  /** Resolving a resolved incident changes nothing. */
  resolve(id: string, by: Actor): Incident {
    const incident = this.require(id);
    if (incident.state === 'resolved') return incident;
    return this.change(id, by, 'resolved', (_, now) => ({ state: 'resolved', resolvedAt: now, resolvedBy: by.actor, nextDueAt: null, ackUntil: null }));
  }

  /**
   * Readies an open incident for "escalate now" (the engine then plans its
   * next step): an acknowledged one is triggered again at the step after the
   * one paged last, a new cycle so its pages are not taken for earlier ones.
   */
  prepareEscalation(id: string, by: Actor): Incident {
    const incident = this.require(id);
    if (incident.state === 'resolved') throw new VigilError('VIGIL_ERR_ALERT_INVALID', `incident ${id} is resolved; there is nobody left to page`);
    if (incident.state === 'triggered') return incident;
    const now = this.clock.now();
    this.store.update(id, { ...this.resumePaging(incident, now), position: incident.escalation.position });
    this.note(id, by, 're-triggered', { reason: 'escalated', acknowledgedBy: incident.acknowledgedBy });
    return this.store.get(id)!;
  }

  /** For a storm: acknowledges every triggered incident; returns their ids. */
  acknowledgeAll(by: Actor): string[] {
    return this.store.transaction(() => {
      const ids = this.store.list({ states: ['triggered'], limit: 10_000 }).map((incident) => incident.id);
      for (const id of ids) this.acknowledge(id, by);
      return ids;
    });
  }

  /** Re-triggers acknowledged incidents whose acknowledgement or snooze ran out while their alerts fire; returns their ids. */
  expireAcknowledgements(): string[] {
    const now = this.clock.now();
    return this.store.transaction(() => {
      const retriggered: string[] = [];
      for (const incident of this.store.acknowledgedUntil(now)) {
        if (!this.store.alerts(incident.id).some((alert) => alert.status === 'firing')) {
          this.store.update(incident.id, { ackUntil: null });
          continue;
        }
        this.change(incident.id, VIGIL, 're-triggered', () => this.resumePaging(incident, now), { acknowledgedUntil: incident.ackUntil });
        retriggered.push(incident.id);
      }
      return retriggered;
    });
  }

  private create(input: IncidentInput, now: number): Incident {
    const incident = this.store.insert({ groupKey: input.groupKey, policyId: input.policy, severity: input.severity, summary: input.summary, at: now });
    this.note(incident.id, VIGIL, 'triggered', { policy: input.policy, severity: input.severity, groupKey: input.groupKey });
    return incident;
  }

  /** Stores the alerts' statuses; returns the fingerprints that started firing. */
  private mergeAlerts(id: string, alerts: IncidentAlertInput[], now: number): string[] {
    const known = new Map(this.store.alerts(id).map((alert) => [alert.fingerprint, alert.status]));
    const started: string[] = [];
    for (const alert of alerts) {
      const before = known.get(alert.fingerprint);
      if (before === alert.status) continue;
      if (before === undefined && alert.status === 'resolved') continue;
      this.store.putAlert(id, { ...alert, updatedAt: now });
      this.note(id, VIGIL, alert.status === 'firing' ? 'alert-firing' : 'alert-resolved', { fingerprint: alert.fingerprint, labels: alert.labels });
      if (alert.status === 'firing') started.push(alert.fingerprint);
    }
    return started;
  }

  /** Counts one start of firing, then applies the flapping and low-noise rules. */
  private countFire(id: string, fingerprint: string, now: number): void {
    const incident = this.store.get(id)!;
    this.store.recordFire(fingerprint, now, incident.severity);
    this.raiseIfFlapping(incident, fingerprint, now);
    const snoozedUntil = this.store.alertSnoozedUntil(fingerprint, now) ?? this.snoozeIfNoisy(this.store.get(id)!, fingerprint, now);
    if (snoozedUntil === undefined || incident.state === 'resolved') return;
    this.acknowledge(id, VIGIL, snoozedUntil);
    this.note(id, VIGIL, 'auto-snoozed', { fingerprint, until: snoozedUntil });
  }

  private raiseIfFlapping(incident: Incident, fingerprint: string, now: number): void {
    const { enabled, fires, windowMs } = this.options.flapping;
    if (!enabled || incident.severity === 'critical') return;
    const count = this.store.countFires(fingerprint, now - windowMs, now);
    // Exactly at the threshold: further fires in the same window must not raise it again.
    if (count !== fires) return;
    const raised = SEVERITIES[SEVERITIES.indexOf(incident.severity) + 1];
    this.store.update(incident.id, { severity: raised });
    this.note(incident.id, VIGIL, 'severity-changed', { from: incident.severity, to: raised, fingerprint, fires: count, reason: 'flapping' });
  }

  /** The snooze end when a low alert is over its daily budget; the snooze is recorded for the digest. */
  private snoozeIfNoisy(incident: Incident, fingerprint: string, now: number): number | undefined {
    const { enabled, firesPerDay, timeZone } = this.options.lowNoise;
    if (!enabled || incident.severity !== 'low') return undefined;
    const count = this.store.countFires(fingerprint, now - DAY_MS, now);
    if (count <= firesPerDay) return undefined;
    const until = nextLocalMidnight(now, timeZone);
    this.store.snoozeAlert(fingerprint, now, until, count);
    return until;
  }

  /** Back to triggered, paging again from the step paged last (the first one if none was). */
  private resumePaging(incident: Incident, now: number): IncidentPatch {
    const { escalation } = incident;
    return {
      state: 'triggered',
      triggeredAt: now,
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackUntil: null,
      position: escalation.pagedPosition ?? escalation.position,
      cycle: escalation.cycle + 1,
      stepsThisCycle: 0,
      nextDueAt: now,
    };
  }

  private change(id: string, by: Actor, action: string, patch: (incident: Incident, now: number) => IncidentPatch, detail: Record<string, unknown> = {}): Incident {
    return this.store.transaction(() => {
      const incident = this.require(id);
      const now = this.clock.now();
      this.store.update(id, patch(incident, now));
      this.note(id, by, action, detail);
      return this.store.get(id)!;
    });
  }

  private note(id: string, by: Actor, action: string, detail: Record<string, unknown>): void {
    this.store.appendTimeline(id, { at: this.clock.now(), actor: by.actor, via: by.via, action, detail });
  }

  private require(id: string): Incident {
    const incident = this.store.get(id);
    if (!incident) throw new VigilError('VIGIL_ERR_NOT_FOUND', `incident "${id}" not found`);
    return incident;
  }

  private mustBeOpen(incident: Incident): void {
    if (incident.state === 'resolved') throw new VigilError('VIGIL_ERR_ALERT_INVALID', `incident ${incident.id} is already resolved`);
  }
}
