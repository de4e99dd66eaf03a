/**
 * Fatigue control: a cap on critical pages per person, the next local
 * midnight that noisy low alerts are snoozed until, and the figures the
 * daily digest reports, computed from the incident store for a window.
 */
import type { LabelSet } from '../dispatch/model.ts';
import type { Severity } from './escalation.ts';
import type { IncidentStore, PageReason } from './incident-store.ts';
import { DAY_MS, fromWall, startOfDay, toWall } from '../local-time.ts';

export interface FatigueOptions {
  enabled: boolean;
  /** Critical pages one person gets per `windowMs`; more go to the next step's people. */
  criticalPagesPerWindow: number;
  windowMs: number;
}

export const DEFAULT_FATIGUE_OPTIONS: Readonly<FatigueOptions> = Object.freeze({ enabled: true, criticalPagesPerWindow: 3, windowMs: 3_600_000 });

export interface PlannedPage {
  person: string;
  reason: PageReason;
  /** `capped`: recorded for the digest, not sent. */
  status: 'due' | 'capped';
}

/**
 * The pages of one step: people over the cap are recorded as capped and the
 * next step's people (from `overflow`, asked only when needed) paged in their place.
 */
export function applyPageCap(store: IncidentStore, severity: Severity, people: string[], overflow: () => string[], nowMs: number, options: FatigueOptions): PlannedPage[] {
  const overCap = (person: string) =>
    options.enabled && severity === 'critical' && store.countPagesTo(person, 'critical', nowMs - options.windowMs, nowMs + 1) >= options.criticalPagesPerWindow;
  const pages: PlannedPage[] = people.map((person) => ({ person, reason: 'escalation', status: overCap(person) ? 'capped' : 'due' }));
  if (!pages.some((page) => page.status === 'capped')) return pages;
  const taken = new Set(people);
  for (const person of overflow()) {
    if (taken.has(person) || overCap(person)) continue;
    taken.add(person);
    pages.push({ person, reason: 'overflow', status: 'due' });
  }
  return pages;
}

/** The first instant of the next local day in `zone`. */
export function nextLocalMidnight(nowMs: number, zone: string): number {
  return fromWall(startOfDay(toWall(nowMs, zone)) + DAY_MS, zone);
}

export interface PersonPages {
  person: string;
  sent: number;
  bySeverity: Partial<Record<Severity, number>>;
  failed: number;
  /** Not sent because of the fatigue cap. */
  capped: number;
}

export interface AlertFires {
  fingerprint: string;
  labels: LabelSet;
  fires: number;
}

export interface Digest {
  fromMs: number;
  toMs: number;
  incidents: { opened: number; acknowledged: number; resolved: number };
  /** Mean time from opening to the first acknowledgement, over incidents opened in the window; absent when none was acknowledged. */
  mttaMs?: number;
  /** Mean time from opening to resolution, over incidents opened in the window. */
  mttrMs?: number;
  pagesPerPerson: PersonPages[];
  noisiestAlerts: AlertFires[];
  /** Low-severity alerts that fired in the window, with the snooze end of those that went over the daily budget. */
  lowAlerts: (AlertFires & { snoozedUntil?: number })[];
}

/** The digest's figures for incidents, pages and fires in [fromMs, toMs). */
export function digest(store: IncidentStore, fromMs: number, toMs: number, top = 10): Digest {
  const incidents = store.createdBetween(fromMs, toMs);
  const acknowledged = incidents.flatMap((incident) => (incident.firstAcknowledgedAt === undefined ? [] : [incident.firstAcknowledgedAt - incident.createdAt]));
  const resolved = incidents.flatMap((incident) => (incident.resolvedAt === undefined ? [] : [incident.resolvedAt - incident.createdAt]));
  const mttaMs = mean(acknowledged);
  const mttrMs = mean(resolved);
  return {
    fromMs,
    toMs,
    incidents: { opened: incidents.length, acknowledged: acknowledged.length, resolved: resolved.length },
    ...(mttaMs === undefined ? {} : { mttaMs }),
    ...(mttrMs === undefined ? {} : { mttrMs }),
    pagesPerPerson: pagesPerPerson(store, fromMs, toMs),
    noisiestAlerts: store.fireCounts(fromMs, toMs).slice(0, top).map((count) => withLabels(store, count)),
    lowAlerts: lowAlerts(store, fromMs, toMs),
  };
}

function pagesPerPerson(store: IncidentStore, fromMs: number, toMs: number): PersonPages[] {
  const byPerson = new Map<string, PersonPages>();
  for (const page of store.pagesBetween(fromMs, toMs)) {
    let entry = byPerson.get(page.person);
    if (!entry) byPerson.set(page.person, (entry = { person: page.person, sent: 0, bySeverity: {}, failed: 0, capped: 0 }));
    if (page.status === 'sent') {
      entry.sent++;
      entry.bySeverity[page.severity] = (entry.bySeverity[page.severity] ?? 0) + 1;
    }
    if (page.status === 'failed') entry.failed++;
    if (page.status === 'capped') entry.capped++;
  }
  return [...byPerson.values()].sort((a, b) => b.sent - a.sent || a.person.localeCompare(b.person));
}

function lowAlerts(store: IncidentStore, fromMs: number, toMs: number): Digest['lowAlerts'] {
  const snoozes = new Map(store.alertSnoozesBetween(fromMs, toMs).map((snooze) => [snooze.fingerprint, snooze.until]));
  return store.fireCounts(fromMs, toMs, 'low').map((count) => {
    const until = snoozes.get(count.fingerprint);
    return { ...withLabels(store, count), ...(until === undefined ? {} : { snoozedUntil: until }) };
  });
}

function withLabels(store: IncidentStore, count: { fingerprint: string; fires: number }): AlertFires {
  return { fingerprint: count.fingerprint, labels: store.alertLabels(count.fingerprint) ?? {}, fires: count.fires };
}

function mean(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}
