/**
 * A fast runner for the pack's promtool-format tests on Vigil's own
 * engines. The server's rule test runner (rules/unit-test) evaluates every
 * group at every interval from 0, as promtool does, which takes seconds
 * for the day-long HttpNoTraffic test; this one evaluates only at the
 * tested times and the `for` window before them, which gives the same
 * answer for rules that do not depend on each other (the pack has no
 * recording rules). An alert fires at an evaluation when its expression
 * returned the series at every evaluation (multiples of the interval) from
 * `for` earlier until then.
 */
import { parseDurationMs } from '../packages/server/src/config/duration.ts';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Alert {
  labels: Record<string, string>;
  /** Left out when the runner cannot render the rule's templates (promtool checks those). */
  annotations?: Record<string, string>;
}

export function durationMs(text: string | undefined, what: string): number {
  if (text === undefined) return 0;
  const ms = parseDurationMs(String(text));
  if (ms === undefined) throw new Error(`${what}: "${text}" is not a duration`);
  return ms;
}

export function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function firingSamples(evaluate: (ms: number) => Sample[], evalMs: number, forMs: number, intervalMs: number): Sample[] {
  let firing = evaluate(evalMs);
  for (let t = evalMs - intervalMs; t >= evalMs - forMs; t -= intervalMs) {
    const present = new Set(evaluate(t).map((s) => labelsKey(s.labels)));
    firing = firing.filter((s) => present.has(labelsKey(s.labels)));
  }
  return firing;
}

export function toAlert(rule: AlertRule, sample: Sample, externalURL: string | undefined): Alert {
  const labels = { ...sample.labels, ...rule.labels, alertname: rule.alert };
  if (externalURL === undefined) return { labels };
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations ?? {}).map(([name, text]) => [name, render(text, sample, externalURL)]),
  );
  return { labels, annotations };
}

/** The few template forms the log rules use; anything else fails rather than being compared wrongly. */
function render(text: string, sample: Sample, externalURL: string): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (action: string, body: string) => {
    const label = /^\$labels\.(\w+)$/.exec(body);
    if (label) return sample.labels[label[1]] ?? '';
    if (body === '$externalURL') return externalURL;
    if (body === '$value | humanize') return humanizeSmallInteger(sample.value);
    throw new Error(`rule-tests cannot render ${action}: add it here or leave annotations to Vigil's rule runner`);
  });
}

/** humanize prints integers under 1000 as they are; other values need the real template engine. */
function humanizeSmallInteger(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1000) return String(value);
  throw new Error(`rule-tests renders humanize only for integers under 1000, got ${value}`);
}
