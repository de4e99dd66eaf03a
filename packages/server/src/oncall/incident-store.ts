/**
 * Incidents, their alerts, timelines, pages and alert fire counts in SQLite
 * (tables prefixed `oncall_`). Everything the escalation engine needs to
 * continue after a restart lives here, nothing in memory: the next step and
 * its due time are columns of the incident, and each page is a row written
 * as `due` before it is sent and moved to `sent` after.
 */
import type Database from 'better-sqlite3';
import type { LabelSet } from '../dispatch/model.ts';
import type { Severity } from './escalation.ts';
import { COLUMNS, SCHEMA, toIncident, toPage, type Row } from './incident-rows.ts';

export type IncidentState = 'triggered' | 'acknowledged' | 'resolved';
/** Where a change came from; `auto` is Vigil itself. */
export type Via = 'api' | 'cli' | 'ui' | 'link' | 'sms' | 'auto';
export type AlertStatus = 'firing' | 'resolved';
/** `escalation`: a step of the policy; `overflow`: sent on instead of a person over the fatigue cap. */
export type PageReason = 'escalation' | 'overflow' | 'commander';
/** `capped`: not sent because the person hit the fatigue cap; `cancelled`: acknowledged before it went out. */
export type PageStatus = 'due' | 'sent' | 'failed' | 'capped' | 'cancelled';

export interface Incident {
  id: string;
  groupKey: string;
  policyId: string;
  severity: Severity;
  summary: string;
  state: IncidentState;
  createdAt: number;
  /** The last time it became triggered (opened, re-triggered, un-acknowledged, re-assigned). */
  triggeredAt: number;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  /** The first acknowledgement ever: what time-to-acknowledge measures. */
  firstAcknowledgedAt?: number;
  /** An acknowledged incident still firing re-triggers here (acknowledgement timeout or snooze end). */
  ackUntil?: number;
  resolvedAt?: number;
  resolvedBy?: string;
  assignee?: string;
  escalation: EscalationState;
}

export interface EscalationState {
  /** The position to page next: -1 the assignee, then the chain's steps across repeats, then the final step. */
  position: number;
  /** The position paged last, where paging resumes after a re-trigger. */
  pagedPosition?: number;
  /** Bumped whenever paging (re)starts; part of every page's dedup key. */
  cycle: number;
  /** Steps paged since paging last (re)started. */
  stepsThisCycle: number;
  /** When `position` is due; absent when nothing is left to page. */
  nextDueAt?: number;
}

export interface IncidentAlert {
  fingerprint: string;
  labels: LabelSet;
  status: AlertStatus;
  updatedAt: number;
}

export interface TimelineEntry {
  at: number;
  /** A person's id or name, or "vigil". */
  actor: string;
  /**
   * triggered, alert-firing, alert-resolved, acknowledged, snoozed, auto-snoozed,
   * unacknowledged, re-triggered, reassigned, severity-changed, resolved (incidents.ts);
   * step-paged, escalated, auto-escalated, paged, page-failed, commander-paged,
   * escalation-exhausted, policy-missing (escalation.ts).
   */
  action: string;
  via: Via;
  detail: Record<string, unknown>;
}

export interface PageRecord {
  /** Dedup key: the same page has the same key however often it is attempted. */
  key: string;
  incidentId: string;
  person: string;
  severity: Severity;
  step: number;
  attempt: number;
  reason: PageReason;
  status: PageStatus;
  dueAt: number;
  sentAt?: number;
  error?: string;
}

export type IncidentPatch = Partial<{
  severity: Severity;
  summary: string;
  state: IncidentState;
  triggeredAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  firstAcknowledgedAt: number;
  ackUntil: number | null;
  resolvedAt: number;
  resolvedBy: string;
  assignee: string;
  position: number;
  pagedPosition: number;
  cycle: number;
  stepsThisCycle: number;
  nextDueAt: number | null;
}>;

export interface IncidentFilter {
  states?: IncidentState[];
  /** At most 10,000; 1,000 by default. */
  limit?: number;
}

export interface NewIncident {
  groupKey: string;
  policyId: string;
  severity: Severity;
  summary: string;
  at: number;
}

export class IncidentStore {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {
    db.exec(SCHEMA);
  }

  /** Prepared once per SQL text: the engine runs the same few statements every tick. */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  insert(incident: NewIncident): Incident {
    const result = this.statement(
        `INSERT INTO oncall_incidents (group_key, policy_id, severity, summary, state, created_at, triggered_at, next_due_at)
         VALUES (?, ?, ?, ?, 'triggered', ?, ?, ?)`,
      )
      .run(incident.groupKey, incident.policyId, incident.severity, incident.summary, incident.at, incident.at, incident.at);
    return this.get(String(result.lastInsertRowid))!;
  }

  get(id: string): Incident | undefined {
    const row = this.statement('SELECT * FROM oncall_incidents WHERE id = ?').get(id) as Row | undefined;
    return row && toIncident(row);
  }

  openForGroup(groupKey: string): Incident | undefined {
    const row = this.statement("SELECT * FROM oncall_incidents WHERE group_key = ? AND state != 'resolved'").get(groupKey) as Row | undefined;
    return row && toIncident(row);
  }

  /** Open incidents first (triggered, then acknowledged), newest first within each. */
  list(filter: IncidentFilter = {}): Incident[] {
    const states = filter.states ?? ['triggered', 'acknowledged', 'resolved'];
    const rows = this.statement(
        `SELECT * FROM oncall_incidents WHERE state IN (SELECT value FROM json_each(?))
         ORDER BY CASE state WHEN 'triggered' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END, id DESC LIMIT ?`,
      )
      .all(JSON.stringify(states), Math.min(filter.limit ?? 1000, 10_000)) as Row[];
    return rows.map(toIncident);
  }

  /** Triggered incidents whose next step is due at `nowMs`. */
  due(nowMs: number): Incident[] {
    const rows = this.statement("SELECT * FROM oncall_incidents WHERE state = 'triggered' AND next_due_at <= ? ORDER BY next_due_at, id").all(nowMs) as Row[];
    return rows.map(toIncident);
  }

  /**
   * Triggered incidents still waiting after their first step although their
   * severity's limit since triggering has passed (a limit per severity, ms).
   */
  overdueOnFirstStep(nowMs: number, limits: Partial<Record<Severity, number>>): Incident[] {
    const rows = this.statement(
      `SELECT * FROM oncall_incidents WHERE state = 'triggered' AND steps_this_cycle = 1 AND next_due_at > ?
       AND triggered_at + (SELECT value FROM json_each(?) WHERE key = severity) <= ? ORDER BY id`,
    ).all(nowMs, JSON.stringify(limits), nowMs) as Row[];
    return rows.map(toIncident);
  }

  acknowledgedUntil(nowMs: number): Incident[] {
    const rows = this.statement("SELECT * FROM oncall_incidents WHERE state = 'acknowledged' AND ack_until <= ? ORDER BY id").all(nowMs) as Row[];
    return rows.map(toIncident);
  }

  openCriticalIds(): string[] {
    const rows = this.statement("SELECT id FROM oncall_incidents WHERE state != 'resolved' AND severity = 'critical' ORDER BY id").all() as Row[];
    return rows.map((row) => String(row.id));
  }

  createdBetween(fromMs: number, toMs: number): Incident[] {
    const rows = this.statement('SELECT * FROM oncall_incidents WHERE created_at >= ? AND created_at < ? ORDER BY id').all(fromMs, toMs) as Row[];
    return rows.map(toIncident);
  }

  update(id: string, patch: IncidentPatch): void {
    const fields = Object.keys(patch) as (keyof IncidentPatch)[];
    if (fields.length === 0) return;
    const assignments = fields.map((field) => `${COLUMNS[field]} = @${field}`).join(', ');
    this.statement(`UPDATE oncall_incidents SET ${assignments} WHERE id = @id`).run({ ...patch, id });
  }

  alerts(incidentId: string): IncidentAlert[] {
    const rows = this.statement('SELECT * FROM oncall_incident_alerts WHERE incident_id = ? ORDER BY fingerprint').all(incidentId) as Row[];
    return rows.map((row) => ({
      fingerprint: String(row.fingerprint),
      labels: JSON.parse(String(row.labels)) as LabelSet,
      status: row.status as AlertStatus,
      updatedAt: Number(row.updated_at),
    }));
  }

  putAlert(incidentId: string, alert: IncidentAlert): void {
    this.statement(
        `INSERT INTO oncall_incident_alerts (incident_id, fingerprint, labels, status, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (incident_id, fingerprint) DO UPDATE SET labels = excluded.labels, status = excluded.status, updated_at = excluded.updated_at`,
      )
      .run(incidentId, alert.fingerprint, JSON.stringify(alert.labels), alert.status, alert.updatedAt);
  }

  /** The labels an alert was last seen with, in any incident. */
  alertLabels(fingerprint: string): LabelSet | undefined {
    const row = this.statement('SELECT labels FROM oncall_incident_alerts WHERE fingerprint = ? ORDER BY updated_at DESC LIMIT 1').get(fingerprint) as Row | undefined;
    return row ? (JSON.parse(String(row.labels)) as LabelSet) : undefined;
  }

  appendTimeline(incidentId: string, entry: TimelineEntry): void {
    this.statement('INSERT INTO oncall_timeline (incident_id, at, actor, action, via, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(incidentId, entry.at, entry.actor, entry.action, entry.via, JSON.stringify(entry.detail));
  }

  timeline(incidentId: string): TimelineEntry[] {
    const rows = this.statement('SELECT * FROM oncall_timeline WHERE incident_id = ? ORDER BY id').all(incidentId) as Row[];
    return rows.map((row) => ({
      at: Number(row.at),
      actor: String(row.actor),
      action: String(row.action),
      via: row.via as Via,
      detail: JSON.parse(String(row.detail)) as Record<string, unknown>,
    }));
  }

  /** False when a page with this key was already recorded: recording is idempotent. */
  insertPage(page: Omit<PageRecord, 'sentAt' | 'error'>): boolean {
    const result = this.statement(
        `INSERT OR IGNORE INTO oncall_pages (key, incident_id, person, severity, step, attempt, reason, status, due_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(page.key, page.incidentId, page.person, page.severity, page.step, page.attempt, page.reason, page.status, page.dueAt);
    return result.changes > 0;
  }

  pendingPages(): PageRecord[] {
    const rows = this.statement("SELECT * FROM oncall_pages WHERE status = 'due' ORDER BY due_at, rowid").all() as Row[];
    return rows.map(toPage);
  }

  finishPage(key: string, status: PageStatus, atMs: number, error?: string): void {
    this.statement('UPDATE oncall_pages SET status = ?, sent_at = ?, error = ? WHERE key = ?').run(status, atMs, error ?? null, key);
  }

  /** Pages of `person` at `severity` due in [fromMs, toMs) that went out or are about to. */
  countPagesTo(person: string, severity: Severity, fromMs: number, toMs: number): number {
    const row = this.statement("SELECT count(*) AS n FROM oncall_pages WHERE person = ? AND severity = ? AND due_at >= ? AND due_at < ? AND status IN ('due', 'sent')")
      .get(person, severity, fromMs, toMs) as Row;
    return Number(row.n);
  }

  pagesBetween(fromMs: number, toMs: number): PageRecord[] {
    const rows = this.statement('SELECT * FROM oncall_pages WHERE due_at >= ? AND due_at < ? ORDER BY due_at').all(fromMs, toMs) as Row[];
    return rows.map(toPage);
  }

  pagesFor(incidentId: string): PageRecord[] {
    const rows = this.statement('SELECT * FROM oncall_pages WHERE incident_id = ? ORDER BY due_at, rowid').all(incidentId) as Row[];
    return rows.map(toPage);
  }

  recordFire(fingerprint: string, atMs: number, severity: Severity): void {
    this.statement('INSERT INTO oncall_alert_fires (fingerprint, at, severity) VALUES (?, ?, ?)').run(fingerprint, atMs, severity);
  }

  /** How often `fingerprint` started firing in (fromMs, toMs]. */
  countFires(fingerprint: string, fromMs: number, toMs: number): number {
    const row = this.statement('SELECT count(*) AS n FROM oncall_alert_fires WHERE fingerprint = ? AND at > ? AND at <= ?').get(fingerprint, fromMs, toMs) as Row;
    return Number(row.n);
  }

  deleteFiresBefore(ms: number): void {
    this.statement('DELETE FROM oncall_alert_fires WHERE at < ?').run(ms);
  }

  /** Fires per alert in [fromMs, toMs), most first. */
  fireCounts(fromMs: number, toMs: number, severity?: Severity): { fingerprint: string; fires: number }[] {
    const rows = this.statement(
        `SELECT fingerprint, count(*) AS n FROM oncall_alert_fires WHERE at >= ? AND at < ? AND (? IS NULL OR severity = ?)
         GROUP BY fingerprint ORDER BY n DESC, fingerprint`,
      )
      .all(fromMs, toMs, severity ?? null, severity ?? null) as Row[];
    return rows.map((row) => ({ fingerprint: String(row.fingerprint), fires: Number(row.n) }));
  }

  snoozeAlert(fingerprint: string, sinceMs: number, untilMs: number, fires: number): void {
    this.statement(
        `INSERT INTO oncall_alert_snoozes (fingerprint, since, until, fires) VALUES (?, ?, ?, ?)
         ON CONFLICT (fingerprint) DO UPDATE SET since = excluded.since, until = excluded.until, fires = excluded.fires`,
      )
      .run(fingerprint, sinceMs, untilMs, fires);
  }

  alertSnoozedUntil(fingerprint: string, nowMs: number): number | undefined {
    const row = this.statement('SELECT until FROM oncall_alert_snoozes WHERE fingerprint = ? AND until > ?').get(fingerprint, nowMs) as Row | undefined;
    return row ? Number(row.until) : undefined;
  }

  alertSnoozesBetween(fromMs: number, toMs: number): { fingerprint: string; since: number; until: number; fires: number }[] {
    const rows = this.statement('SELECT * FROM oncall_alert_snoozes WHERE since >= ? AND since < ? ORDER BY since').all(fromMs, toMs) as Row[];
    return rows.map((row) => ({ fingerprint: String(row.fingerprint), since: Number(row.since), until: Number(row.until), fires: Number(row.fires) }));
  }

  getState(key: string): string | undefined {
    const row = this.statement('SELECT value FROM oncall_state WHERE key = ?').get(key) as Row | undefined;
    return row ? String(row.value) : undefined;
  }

  setState(key: string, value: string | undefined): void {
    if (value === undefined) this.statement('DELETE FROM oncall_state WHERE key = ?').run(key);
    else this.statement('INSERT INTO oncall_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}
