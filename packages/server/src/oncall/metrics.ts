/**
 * On-call metrics. Pages and incident changes are counted by hooks the
 * service calls as they happen; escalations and noise marks are written by
 * the engine and people straight into the incident timeline, so they are
 * counted from it at scrape time (rows added since the last scrape), and the
 * open incidents are counted in the store at scrape time.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Page } from './escalation.ts';
import type { Incident, IncidentStore } from './incident-store.ts';
import { NOISE_ACTION } from './noise.ts';

/** From a minute to a day: acknowledgements take minutes, resolutions can take hours. */
export const ONCALL_DURATION_BUCKETS = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];

/** Timeline action → the `reason` of vigil_oncall_escalations_total. */
const ESCALATION_REASONS: Record<string, string> = {
  escalated: 'not_acknowledged',
  'auto-escalated': 'acknowledge_deadline',
  'commander-paged': 'critical_storm',
};

export interface OncallMetrics {
  /** Call after every change to an incident, with the incident before (undefined when just opened) and after. */
  observeIncidentChange(before: Incident | undefined, after: Incident): void;
  /** Call with every page handed to the pager and its result; delivered pages are counted. */
  observePage(page: Pick<Page, 'person' | 'severity'>, result: { ok: boolean }): void;
}

interface TimelineRow {
  id: number;
  action: string;
  policy: string;
  detail: string;
}

export function oncallMetrics(registry: Registry, store: IncidentStore): OncallMetrics {
  const timeline = timelineReader(store);
  const escalations = new Counter({
    name: 'vigil_oncall_escalations_total',
    help: 'Escalations: the next step paged because nobody acknowledged, the acknowledge deadline passed, a person asked (requested), or the incident commander was called in a storm.',
    labelNames: ['policy', 'reason'] as const,
    registers: [registry],
    collect: () => timeline.catchUp(),
  });
  const noise = new Counter({
    name: 'vigil_oncall_incidents_noise_total',
    help: 'Incidents marked as noise (false positives); divide by vigil_oncall_incidents_total for the false-positive rate.',
    registers: [registry],
    collect: () => timeline.catchUp(),
  });
  timeline.onRow((row) => {
    if (row.action === NOISE_ACTION) noise.inc();
    else if (row.action === 'step-paged' || row.action === 'escalated') countOverflow(row);
    const reason = isRequested(row) ? 'requested' : ESCALATION_REASONS[row.action];
    if (reason) escalations.inc({ policy: row.policy, reason });
  });
  /** "Escalate now" from a person, not the engine's own escalation. */
  function isRequested(row: TimelineRow): boolean {
    return row.action === 'escalated' && (JSON.parse(row.detail) as { requested?: unknown }).requested === true;
  }
  /** People over the fatigue cap: their page went on to the next step's people. */
  function countOverflow(row: TimelineRow): void {
    const capped = (JSON.parse(row.detail) as { capped?: unknown[] }).capped ?? [];
    if (capped.length > 0) escalations.inc({ policy: row.policy, reason: 'fatigue_cap' });
  }

  const pages = new Counter({ name: 'vigil_oncall_pages_total', help: 'Pages delivered, by person and severity.', labelNames: ['person', 'severity'] as const, registers: [registry] });
  const opened = new Counter({ name: 'vigil_oncall_incidents_total', help: 'Incidents opened, by severity at opening.', labelNames: ['severity'] as const, registers: [registry] });
  const durationHistogram = (name: string, help: string) =>
    new Histogram({ name, help, labelNames: ['severity', 'policy'] as const, buckets: ONCALL_DURATION_BUCKETS, registers: [registry] });
  const timeToAcknowledge = durationHistogram('vigil_oncall_time_to_acknowledge_seconds', 'From an incident opening to its first acknowledgement by a person.');
  const timeToResolve = durationHistogram('vigil_oncall_time_to_resolve_seconds', 'From an incident opening to its resolution.');
  new Gauge({
    name: 'vigil_oncall_incidents_open',
    help: 'Incidents triggered or acknowledged, by severity.',
    labelNames: ['severity'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [severity, count] of openBySeverity(store)) this.set({ severity }, count);
    },
  });

  return {
    observeIncidentChange(before, after) {
      const labels = { severity: after.severity, policy: after.policyId };
      if (before === undefined) opened.inc({ severity: after.severity });
      if (before?.firstAcknowledgedAt === undefined && after.firstAcknowledgedAt !== undefined) {
        timeToAcknowledge.observe(labels, (after.firstAcknowledgedAt - after.createdAt) / 1000);
      }
      if (before?.state !== 'resolved' && after.state === 'resolved' && after.resolvedAt !== undefined) {
        timeToResolve.observe(labels, (after.resolvedAt - after.createdAt) / 1000);
      }
    },
    observePage(page, result) {
      if (result.ok) pages.inc({ person: page.person, severity: page.severity });
    },
  };
}

function openBySeverity(store: IncidentStore): [string, number][] {
  const rows = store.db.prepare("SELECT severity, count(*) AS n FROM oncall_incidents WHERE state != 'resolved' GROUP BY severity").all() as { severity: string; n: number }[];
  const counts = new Map<string, number>([['critical', 0], ['high', 0], ['medium', 0], ['low', 0]]);
  for (const row of rows) counts.set(row.severity, row.n);
  return [...counts];
}

/** Reads timeline rows added since the last read; what came before the metrics existed is not counted again after a restart. */
function timelineReader(store: IncidentStore) {
  const actions = JSON.stringify([...Object.keys(ESCALATION_REASONS), 'step-paged', NOISE_ACTION]);
  const newRows = store.db.prepare(
    `SELECT t.id, t.action, i.policy_id AS policy, t.detail FROM oncall_timeline t JOIN oncall_incidents i ON i.id = t.incident_id
     WHERE t.id > ? AND t.action IN (SELECT value FROM json_each(?)) ORDER BY t.id`,
  );
  const lastRow = store.db.prepare('SELECT coalesce(max(id), 0) AS id FROM oncall_timeline');
  const head = () => (lastRow.get() as { id: number }).id;
  let lastId = head();
  let handle: (row: TimelineRow) => void = () => {};
  return {
    onRow(fn: (row: TimelineRow) => void) {
      handle = fn;
    },
    catchUp() {
      // Rows of other actions are skipped too: better-sqlite3 is synchronous, so nothing is written between the two reads.
      const upTo = head();
      for (const row of newRows.all(lastId, actions) as TimelineRow[]) handle(row);
      lastId = upTo;
    },
  };
}
