/**
 * A rule group, as Prometheus' rules/group.go: its rules run in order at one
 * timestamp, each writing its samples before the next runs; series a rule
 * stopped producing get a stale marker; alerting rules hand over the alerts
 * due for sending.
 */
import type { Alert } from '../dispatch/model.ts';
import { labelsKey } from '../promql/labels.ts';
import { staleNaN, type Series } from '../tsdb/model.ts';
import { AlertingRule, type RuleAlert } from './alerting-rule.ts';
import type { RuleQueryEngine, RuleSink, VectorSample } from './engine.ts';
import { RecordingRule } from './recording-rule.ts';
import type { EvalContext } from './rule.ts';
import type { RuleGroupSpec, RuleSource } from './spec.ts';
import { groupStatus, ruleStatus, type RuleGroupStatus, type RuleHealth, type RuleStatus } from './status.ts';

export interface RuleGroupOptions {
  externalLabels?: Record<string, string>;
  externalURL?: string;
  /** How often a still-firing alert is re-sent, ms. Default 1m (Prometheus' --rules.alert.resend-delay). */
  resendDelayMs?: number;
  /** Interval of groups without their own, ms. Default 1m (Prometheus' evaluation_interval). */
  defaultIntervalMs?: number;
}

export interface RuleError {
  rule: string;
  error: string;
}

export interface GroupResult {
  alertsToSend: Alert[];
  evaluationMs: number;
  errors: RuleError[];
}

/** One alert's state for persistence across restarts. */
export interface ActiveAlertState extends RuleAlert {
  /** The alerting rule's name. */
  rule: string;
}

/** A rule with what the API reports about its last evaluation. */
export interface RuleEntry {
  rule: AlertingRule | RecordingRule;
  health: RuleHealth;
  lastError: string;
  lastEvaluationMs?: number;
  evaluationMs: number;
  /** Series written at the previous successful evaluation, by key: those missing now get a stale marker. */
  previousSeries: Map<string, Record<string, string>>;
}

export class RuleGroup {
  readonly name: string;
  readonly file: string;
  readonly source: RuleSource;
  readonly intervalMs: number;
  readonly limit: number;
  private readonly queryOffsetMs: number;
  private readonly entries: RuleEntry[];
  private readonly externalLabels: Record<string, string>;
  private readonly externalURL: string;
  private readonly resendDelayMs: number;
  private lastEvaluationMs?: number;
  private evaluationMs = 0;

  constructor(spec: RuleGroupSpec, options: RuleGroupOptions = {}) {
    this.name = spec.name;
    this.file = spec.file;
    this.source = spec.source;
    this.intervalMs = spec.intervalMs ?? options.defaultIntervalMs ?? 60_000;
    this.limit = spec.limit;
    this.queryOffsetMs = spec.queryOffsetMs;
    this.externalLabels = options.externalLabels ?? {};
    this.externalURL = options.externalURL ?? '';
    this.resendDelayMs = options.resendDelayMs ?? 60_000;
    const env = { externalLabels: this.externalLabels, externalURL: this.externalURL };
    this.entries = spec.rules.map((r) => ({
      rule: r.kind === 'alerting' ? new AlertingRule(r, env) : new RecordingRule(r),
      health: 'unknown', lastError: '', evaluationMs: 0, previousSeries: new Map(),
    }));
  }

  /** One evaluation at `atMs`; the caller runs them one at a time (the state machine is not re-entrant). */
  async evaluate(atMs: number, engine: RuleQueryEngine, sink: RuleSink): Promise<GroupResult> {
    const started = performance.now();
    const ctx: EvalContext = { atMs, queryAtMs: atMs - this.queryOffsetMs, engine, source: this.source, limit: this.limit };
    const alertsToSend: Alert[] = [];
    const errors: RuleError[] = [];
    for (const entry of this.entries) {
      const error = await this.evaluateRule(entry, ctx, sink, alertsToSend);
      if (error) errors.push({ rule: entry.rule.name, error });
    }
    this.lastEvaluationMs = atMs;
    this.evaluationMs = performance.now() - started;
    return { alertsToSend, evaluationMs: this.evaluationMs, errors };
  }

  private async evaluateRule(entry: RuleEntry, ctx: EvalContext, sink: RuleSink, alertsToSend: Alert[]): Promise<string | undefined> {
    const started = performance.now();
    entry.lastEvaluationMs = ctx.atMs;
    try {
      const vector = await entry.rule.eval(ctx);
      entry.health = 'ok';
      entry.lastError = '';
      if (entry.rule instanceof AlertingRule) alertsToSend.push(...this.alertsDue(entry.rule, ctx.atMs));
      sink.append(this.seriesToWrite(entry, vector, ctx.atMs - this.queryOffsetMs));
      return undefined;
    } catch (err) {
      entry.health = 'err';
      entry.lastError = err instanceof Error ? err.message : String(err);
      return entry.lastError;
    } finally {
      entry.evaluationMs = performance.now() - started;
    }
  }

  /** The vector as series, plus a stale marker for each series of the previous evaluation that is gone. */
  private seriesToWrite(entry: RuleEntry, vector: VectorSample[], t: number): Series[] {
    const current = new Map(vector.map((s) => [labelsKey(s.labels), s.labels]));
    const series: Series[] = vector.map((s) => ({ labels: s.labels, samples: [{ t, v: s.value }] }));
    for (const [key, labels] of entry.previousSeries) {
      if (!current.has(key)) series.push({ labels, samples: [{ t, v: staleNaN() }] });
    }
    entry.previousSeries = current;
    return series;
  }

  private alertsDue(rule: AlertingRule, atMs: number): Alert[] {
    const generatorURL = `${this.externalURL}/graph?g0.expr=${goQueryEscape(rule.spec.expr)}&g0.tab=1`;
    return rule.takeAlertsToSend(atMs, this.resendDelayMs, this.intervalMs).map((a) => ({
      // External labels are added on the way out, as Prometheus' notifier does; the alert's own win.
      labels: { ...this.externalLabels, ...a.labels },
      annotations: a.annotations,
      startsAt: a.firedAtMs ?? a.activeAtMs,
      endsAt: a.resolvedAtMs ?? a.validUntilMs!,
      generatorURL,
      updatedAt: atMs,
    }));
  }

  rules(): RuleStatus[] {
    return this.entries.map(ruleStatus);
  }

  status(): RuleGroupStatus {
    return groupStatus(this, this.rules(), this.lastEvaluationMs, this.evaluationMs);
  }

  snapshot(): ActiveAlertState[] {
    return this.alertingRules().flatMap((rule) => rule.allAlerts().map((a) => ({ rule: rule.name, ...a })));
  }

  /** Re-seeds alert states saved by snapshot(); states of rules no longer in the group are dropped. */
  restore(states: ActiveAlertState[]): void {
    for (const { rule: name, ...alert } of states) {
      const candidates = this.alertingRules().filter((r) => r.name === name);
      // Same-named rules differ by their static labels: pick the one whose labels the alert carries.
      const owner = candidates.find((r) => Object.entries(r.spec.labels).every(([k, v]) => v.includes('{{') || alert.labels[k] === v)) ?? candidates[0];
      owner?.restore(alert);
    }
  }

  private alertingRules(): AlertingRule[] {
    return this.entries.map((e) => e.rule).filter((r): r is AlertingRule => r instanceof AlertingRule);
  }
}

/** Go's url.QueryEscape: space as `+`, everything but letters, digits and `-_.~` percent-encoded. */
function goQueryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
