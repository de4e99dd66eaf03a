/**
 * The incident record: a markdown document of what happened, built from the
 * incident's own timeline, its pages and the alert ledger (alert changes,
 * notifications and silences that concern the incident's alerts), with the
 * links a responder needs and an empty post-incident review to fill in.
 * The same inputs always give the same text: times are printed in UTC.
 */
import type { LedgerEntry } from '../alerting/ledger.ts';
import { compileMatchers, type Matcher } from '../dispatch/matchers.ts';
import type { LabelSet, SendResult } from '../dispatch/model.ts';
import type { Incident, IncidentAlert, PageRecord, TimelineEntry } from './incident-store.ts';
import { NOISE_ACTION, NOT_NOISE_ACTION } from './noise.ts';

export interface RecordInputs {
  alerts: IncidentAlert[];
  timeline: TimelineEntry[];
  pages: PageRecord[];
  /** Any ledger entries; those outside the incident's window or about other alerts are left out. */
  ledgerEntries: LedgerEntry[];
  /** Vigil's public URL, without a trailing slash. */
  externalURL: string;
  /** The group's annotations as last notified (runbook_url, dashboard_url): the incident store keeps labels only. */
  annotations?: LabelSet;
}

/** Ledger entries and logs are looked at from this long before the incident opened to this long after it ended. */
export const RECORD_MARGIN_MS = 5 * 60_000;

/** The time span the record covers: the ledger query and the logs link use it. */
export function recordWindow(incident: Incident, timeline: TimelineEntry[]): { fromMs: number; toMs: number } {
  const lastEvent = Math.max(incident.createdAt, ...timeline.map((entry) => entry.at));
  const end = incident.resolvedAt ?? lastEvent;
  return { fromMs: incident.createdAt - RECORD_MARGIN_MS, toMs: end + RECORD_MARGIN_MS };
}

export function incidentRecord(incident: Incident, inputs: RecordInputs): string {
  const window = recordWindow(incident, inputs.timeline);
  const ledger = relevantLedgerEntries(inputs.ledgerEntries, inputs.alerts, window);
  return [
    ...header(incident),
    '## Timeline',
    '',
    '| Time (UTC) | Event | By |',
    '| --- | --- | --- |',
    ...timelineRows(inputs.timeline, inputs.pages, ledger).map((row) => `| ${formatTime(row.at)} | ${cell(row.event)} | ${cell(row.by)} |`),
    '',
    '## Affected alerts',
    '',
    ...affectedAlerts(inputs.alerts),
    '',
    '## Links',
    '',
    ...links(inputs.alerts, inputs.annotations ?? {}, inputs.externalURL, window),
    '',
    ...review(),
  ].join('\n');
}

function header(incident: Incident): string[] {
  const lines = [
    `# Incident ${incident.id} [${incident.severity.toUpperCase()}]: ${oneLine(incident.summary)}`,
    '',
    `- **State:** ${incident.state}`,
    `- **Severity:** ${incident.severity}`,
    `- **Escalation policy:** ${incident.policyId}`,
    `- **Opened:** ${formatTime(incident.createdAt)}`,
  ];
  if (incident.firstAcknowledgedAt !== undefined) {
    lines.push(`- **First acknowledged:** ${formatTime(incident.firstAcknowledgedAt)} (after ${formatDuration(incident.firstAcknowledgedAt - incident.createdAt)})`);
  }
  if (incident.resolvedAt !== undefined) {
    const by = incident.resolvedBy ? ` by ${incident.resolvedBy}` : '';
    lines.push(`- **Resolved:** ${formatTime(incident.resolvedAt)}${by} (after ${formatDuration(incident.resolvedAt - incident.createdAt)})`);
  }
  return [...lines, ''];
}

// ---- which ledger entries concern the incident ---------------------------------

export function relevantLedgerEntries(entries: LedgerEntry[], alerts: IncidentAlert[], window: { fromMs: number; toMs: number }): LedgerEntry[] {
  const fingerprints = new Set(alerts.map((alert) => alert.fingerprint));
  const inWindow = entries.filter((entry) => entry.at >= window.fromMs && entry.at <= window.toMs);
  // The ledger answers newest first; a record reads oldest first.
  return inWindow.filter((entry) => concernsAlerts(entry, fingerprints, alerts)).sort((a, b) => a.at - b.at);
}

function concernsAlerts(entry: LedgerEntry, fingerprints: Set<string>, alerts: IncidentAlert[]): boolean {
  if (entry.kind === 'alert') return entry.fingerprint !== undefined && fingerprints.has(entry.fingerprint);
  const detail = asObject(entry.detail);
  if (entry.kind === 'notification') return asStrings(detail.fingerprints).some((fp) => fingerprints.has(fp));
  const matchers = silenceMatchers(detail.matchers);
  if (matchers.length === 0) return false;
  try {
    const matches = compileMatchers(matchers);
    return alerts.some((alert) => matches(alert.labels));
  } catch {
    // A silence whose regex Vigil refuses cannot have silenced these alerts.
    return false;
  }
}

function silenceMatchers(raw: unknown): Matcher[] {
  if (!Array.isArray(raw)) return [];
  return raw.map(asObject).map((m) => ({
    name: String(m.name ?? ''),
    value: String(m.value ?? ''),
    op: m.isEqual === false ? (m.isRegex === true ? '!~' : '!=') : m.isRegex === true ? '=~' : '=',
  }));
}

// ---- the timeline ---------------------------------------------------------------

interface Row {
  at: number;
  event: string;
  by: string;
}

/** Rows from the three sources, oldest first; at the same instant the ledger comes first, then the incident, then pages. */
function timelineRows(timeline: TimelineEntry[], pages: PageRecord[], ledger: LedgerEntry[]): Row[] {
  const rows: Row[] = [
    ...ledger.map(ledgerRow),
    // The page rows below say the same with the result, so the engine's own page notes are skipped.
    ...timeline.filter((entry) => entry.action !== 'paged' && entry.action !== 'page-failed').map(timelineRow),
    ...pages.map(pageRow),
  ];
  return rows.map((row, index) => ({ row, index })).sort((a, b) => a.row.at - b.row.at || a.index - b.index).map(({ row }) => row);
}

function ledgerRow(entry: LedgerEntry): Row {
  const detail = asObject(entry.detail);
  if (entry.kind === 'alert') return { at: entry.at, event: `Alert ${entry.action}: ${formatLabels(asLabels(detail.labels))}`, by: 'rules' };
  if (entry.kind === 'notification') {
    const results = Array.isArray(detail.results) ? (detail.results as SendResult[]).map(formatResult).join('; ') : '';
    return { at: entry.at, event: `Notification (${String(detail.status ?? 'firing')}) to ${entry.receiver ?? '?'}: ${entry.action}${results ? ` (${results})` : ''}`, by: 'vigil' };
  }
  const comment = detail.comment ? ` — ${String(detail.comment)}` : '';
  return { at: entry.at, event: `Silence ${String(detail.id ?? '')} ${entry.action}${comment}`, by: String(detail.createdBy ?? 'unknown') };
}

function formatResult(result: SendResult): string {
  const outcome = result.ok ? 'ok' : `failed${result.error ? `: ${result.error}` : ''}`;
  return `${result.integration} ${outcome}${result.fallbackReceiver ? ` via fallback ${result.fallbackReceiver}` : ''}`;
}

function pageRow(page: PageRecord): Row {
  const what = page.reason === 'commander' ? 'Incident commander paged' : page.reason === 'overflow' ? 'Paged (overflow)' : 'Paged';
  const step = page.step >= 0 ? ` (step ${page.step + 1}, attempt ${page.attempt})` : '';
  return { at: page.sentAt ?? page.dueAt, event: `${what} ${page.person}${step}: ${PAGE_OUTCOMES[page.status](page)}`, by: 'vigil' };
}

const PAGE_OUTCOMES: Record<PageRecord['status'], (page: PageRecord) => string> = {
  sent: () => 'sent',
  failed: (page) => `failed${page.error ? ` (${page.error})` : ''}`,
  capped: () => 'not sent, over the fatigue cap',
  cancelled: () => 'not sent, acknowledged first',
  due: () => 'not sent yet',
};

function timelineRow(entry: TimelineEntry): Row {
  const by = entry.via === 'auto' ? entry.actor : `${entry.actor} (${entry.via})`;
  return { at: entry.at, event: describe(entry), by };
}

/** One sentence per timeline action (the list is in incident-store.ts). */
function describe(entry: TimelineEntry): string {
  const d = entry.detail;
  switch (entry.action) {
    case 'triggered':
      return `Incident opened (policy ${String(d.policy)}, severity ${String(d.severity)})`;
    case 'alert-firing':
      return `Alert firing: ${formatLabels(asLabels(d.labels))}`;
    case 'alert-resolved':
      return `Alert resolved: ${formatLabels(asLabels(d.labels))}`;
    case 'acknowledged':
      return 'Acknowledged';
    case 'snoozed':
      return `Snoozed for ${String(d.minutes)} min`;
    case 'auto-snoozed':
      return `Snoozed until ${formatTime(Number(d.until))}: a noisy low-severity alert`;
    case 'unacknowledged':
      return 'Un-acknowledged: paging resumes';
    case 're-triggered':
      return d.reason === 'escalated' ? 'Re-triggered to escalate' : 'Re-triggered: still firing after the acknowledgement ran out';
    case 'reassigned':
      return `Re-assigned to ${String(d.to)}`;
    case 'severity-changed':
      return `Severity ${String(d.from)} → ${String(d.to)}${d.reason === 'flapping' ? ` (fired ${String(d.fires)} times)` : ''}`;
    case 'resolved':
      return 'Resolved';
    case 'step-paged':
      return `Escalation step ${stepNumber(d)}: ${asStrings(d.people).join(', ') || 'nobody on call'}${capped(d)}`;
    case 'escalated':
      return `Escalated to step ${stepNumber(d)}: ${asStrings(d.people).join(', ') || 'nobody on call'}${capped(d)}`;
    case 'auto-escalated':
      return `Auto-escalated: not acknowledged within ${formatDuration(Number(d.limitMs))}`;
    case 'commander-paged':
      return `Incident commander called in: ${asStrings(d.openCritical).length} critical incidents open`;
    case 'escalation-exhausted':
      return 'Last escalation step reached: no further pages unless re-triggered';
    case NOISE_ACTION:
      return 'Marked as noise (a false positive)';
    case NOT_NOISE_ACTION:
      return 'Noise mark taken back';
    case 'policy-missing':
      return `Escalation policy ${String(d.policy)} is not configured: nobody paged`;
    default:
      return `${entry.action} ${JSON.stringify(d)}`;
  }
}

function stepNumber(detail: Record<string, unknown>): string {
  const step = Number(detail.step);
  return `${step >= 0 ? step + 1 : 'assignee'} (attempt ${String(detail.attempt)})`;
}

function capped(detail: Record<string, unknown>): string {
  const people = asStrings(detail.capped);
  return people.length > 0 ? `; over the fatigue cap: ${people.join(', ')}` : '';
}

// ---- labels, links, review ----------------------------------------------------------

function affectedAlerts(alerts: IncidentAlert[]): string[] {
  if (alerts.length === 0) return ['No alerts recorded.'];
  return alerts.map((alert) => `- \`${formatLabels(alert.labels)}\` — ${alert.status} (fingerprint ${alert.fingerprint})`);
}

function links(alerts: IncidentAlert[], annotations: LabelSet, externalURL: string, window: { fromMs: number; toMs: number }): string[] {
  const service = commonValue(alerts, 'service');
  const lines = [
    annotations.runbook_url ? `- Runbook: ${annotations.runbook_url}` : '- Runbook: none given (add a `runbook_url` annotation to the rule)',
    annotations.dashboard_url ? `- Dashboard: ${annotations.dashboard_url}` : '- Dashboard: none given (add a `dashboard_url` annotation to the rule)',
  ];
  if (service === undefined) return [...lines, '- Logs: the alerts have no common `service` label'];
  const query = `{service=${JSON.stringify(service)}}`;
  const params = new URLSearchParams({ mode: 'logs', query, from: String(window.fromMs), to: String(window.toMs) });
  return [...lines, `- Logs: ${externalURL}/#/explore?${params.toString()}`];
}

function commonValue(alerts: IncidentAlert[], name: string): string | undefined {
  const values = new Set(alerts.map((alert) => alert.labels[name]));
  const [only] = values;
  return values.size === 1 && only !== undefined ? only : undefined;
}

function review(): string[] {
  const sections = ['What happened', 'Impact', 'Root cause', 'What went well', 'What to improve', 'Action items'];
  return ['## Post-incident review', '', ...sections.flatMap((name) => [`### ${name}`, '', '_To be written._', ''])];
}

// ---- formatting ---------------------------------------------------------------------

function formatTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : '?';
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)}s`;
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h${minutes % 60 > 0 ? ` ${minutes % 60}m` : ''}`;
}

function formatLabels(labels: LabelSet): string {
  return `{${Object.keys(labels).sort().map((name) => `${name}=${JSON.stringify(labels[name])}`).join(', ')}}`;
}

/** A table cell: pipes would end the cell, newlines the row. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function asLabels(value: unknown): LabelSet {
  return Object.fromEntries(Object.entries(asObject(value)).map(([name, v]) => [name, String(v)]));
}
