/**
 * A rule file's groups after loading and validation: what RuleGroup runs.
 * Durations are in ms; `line` points back into `file` for messages.
 */
export type RuleSource = 'metrics' | 'logs';

export interface RecordingRuleSpec {
  kind: 'recording';
  record: string;
  expr: string;
  /** Group labels merged under the rule's own. */
  labels: Record<string, string>;
  line: number;
}

export interface AlertingRuleSpec {
  kind: 'alerting';
  alert: string;
  expr: string;
  forMs: number;
  keepFiringForMs: number;
  /** Templates; group labels merged under the rule's own. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  line: number;
}

export type RuleSpec = RecordingRuleSpec | AlertingRuleSpec;

export interface RuleGroupSpec {
  name: string;
  file: string;
  /** `metrics` (PromQL) or `logs` (LogQL metric queries, as Loki's ruler). */
  source: RuleSource;
  /** Undefined (or 0 in the file): the global evaluation interval applies. */
  intervalMs?: number;
  /** Most series (recording) or alerts (alerting) a rule may produce; 0 is no limit. */
  limit: number;
  queryOffsetMs: number;
  rules: RuleSpec[];
}

export function ruleName(rule: RuleSpec): string {
  return rule.kind === 'alerting' ? rule.alert : rule.record;
}
