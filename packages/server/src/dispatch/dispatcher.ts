/**
 * Alertmanager's dispatcher: received alerts are merged into the store,
 * routed into aggregation groups, and each due group is flushed through
 * the same stages as Alertmanager's pipeline, in order: time mute/active,
 * inhibition, silences, dedup against the notification log, send.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { AggregationGroup, buildNotification } from './aggregation-group.ts';
import { AlertStore, isResolved, type StoredAlert } from './alert-store.ts';
import type { AlertmanagerConfig } from './config.ts';
import { Inhibitor } from './inhibit.ts';
import { fingerprint, type Alert, type LabelSet, type Notification, type NotifierPort, type SendResult } from './model.ts';
import { NotificationLog, needsUpdate } from './nflog.ts';
import { buildRouteTree, formatLabelSet, groupKey, groupLabels, matchRoutes, type RouteNode } from './route.ts';
import { isWithin, type TimeIntervalSpec } from './time-intervals.ts';
import { alertFilter, sortGroups, statusOf, toGettable, type AlertFilter, type AlertGroupView, type AlertStatus, type GettableAlert } from './views.ts';

/** How often due groups are looked for; group timings are rounded up to it. */
export const TICK_MS = 100;
const GC_EVERY_MS = 60_000;

export interface Silencer {
  /** Ids of the silences muting an alert with these labels at this time. */
  mutedBy(labels: LabelSet, atMs: number): string[];
}

export type DispatchEvent =
  | { kind: 'notification'; at: number; receiver: string; groupKey: string; status: 'firing' | 'resolved'; fingerprints: string[]; results: SendResult[] }
  | { kind: 'alert'; at: number; fingerprint: string; labels: LabelSet; change: 'received' | 'resolved' | 'silenced' | 'inhibited' };

export interface DispatcherOptions {
  config: AlertmanagerConfig;
  notifier: NotifierPort;
  clock: Clock;
  db: Database.Database;
  silences: Silencer;
  externalURL: string;
  onEvent?: (event: DispatchEvent) => void;
}

export interface RouteTestResult {
  receiver: string;
  groupBy: string[];
  groupKey: string;
  muted: boolean;
  /** The mute time interval, the active time intervals, or the silence that mutes it. */
  mutedBy?: string;
}

type Suppression = 'silenced' | 'inhibited' | 'active';

export class Dispatcher {
  // Set by reconfigure(), which the constructor calls.
  private cfg!: AlertmanagerConfig;
  private tree!: RouteNode;
  private inhibitor!: Inhibitor;
  private intervals!: Map<string, TimeIntervalSpec[]>;
  private groupsById = new Map<string, AggregationGroup>();
  private readonly store = new AlertStore();
  private readonly nflog: NotificationLog;
  private readonly inFlight = new Set<Promise<void>>();
  /** Last suppression seen per alert, so that events report changes only. */
  private readonly suppression = new Map<string, Suppression>();
  private readonly notedResolved = new Set<string>();
  private timer: { stop(): void } | undefined;
  private lastGcAt = 0;

  constructor(private readonly options: DispatcherOptions) {
    this.nflog = new NotificationLog(options.db);
    this.reconfigure(options.config);
  }

  start(): void {
    this.timer ??= this.options.clock.setInterval(() => void this.tick(), TICK_MS);
  }

  stop(): void {
    this.timer?.stop();
    this.timer = undefined;
  }

  put(alerts: Alert[]): void {
    const now = this.options.clock.now();
    for (const alert of alerts) {
      const fp = fingerprint(alert.labels);
      const before = this.store.get(fp);
      const stored = this.store.put(alert, now, this.resolveTimeout(), fp);
      this.noteArrival(before, stored, now);
      this.route(stored, now);
    }
  }

  /** Flushes every due group; resolves when the notifications it started are done. */
  async tick(): Promise<void> {
    const now = this.options.clock.now();
    this.collectGarbage(now);
    for (const group of this.groupsById.values()) {
      if (group.isDue(now)) this.track(this.flush(group, now));
    }
    await this.idle();
  }

  /** Resolves when no flush is in progress. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** New routes, inhibit rules and intervals; alerts are kept and regrouped. */
  reconfigure(config: AlertmanagerConfig): void {
    this.cfg = config;
    this.tree = buildRouteTree(config.route);
    this.inhibitor = new Inhibitor(config.inhibit_rules);
    this.intervals = intervalsByName(config);
    this.groupsById = new Map();
    const now = this.options.clock.now();
    for (const alert of this.store.all()) this.route(alert, now);
  }

  config(): AlertmanagerConfig {
    return this.cfg;
  }

  receivers(): { name: string }[] {
    return this.cfg.receivers.map((r) => ({ name: r.name }));
  }

  /** GET /api/v2/alerts: alerts not yet resolved, by fingerprint. */
  alerts(filter?: AlertFilter): GettableAlert[] {
    const now = this.options.clock.now();
    const keep = alertFilter(filter);
    const statusFor = this.statusAt(now);
    const out: GettableAlert[] = [];
    for (const alert of this.store.all()) {
      if (isResolved(alert, now)) continue;
      const receivers = this.receiversFor(alert.labels);
      const status = statusFor(alert);
      if (keep(alert.labels, receivers, status)) out.push(toGettable(alert, receivers, status));
    }
    return out.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  }

  /** GET /api/v2/alerts/groups: aggregation groups with their unresolved alerts that pass the filter. */
  groups(filter?: AlertFilter): AlertGroupView[] {
    const now = this.options.clock.now();
    const keep = alertFilter(filter);
    const statusFor = this.statusAt(now);
    const views: AlertGroupView[] = [];
    for (const group of this.groupsById.values()) {
      const receiver = group.route.receiver;
      const alerts = [...group.alerts.values()]
        .filter((a) => !isResolved(a, now))
        .map((a) => ({ alert: a, status: statusFor(a) }))
        .filter(({ alert, status }) => keep(alert.labels, [receiver], status))
        .map(({ alert, status }) => toGettable(alert, this.receiversFor(alert.labels), status));
      if (alerts.length > 0) views.push({ labels: { ...group.labels }, receiver: { name: receiver }, alerts });
    }
    return sortGroups(views);
  }

  /** Where an alert with these labels would be sent, and whether it would be muted at `atMs`. */
  routeTest(labels: LabelSet, atMs = this.options.clock.now()): RouteTestResult[] {
    const silencedBy = this.options.silences.mutedBy(labels, atMs);
    return matchRoutes(this.tree, labels).map((node) => {
      const mutedBy = this.timeMutedBy(node, atMs) ?? (silencedBy.length > 0 ? `silence ${silencedBy[0]}` : undefined);
      return {
        receiver: node.receiver,
        groupBy: node.groupByAll ? ['...'] : [...node.groupBy],
        groupKey: groupKey(node, groupLabels(node, labels)),
        muted: mutedBy !== undefined,
        ...(mutedBy !== undefined ? { mutedBy } : {}),
      };
    });
  }

  private resolveTimeout(): number {
    return this.cfg.global.resolve_timeout;
  }

  private route(alert: StoredAlert, now: number): void {
    for (const node of matchRoutes(this.tree, alert.labels)) {
      const labels = groupLabels(node, alert.labels);
      const id = `${node.id}\u0000${formatLabelSet(labels)}`;
      let group = this.groupsById.get(id);
      if (!group) {
        group = new AggregationGroup(node, labels, now);
        this.groupsById.set(id, group);
      }
      group.insert(alert, now);
    }
  }

  private receiversFor(labels: LabelSet): string[] {
    return [...new Set(matchRoutes(this.tree, labels).map((node) => node.receiver))];
  }

  private statusAt(now: number): (alert: StoredAlert) => AlertStatus {
    const inhibitedBy = this.inhibitor.at(this.store.all(), now);
    return (alert) => statusOf(this.options.silences.mutedBy(alert.labels, now), inhibitedBy(alert.labels));
  }

  private track(flush: Promise<void>): void {
    this.inFlight.add(flush);
    void flush.finally(() => this.inFlight.delete(flush));
  }

  private async flush(group: AggregationGroup, now: number): Promise<void> {
    const alerts = group.startFlush(now);
    let ok = true;
    try {
      if (this.timeMutedBy(group.route, now) !== undefined) return;
      const inhibitedBy = this.inhibitor.at(this.store.all(), now);
      const unmuted = alerts.filter((alert) => !this.mutes(alert, inhibitedBy, now));
      if (unmuted.length > 0) ok = await this.notifyIfNeeded(group, unmuted, now);
    } catch {
      ok = false;
    } finally {
      group.finishFlush(alerts, ok, this.options.clock.now());
      this.dropIfEmpty(group);
    }
  }

  /** Alertmanager's DedupStage, then the send; true when nothing needs retrying. */
  private async notifyIfNeeded(group: AggregationGroup, alerts: StoredAlert[], now: number): Promise<boolean> {
    const receiver = group.route.receiver;
    const firing = alerts.filter((a) => !isResolved(a, now)).map((a) => a.fingerprint);
    const resolved = alerts.filter((a) => isResolved(a, now)).map((a) => a.fingerprint);
    const entry = this.nflog.get(receiver, group.key, now);
    if (!needsUpdate(entry, new Set(firing), new Set(resolved), group.route.repeatInterval, now)) return true;
    const notification = buildNotification(group, alerts, this.options.externalURL, now);
    const results = await this.send(receiver, notification);
    const ok = results.every((r) => r.ok);
    const sentAt = this.options.clock.now();
    if (ok) this.nflog.log(receiver, group.key, firing, resolved, sentAt);
    const fingerprints = alerts.map((a) => a.fingerprint);
    this.emit({ kind: 'notification', at: sentAt, receiver, groupKey: group.key, status: notification.status, fingerprints, results });
    return ok;
  }

  private async send(receiver: string, notification: Notification): Promise<SendResult[]> {
    try {
      return await this.options.notifier.send(receiver, notification);
    } catch (err) {
      return [{ integration: receiver, ok: false, attempts: 1, error: err instanceof Error ? err.message : String(err) }];
    }
  }

  /** Inhibition, then silences, as Alertmanager's two MuteStages; reports changes as events. */
  private mutes(alert: StoredAlert, inhibitedBy: (labels: LabelSet) => string[], now: number): boolean {
    const inhibited = inhibitedBy(alert.labels).length > 0;
    const silenced = !inhibited && this.options.silences.mutedBy(alert.labels, now).length > 0;
    const state: Suppression = inhibited ? 'inhibited' : silenced ? 'silenced' : 'active';
    if (state !== 'active' && this.suppression.get(alert.fingerprint) !== state) {
      this.emit({ kind: 'alert', at: now, fingerprint: alert.fingerprint, labels: alert.labels, change: state });
    }
    this.suppression.set(alert.fingerprint, state);
    return state !== 'active';
  }

  /** The route's mute interval in effect, or its active intervals when none is in effect. */
  private timeMutedBy(node: RouteNode, atMs: number): string | undefined {
    const mute = node.muteTimeIntervals.find((name) => isWithin(this.intervals.get(name) ?? [], atMs));
    if (mute !== undefined) return mute;
    const active = node.activeTimeIntervals;
    if (active.length > 0 && !active.some((name) => isWithin(this.intervals.get(name) ?? [], atMs))) {
      return `outside active_time_intervals ${active.join(', ')}`;
    }
    return undefined;
  }

  private noteArrival(before: StoredAlert | undefined, stored: StoredAlert, now: number): void {
    const wasFiring = before !== undefined && !isResolved(before, now);
    const resolved = isResolved(stored, now);
    if (!wasFiring && !resolved) {
      this.notedResolved.delete(stored.fingerprint);
      this.emit({ kind: 'alert', at: now, fingerprint: stored.fingerprint, labels: stored.labels, change: 'received' });
    }
    // An alert first seen resolved was never reported firing: nothing to report.
    if (resolved && !before) this.notedResolved.add(stored.fingerprint);
    if (resolved) this.noteResolved(stored, now);
  }

  private noteResolved(alert: StoredAlert, now: number): void {
    if (this.notedResolved.has(alert.fingerprint)) return;
    this.notedResolved.add(alert.fingerprint);
    this.emit({ kind: 'alert', at: now, fingerprint: alert.fingerprint, labels: alert.labels, change: 'resolved' });
  }

  /** Reports alerts resolved by time passing, and drops long-resolved alerts and expired log entries. */
  private collectGarbage(now: number): void {
    for (const alert of this.store.all()) if (isResolved(alert, now)) this.noteResolved(alert, now);
    if (now - this.lastGcAt < GC_EVERY_MS) return;
    this.lastGcAt = now;
    for (const fp of this.store.collectGarbage(now)) {
      this.notedResolved.delete(fp);
      this.suppression.delete(fp);
    }
    this.nflog.collectGarbage(now);
  }

  private dropIfEmpty(group: AggregationGroup): void {
    if (!group.empty) return;
    for (const [id, candidate] of this.groupsById) if (candidate === group) this.groupsById.delete(id);
  }

  private emit(event: DispatchEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A failing ledger must not stop notifications.
    }
  }
}

function intervalsByName(config: AlertmanagerConfig): Map<string, TimeIntervalSpec[]> {
  return new Map(config.time_intervals.map((t) => [t.name, t.time_intervals]));
}
