/** The `oncall_` tables and the mapping between their rows and the store's objects. */
import type { Severity } from './escalation.ts';
import type { Incident, IncidentPatch, IncidentState, PageReason, PageRecord, PageStatus } from './incident-store.ts';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS oncall_incidents (
  id                     INTEGER PRIMARY KEY AUTOINCREMENT,
  group_key              TEXT NOT NULL,
  policy_id              TEXT NOT NULL,
  severity               TEXT NOT NULL,
  summary                TEXT NOT NULL,
  state                  TEXT NOT NULL,
  created_at             INTEGER NOT NULL,
  triggered_at           INTEGER NOT NULL,
  acknowledged_at        INTEGER,
  acknowledged_by        TEXT,
  first_acknowledged_at  INTEGER,
  ack_until              INTEGER,
  resolved_at            INTEGER,
  resolved_by            TEXT,
  assignee               TEXT,
  position               INTEGER NOT NULL DEFAULT 0,
  paged_position         INTEGER,
  cycle                  INTEGER NOT NULL DEFAULT 1,
  steps_this_cycle       INTEGER NOT NULL DEFAULT 0,
  next_due_at            INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS oncall_incidents_open_group ON oncall_incidents (group_key) WHERE state != 'resolved';
CREATE INDEX IF NOT EXISTS oncall_incidents_due ON oncall_incidents (state, next_due_at);
CREATE INDEX IF NOT EXISTS oncall_incidents_created ON oncall_incidents (created_at);
CREATE TABLE IF NOT EXISTS oncall_incident_alerts (
  incident_id INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  labels      TEXT NOT NULL,
  status      TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (incident_id, fingerprint)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS oncall_incident_alerts_fp ON oncall_incident_alerts (fingerprint);
CREATE TABLE IF NOT EXISTS oncall_timeline (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  via         TEXT NOT NULL,
  detail      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS oncall_timeline_incident ON oncall_timeline (incident_id, id);
CREATE TABLE IF NOT EXISTS oncall_pages (
  key         TEXT PRIMARY KEY,
  incident_id INTEGER NOT NULL,
  person      TEXT NOT NULL,
  severity    TEXT NOT NULL,
  step        INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  status      TEXT NOT NULL,
  due_at      INTEGER NOT NULL,
  sent_at     INTEGER,
  error       TEXT
);
CREATE INDEX IF NOT EXISTS oncall_pages_status ON oncall_pages (status, due_at);
CREATE INDEX IF NOT EXISTS oncall_pages_person ON oncall_pages (person, due_at);
CREATE TABLE IF NOT EXISTS oncall_alert_fires (
  fingerprint TEXT NOT NULL,
  at          INTEGER NOT NULL,
  severity    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS oncall_alert_fires_fp ON oncall_alert_fires (fingerprint, at);
CREATE INDEX IF NOT EXISTS oncall_alert_fires_at ON oncall_alert_fires (at);
CREATE TABLE IF NOT EXISTS oncall_alert_snoozes (
  fingerprint TEXT PRIMARY KEY,
  since       INTEGER NOT NULL,
  until       INTEGER NOT NULL,
  fires       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS oncall_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Patch field → column; the only names ever spliced into SQL. */
export const COLUMNS: Record<keyof IncidentPatch, string> = {
  severity: 'severity',
  summary: 'summary',
  state: 'state',
  triggeredAt: 'triggered_at',
  acknowledgedAt: 'acknowledged_at',
  acknowledgedBy: 'acknowledged_by',
  firstAcknowledgedAt: 'first_acknowledged_at',
  ackUntil: 'ack_until',
  resolvedAt: 'resolved_at',
  resolvedBy: 'resolved_by',
  assignee: 'assignee',
  position: 'position',
  pagedPosition: 'paged_position',
  cycle: 'cycle',
  stepsThisCycle: 'steps_this_cycle',
  nextDueAt: 'next_due_at',
};


export type Row = Record<string, string | number | null>;

export function toIncident(row: Row): Incident {
  const optional = (column: string) => (row[column] === null ? undefined : row[column]);
  return {
    id: String(row.id),
    groupKey: String(row.group_key),
    policyId: String(row.policy_id),
    severity: row.severity as Severity,
    summary: String(row.summary),
    state: row.state as IncidentState,
    createdAt: Number(row.created_at),
    triggeredAt: Number(row.triggered_at),
    acknowledgedAt: optional('acknowledged_at') as number | undefined,
    acknowledgedBy: optional('acknowledged_by') as string | undefined,
    firstAcknowledgedAt: optional('first_acknowledged_at') as number | undefined,
    ackUntil: optional('ack_until') as number | undefined,
    resolvedAt: optional('resolved_at') as number | undefined,
    resolvedBy: optional('resolved_by') as string | undefined,
    assignee: optional('assignee') as string | undefined,
    escalation: {
      position: Number(row.position),
      pagedPosition: optional('paged_position') as number | undefined,
      cycle: Number(row.cycle),
      stepsThisCycle: Number(row.steps_this_cycle),
      nextDueAt: optional('next_due_at') as number | undefined,
    },
  };
}

export function toPage(row: Row): PageRecord {
  return {
    key: String(row.key),
    incidentId: String(row.incident_id),
    person: String(row.person),
    severity: row.severity as Severity,
    step: Number(row.step),
    attempt: Number(row.attempt),
    reason: row.reason as PageReason,
    status: row.status as PageStatus,
    dueAt: Number(row.due_at),
    ...(row.sent_at === null ? {} : { sentAt: Number(row.sent_at) }),
    ...(row.error === null ? {} : { error: String(row.error) }),
  };
}
