/**
 * One aggregation group: the alerts of one route that share the route's
 * group_by labels, and when they are next flushed. First flush after
 * group_wait (at once if the alert is older than that), then every
 * group_interval; the notification log decides whether a flush sends.
 */
import { isResolved, type StoredAlert } from './alert-store.ts';
import type { LabelSet, Notification, NotificationAlert } from './model.ts';
import { groupKey, type RouteNode } from './route.ts';

/** Go's zero time, which Alertmanager sends as endsAt of a firing alert with no end. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export class AggregationGroup {
  readonly key: string;
  readonly alerts = new Map<string, StoredAlert>();
  nextFlushAt: number;
  hasFlushed = false;
  flushing = false;

  constructor(
    readonly route: RouteNode,
    readonly labels: LabelSet,
    nowMs: number,
  ) {
    this.key = groupKey(route, labels);
    this.nextFlushAt = nowMs + route.groupWait;
  }

  insert(alert: StoredAlert, nowMs: number): void {
    this.alerts.set(alert.fingerprint, alert);
    // An alert already older than group_wait has waited long enough.
    if (!this.hasFlushed && alert.startsAt + this.route.groupWait < nowMs) this.nextFlushAt = Math.min(this.nextFlushAt, nowMs);
  }

  isDue(nowMs: number): boolean {
    return !this.flushing && this.alerts.size > 0 && this.nextFlushAt <= nowMs;
  }

  /** Called as a flush starts, like Alertmanager resetting its timer to group_interval. */
  startFlush(nowMs: number): StoredAlert[] {
    this.flushing = true;
    this.hasFlushed = true;
    this.nextFlushAt += this.route.groupInterval;
    if (this.nextFlushAt <= nowMs) this.nextFlushAt = nowMs + this.route.groupInterval;
    return sortAlerts([...this.alerts.values()]);
  }

  /** After a successful flush: resolved alerts that were in it and have not been re-sent since are done. */
  finishFlush(flushed: StoredAlert[], ok: boolean, nowMs: number): void {
    this.flushing = false;
    if (!ok) return;
    for (const alert of flushed) {
      if (isResolved(alert, nowMs) && this.alerts.get(alert.fingerprint) === alert) this.alerts.delete(alert.fingerprint);
    }
  }

  get empty(): boolean {
    return this.alerts.size === 0;
  }
}

/** Alertmanager's AlertSlice order: by job, then instance (present before absent), then the whole label set. */
export function sortAlerts<T extends { labels: LabelSet }>(alerts: T[]): T[] {
  return alerts.sort((a, b) => compareAlertLabels(a.labels, b.labels));
}

function compareAlertLabels(a: LabelSet, b: LabelSet): number {
  for (const key of ['job', 'instance']) {
    const av = a[key];
    const bv = b[key];
    if (av === undefined && bv === undefined) continue;
    if (av === undefined) return 1;
    if (bv === undefined) return -1;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return labelSetBefore(a, b) ? -1 : labelSetBefore(b, a) ? 1 : 0;
}

/** Prometheus' LabelSet.Before: fewer labels first, then by sorted names and values. */
function labelSetBefore(a: LabelSet, b: LabelSet): boolean {
  const an = Object.keys(a).length;
  const bn = Object.keys(b).length;
  if (an !== bn) return an < bn;
  for (const name of [...Object.keys(a), ...Object.keys(b)].sort()) {
    if (!(name in a)) return true;
    if (!(name in b)) return false;
    if (a[name] !== b[name]) return a[name] < b[name];
  }
  return false;
}

export function toNotificationAlert(alert: StoredAlert, nowMs: number): NotificationAlert {
  const resolved = isResolved(alert, nowMs);
  return {
    status: resolved ? 'resolved' : 'firing',
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: new Date(alert.startsAt).toISOString(),
    // As types.Alerts: an end not reached yet is not exposed.
    endsAt: resolved ? new Date(alert.endsAt).toISOString() : ZERO_TIME,
    generatorURL: alert.generatorURL,
    fingerprint: alert.fingerprint,
  };
}

export function buildNotification(group: AggregationGroup, alerts: StoredAlert[], externalURL: string, nowMs: number): Notification {
  const items = alerts.map((a) => toNotificationAlert(a, nowMs));
  return {
    receiver: group.route.receiver,
    status: items.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: items,
    groupLabels: { ...group.labels },
    commonLabels: common(items.map((a) => a.labels)),
    commonAnnotations: common(items.map((a) => a.annotations)),
    externalURL,
    groupKey: group.key,
    truncatedAlerts: 0,
  };
}

/** The pairs every set has with the same value. */
function common(sets: LabelSet[]): LabelSet {
  if (sets.length === 0) return {};
  const out: LabelSet = { ...sets[0] };
  for (const set of sets.slice(1)) {
    for (const name of Object.keys(out)) if (set[name] !== out[name]) delete out[name];
  }
  return out;
}
