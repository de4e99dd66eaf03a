/** How the incident pages order and describe incidents, their timelines and pages; no React here. */
import type { Incident, IncidentPage, IncidentState, IncidentTimelineEntry } from '../../api/client.ts';
import { durationText, parseTime } from '../../components/time-text.ts';

const STATE_RANK: Record<IncidentState, number> = { triggered: 0, acknowledged: 1, resolved: 2 };

/** Triggered, then acknowledged, then resolved; newest first within each. */
export function sortIncidents(incidents: Incident[]): Incident[] {
  return [...incidents].sort(
    (a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || (parseTime(b.createdAt) ?? 0) - (parseTime(a.createdAt) ?? 0),
  );
}

/** "open 12m" while open, "lasted 1h 5m" once resolved. */
export function openForText(incident: Incident, nowMs: number): string {
  const created = parseTime(incident.createdAt) ?? nowMs;
  const resolved = parseTime(incident.resolvedAt);
  return resolved === undefined ? `open ${durationText(nowMs - created)}` : `lasted ${durationText(resolved - created)}`;
}

/** In the order things happened; entries at the same time keep the server's order. */
export function timelineInOrder(entries: IncidentTimelineEntry[]): IncidentTimelineEntry[] {
  return entries
    .map((entry, index) => ({ entry, index, at: parseTime(entry.at) ?? 0 }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map(({ entry }) => entry);
}

/** Pages in the order they were due, so the escalation reads top to bottom. */
export function pagesInOrder(pages: IncidentPage[]): IncidentPage[] {
  return [...pages].sort((a, b) => (parseTime(a.dueAt) ?? 0) - (parseTime(b.dueAt) ?? 0) || a.step - b.step);
}

/** The server counts steps from 0 and pages the assignee as step -1; people count from 1, as the record does. */
export function stepText(page: Pick<IncidentPage, 'step' | 'attempt' | 'reason'>): string {
  const step = page.step >= 0 ? `step ${page.step + 1}` : 'assignee';
  const why = page.reason === 'escalation' ? '' : `, ${page.reason}`;
  return `${step} (attempt ${page.attempt}${why})`;
}

/** A timeline entry's detail as `name: value` pairs; nested values as compact JSON. */
export function detailText(detail: Record<string, unknown> | undefined): string {
  return Object.entries(detail ?? {})
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([name, value]) => `${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

/** The actions a state allows, as button names; all but the first are open to any unresolved incident. */
export function allowedActions(state: IncidentState): ('acknowledge' | 'unacknowledge' | 'resolve' | 'escalate' | 'snooze' | 'reassign' | 'severity')[] {
  if (state === 'resolved') return [];
  const first = state === 'triggered' ? 'acknowledge' : 'unacknowledge';
  return [first, 'resolve', 'escalate', 'snooze', 'reassign', 'severity'];
}

/** Whole minutes from 1 to a week, from a text field; undefined otherwise. */
export function parseSnoozeMinutes(text: string): number | undefined {
  if (!/^\s*\d+\s*$/.test(text)) return undefined;
  const minutes = Number(text);
  return minutes >= 1 && minutes <= 7 * 24 * 60 ? minutes : undefined;
}
