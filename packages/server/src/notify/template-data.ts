/**
 * What user templates see (Alertmanager's template.Data, field names as in
 * Go so `{{ .CommonLabels.alertname }}` ports unchanged) and the default
 * texts Vigil writes when a field has no template.
 */
import type { LabelSet, Notification, NotificationAlert } from '../dispatch/model.ts';

export interface TemplateAlert {
  Status: 'firing' | 'resolved';
  Labels: TemplateKV;
  Annotations: TemplateKV;
  StartsAt: Date;
  EndsAt: Date;
  GeneratorURL: string;
  Fingerprint: string;
}

/** An array with Alertmanager's `.Firing` and `.Resolved` methods. */
export type TemplateAlerts = TemplateAlert[] & { Firing(): TemplateAlerts; Resolved(): TemplateAlerts };

/** A label set with Alertmanager's KV methods (`.SortedPairs`, `.Names`, `.Values`, `.Remove`). */
export type TemplateKV = LabelSet & {
  SortedPairs(): TemplatePairs;
  Names(): string[];
  Values(): string[];
  Remove(names: string[]): TemplateKV;
};

export type TemplatePairs = { Name: string; Value: string }[] & { Names(): string[]; Values(): string[] };

export interface TemplateData {
  Receiver: string;
  Status: 'firing' | 'resolved';
  Alerts: TemplateAlerts;
  GroupLabels: TemplateKV;
  CommonLabels: TemplateKV;
  CommonAnnotations: TemplateKV;
  ExternalURL: string;
}

/** Methods are not enumerable, so `range` and `len` see only the labels. */
function hidden<T extends object>(target: T, methods: Record<string, (...args: never[]) => unknown>): T {
  for (const [name, fn] of Object.entries(methods)) Object.defineProperty(target, name, { value: fn });
  return target;
}

function templatePairs(labels: LabelSet): TemplatePairs {
  const pairs = Object.keys(labels)
    .sort()
    .map((Name) => ({ Name, Value: labels[Name] }));
  return hidden(pairs, { Names: () => pairs.map((p) => p.Name), Values: () => pairs.map((p) => p.Value) }) as TemplatePairs;
}

function templateKV(labels: LabelSet): TemplateKV {
  return hidden(
    { ...labels },
    {
      SortedPairs: () => templatePairs(labels),
      Names: () => templatePairs(labels).Names(),
      Values: () => templatePairs(labels).Values(),
      Remove: (names: string[]) => templateKV(Object.fromEntries(Object.entries(labels).filter(([k]) => !names.includes(k)))),
    },
  ) as TemplateKV;
}

function alertList(alerts: TemplateAlert[]): TemplateAlerts {
  return hidden([...alerts], {
    Firing: () => alertList(alerts.filter((a) => a.Status === 'firing')),
    Resolved: () => alertList(alerts.filter((a) => a.Status === 'resolved')),
  }) as TemplateAlerts;
}

function templateAlert(alert: NotificationAlert): TemplateAlert {
  return {
    Status: alert.status,
    Labels: templateKV(alert.labels),
    Annotations: templateKV(alert.annotations),
    StartsAt: new Date(alert.startsAt),
    EndsAt: new Date(alert.endsAt),
    GeneratorURL: alert.generatorURL,
    Fingerprint: alert.fingerprint,
  };
}

export function templateData(n: Notification): TemplateData {
  return {
    Receiver: n.receiver,
    Status: n.status,
    Alerts: alertList(n.alerts.map(templateAlert)),
    GroupLabels: templateKV(n.groupLabels),
    CommonLabels: templateKV(n.commonLabels),
    CommonAnnotations: templateKV(n.commonAnnotations),
    ExternalURL: n.externalURL,
  };
}

function sortedValues(labels: LabelSet): string[] {
  return Object.keys(labels)
    .sort()
    .map((name) => labels[name]);
}

function firingCount(n: Notification): number {
  return n.alerts.filter((a) => a.status === 'firing').length;
}

/** `[FIRING:2]` or `[RESOLVED]`, as Alertmanager's `__subject` starts. */
export function statusTag(n: Notification): string {
  return n.status === 'firing' ? `[FIRING:${firingCount(n)}]` : '[RESOLVED]';
}

/** Alertmanager's `__subject`: status, group label values, then the other common label values in brackets. */
export function defaultSubject(n: Notification): string {
  const extra = Object.fromEntries(Object.entries(n.commonLabels).filter(([name]) => !(name in n.groupLabels)));
  const extraText = Object.keys(extra).length > 0 ? ` (${sortedValues(extra).join(' ')})` : '';
  return `${statusTag(n)} ${sortedValues(n.groupLabels).join(' ')}${extraText}`.trim();
}

export function alertName(n: Notification): string {
  return n.groupLabels.alertname ?? n.commonLabels.alertname ?? n.alerts[0]?.labels.alertname ?? '';
}

export function labelPairs(labels: LabelSet): string[] {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`);
}

/** The Nth alert's one-line description: its summary, else its description, else its alert name. */
export function alertSummary(alert: NotificationAlert): string {
  return alert.annotations.summary ?? alert.annotations.description ?? alert.labels.alertname ?? '';
}

/** runbook_url and dashboard_url annotations of the alerts, each URL once. */
export function alertLinks(n: Notification): { text: string; url: string }[] {
  const links = new Map<string, string>();
  for (const alert of n.alerts) {
    if (alert.annotations.runbook_url) links.set(alert.annotations.runbook_url, 'Runbook');
    if (alert.annotations.dashboard_url) links.set(alert.annotations.dashboard_url, 'Dashboard');
  }
  return [...links].map(([url, text]) => ({ text, url }));
}

const SEVERITY_RANK = ['critical', 'high', 'error', 'warning', 'medium', 'low', 'info'];

/** The most severe `severity` label among the firing alerts (all alerts when none fire). */
export function groupSeverity(n: Notification): string | undefined {
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const severities = (firing.length > 0 ? firing : n.alerts).map((a) => a.labels.severity?.toLowerCase()).filter((s) => s !== undefined);
  const ranked = severities.filter((s) => SEVERITY_RANK.includes(s)).sort((a, b) => SEVERITY_RANK.indexOf(a) - SEVERITY_RANK.indexOf(b));
  return ranked[0] ?? severities[0];
}

/** Cuts text to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
