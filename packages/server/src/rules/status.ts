/**
 * What GET /api/v1/rules shows for a group and its rules, in Prometheus'
 * field names and formats (seconds for durations, RFC 3339 times, alert
 * values as Go's %e).
 */
import { AlertingRule } from './alerting-rule.ts';
import type { RuleEntry } from './group.ts';

export type RuleHealth = 'ok' | 'err' | 'unknown';

export interface AlertStatus {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  keepFiringSince?: string;
  value: string;
}

interface RuleStatusBase {
  name: string;
  query: string;
  labels: Record<string, string>;
  health: RuleHealth;
  lastError?: string;
  /** RFC 3339; Go's zero time before the first evaluation. */
  lastEvaluation: string;
  /** Seconds. */
  evaluationTime: number;
}

export interface AlertingRuleStatus extends RuleStatusBase {
  type: 'alerting';
  state: 'inactive' | 'pending' | 'firing';
  /** `for`, seconds. */
  duration: number;
  keepFiringFor: number;
  annotations: Record<string, string>;
  alerts: AlertStatus[];
}

export interface RecordingRuleStatus extends RuleStatusBase {
  type: 'recording';
}

export type RuleStatus = AlertingRuleStatus | RecordingRuleStatus;

export interface RuleGroupStatus {
  name: string;
  file: string;
  rules: RuleStatus[];
  /** Seconds. */
  interval: number;
  limit: number;
  lastEvaluation: string;
  evaluationTime: number;
}

/** Go's time.Time in JSON: RFC 3339 with only the fraction digits needed. */
export function goTime(ms: number | undefined): string {
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

/** Go's strconv.FormatFloat(v, 'e', -1, 64): shortest digits, exponent of at least two digits. */
export function goExponent(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [mantissa, exponent] = v.toExponential().split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}

function alertingStatus(rule: AlertingRule, base: RuleStatusBase): AlertingRuleStatus {
  return {
    ...base,
    type: 'alerting',
    state: rule.state(),
    duration: rule.spec.forMs / 1000,
    keepFiringFor: rule.spec.keepFiringForMs / 1000,
    annotations: rule.spec.annotations,
    alerts: rule.activeAlerts().map((a) => ({
      labels: a.labels,
      annotations: a.annotations,
      state: a.state as 'pending' | 'firing',
      activeAt: goTime(a.activeAtMs),
      ...(a.keepFiringSinceMs !== undefined ? { keepFiringSince: goTime(a.keepFiringSinceMs) } : {}),
      value: goExponent(a.value),
    })),
  };
}

export function ruleStatus(entry: RuleEntry): RuleStatus {
  const base: RuleStatusBase = {
    name: entry.rule.name,
    query: entry.rule.spec.expr,
    labels: entry.rule.spec.labels,
    health: entry.health,
    ...(entry.lastError ? { lastError: entry.lastError } : {}),
    lastEvaluation: goTime(entry.lastEvaluationMs),
    evaluationTime: entry.evaluationMs / 1000,
  };
  return entry.rule instanceof AlertingRule ? alertingStatus(entry.rule, base) : { ...base, type: 'recording' };
}

export function groupStatus(
  group: { name: string; file: string; intervalMs: number; limit: number },
  rules: RuleStatus[],
  lastEvaluationMs: number | undefined,
  evaluationMs: number,
): RuleGroupStatus {
  return {
    name: group.name, file: group.file, rules, interval: group.intervalMs / 1000, limit: group.limit,
    lastEvaluation: goTime(lastEvaluationMs), evaluationTime: evaluationMs / 1000,
  };
}
