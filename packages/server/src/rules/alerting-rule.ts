/**
 * An alerting rule and its alerts' state machine, as Prometheus'
 * rules/alerting.go: inactive → pending → firing after `for`; a firing alert
 * that vanishes stays firing for `keep_firing_for`, then resolves and is
 * kept 15 minutes so the resolution can be re-sent.
 */
import { labelsKey } from '../promql/labels.ts';
import type { VectorSample } from './engine.ts';
import { withLabels, type EvalContext } from './rule.ts';
import type { AlertingRuleSpec } from './spec.ts';
import { compileTemplate, type AlertTemplate, type TemplateQuery } from './templating.ts';

export type AlertState = 'inactive' | 'pending' | 'firing';

/** One alert of a rule; times are ms since the epoch, undefined when they have not happened. */
export interface RuleAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  activeAtMs: number;
  firedAtMs?: number;
  resolvedAtMs?: number;
  lastSentAtMs?: number;
  keepFiringSinceMs?: number;
  validUntilMs?: number;
  value: number;
}

export interface AlertEnvironment {
  externalLabels: Record<string, string>;
  externalURL: string;
}

const RESOLVED_RETENTION_MS = 15 * 60_000;

export class AlertingRule {
  private readonly active = new Map<string, RuleAlert>();
  private readonly labelTemplates: [string, AlertTemplate][];
  private readonly annotationTemplates: [string, AlertTemplate][];

  constructor(
    readonly spec: AlertingRuleSpec,
    private readonly env: AlertEnvironment,
  ) {
    const compile = (texts: Record<string, string>): [string, AlertTemplate][] =>
      Object.entries(texts).map(([name, text]) => [name, compileTemplate(text, `__alert_${spec.alert}`)]);
    this.labelTemplates = compile(spec.labels);
    this.annotationTemplates = compile(spec.annotations);
  }

  get name(): string {
    return this.spec.alert;
  }

  /** Runs the query, advances every alert and returns the ALERTS and ALERTS_FOR_STATE samples. */
  async eval(ctx: EvalContext): Promise<VectorSample[]> {
    const vector = await ctx.engine.instant(this.spec.expr, ctx.queryAtMs, ctx.source);
    const query: TemplateQuery = async (expr) =>
      (await ctx.engine.instant(expr, ctx.queryAtMs, 'metrics')).map((s) => ({ Labels: s.labels, Value: s.value }));
    const current = await this.alertsFor(vector, ctx.atMs, query);
    this.merge(current);
    const { samples, activeCount } = this.advance(current, ctx.atMs);
    if (ctx.limit > 0 && activeCount > ctx.limit) {
      this.active.clear();
      throw new Error(`exceeded limit of ${ctx.limit} with ${activeCount} alerts`);
    }
    return samples;
  }

  private async alertsFor(vector: VectorSample[], atMs: number, query: TemplateQuery): Promise<Map<string, RuleAlert>> {
    const alerts = new Map<string, RuleAlert>();
    for (const sample of vector) {
      const data = { labels: sample.labels, externalLabels: this.env.externalLabels, externalURL: this.env.externalURL, value: sample.value };
      const ruleLabels: Record<string, string> = {};
      for (const [name, template] of this.labelTemplates) ruleLabels[name] = await template(data, query);
      const labels = withLabels(sample.labels, { __name__: '', ...ruleLabels, alertname: this.name });
      const annotations: Record<string, string> = {};
      for (const [name, template] of this.annotationTemplates) annotations[name] = await template(data, query);
      const key = labelsKey(labels);
      if (alerts.has(key)) throw new Error('vector contains metrics with the same labelset after applying alert labels');
      alerts.set(key, { labels, annotations, state: 'pending', activeAtMs: atMs, value: sample.value });
    }
    return alerts;
  }

  /** Known alerts keep their state and take the new value and annotations; the rest start pending. */
  private merge(current: Map<string, RuleAlert>): void {
    for (const [key, alert] of current) {
      const known = this.active.get(key);
      if (known && known.state !== 'inactive') {
        known.value = alert.value;
        known.annotations = alert.annotations;
      } else {
        this.active.set(key, alert);
      }
    }
  }

  private advance(current: Map<string, RuleAlert>, atMs: number): { samples: VectorSample[]; activeCount: number } {
    const samples: VectorSample[] = [];
    let activeCount = 0;
    for (const [key, alert] of this.active) {
      if (current.has(key)) alert.keepFiringSinceMs = undefined;
      else if (!this.keepsFiring(alert, atMs)) {
        this.retire(key, alert, atMs);
        continue;
      }
      activeCount++;
      if (alert.state === 'pending' && atMs - alert.activeAtMs >= this.spec.forMs) {
        alert.state = 'firing';
        alert.firedAtMs = atMs;
      }
      samples.push(...this.seriesFor(alert));
    }
    return { samples, activeCount };
  }

  private keepsFiring(alert: RuleAlert, atMs: number): boolean {
    if (alert.state !== 'firing' || this.spec.keepFiringForMs <= 0) return false;
    alert.keepFiringSinceMs ??= atMs;
    return atMs - alert.keepFiringSinceMs < this.spec.keepFiringForMs;
  }

  /** A vanished alert: pending ones are forgotten, firing ones resolve, resolved ones go after the retention. */
  private retire(key: string, alert: RuleAlert, atMs: number): void {
    const expired = alert.resolvedAtMs !== undefined && atMs - alert.resolvedAtMs > RESOLVED_RETENTION_MS;
    if (alert.state === 'pending' || expired) this.active.delete(key);
    if (alert.state !== 'inactive') {
      alert.state = 'inactive';
      alert.resolvedAtMs = atMs;
    }
  }

  /** ALERTS{alertstate} = 1 and ALERTS_FOR_STATE = activeAt in seconds, so a restart can restore `for`. */
  private seriesFor(alert: RuleAlert): VectorSample[] {
    const base = withLabels(withLabels({}, this.spec.labels), { ...alert.labels, alertname: this.name });
    return [
      { labels: { ...base, __name__: 'ALERTS', alertstate: alert.state }, value: 1 },
      { labels: { ...base, __name__: 'ALERTS_FOR_STATE' }, value: Math.floor(alert.activeAtMs / 1000) },
    ];
  }

  /** Prometheus' sendAlerts: firing alerts not sent within resendDelay, and newly resolved ones. */
  takeAlertsToSend(atMs: number, resendDelayMs: number, intervalMs: number): RuleAlert[] {
    const out: RuleAlert[] = [];
    for (const alert of this.active.values()) {
      if (!needsSending(alert, atMs, resendDelayMs)) continue;
      alert.lastSentAtMs = atMs;
      // Valid for two missed evaluations or sends, as Prometheus allows.
      alert.validUntilMs = atMs + 4 * Math.max(resendDelayMs, intervalMs);
      out.push({ ...alert });
    }
    return out;
  }

  /** Alerts that are pending or firing (resolved ones are kept only for resending). */
  activeAlerts(): RuleAlert[] {
    return [...this.active.values()].filter((a) => a.state !== 'inactive').map((a) => ({ ...a }));
  }

  allAlerts(): RuleAlert[] {
    return [...this.active.values()].map((a) => ({ ...a }));
  }

  restore(alert: RuleAlert): void {
    this.active.set(labelsKey(alert.labels), { ...alert, labels: { ...alert.labels }, annotations: { ...alert.annotations } });
  }

  /** The most advanced state of any alert: firing > pending > inactive. */
  state(): AlertState {
    const states = new Set([...this.active.values()].map((a) => a.state));
    return states.has('firing') ? 'firing' : states.has('pending') ? 'pending' : 'inactive';
  }
}

function needsSending(alert: RuleAlert, atMs: number, resendDelayMs: number): boolean {
  if (alert.state === 'pending') return false;
  if (alert.resolvedAtMs !== undefined && (alert.lastSentAtMs === undefined || alert.resolvedAtMs > alert.lastSentAtMs)) return true;
  return alert.lastSentAtMs === undefined || alert.lastSentAtMs + resendDelayMs < atMs;
}
