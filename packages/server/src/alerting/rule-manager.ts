/**
 * Runs the rule groups on their intervals: queries go to the query workers,
 * recording results and ALERTS series go to the TSDB, alerts go to the
 * dispatcher. Each group's alert state is saved after every evaluation so
 * a restart neither re-sends a firing alert as new nor restarts `for` timers.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import type { Alert } from '../dispatch/model.ts';
import { fingerprint } from '../dispatch/model.ts';
import type { QueryRunner } from '../query/worker-pool.ts';
import type { RuleSample } from '../query/rule-queries.ts';
import { RuleGroup, type ActiveAlertState, type RuleGroupSpec, type RuleQueryEngine } from '../rules/index.ts';
import type { SampleAppender, Series } from '../tsdb/index.ts';
import type { AlertLedger } from './ledger.ts';

export interface RuleManagerDeps {
  db: Database.Database;
  clock: Clock;
  queries: QueryRunner;
  appender: SampleAppender;
  ledger: AlertLedger;
  /** Where firing and resolved alerts go: the dispatcher. */
  sendAlerts: (alerts: Alert[]) => void;
  tenant: string;
  externalLabels: Record<string, string>;
  externalURL: string;
  resendDelayMs: number;
  /** Prometheus' global.evaluation_interval, for groups without their own. */
  defaultIntervalMs: number;
  queryTimeoutMs: number;
  onError: (group: string, err: unknown) => void;
}

interface Scheduled {
  group: RuleGroup;
  timer: { stop(): void };
  running: boolean;
  /** The state last written, so an evaluation that changed nothing writes nothing. */
  saved?: string;
}

const schema = `CREATE TABLE IF NOT EXISTS rule_alert_state (
  group_key TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL
)`;

export class RuleManager {
  private scheduled = new Map<string, Scheduled>();
  private readonly engine: RuleQueryEngine;
  private readonly saveState: Database.Statement;
  private readonly loadState: Database.Statement;

  constructor(private readonly deps: RuleManagerDeps) {
    deps.db.exec(schema);
    this.saveState = deps.db.prepare(
      'INSERT INTO rule_alert_state (group_key, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (group_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
    );
    this.loadState = deps.db.prepare('SELECT state FROM rule_alert_state WHERE group_key = ?');
    this.engine = workerEngine(deps.queries, deps.tenant, deps.queryTimeoutMs);
  }

  /** Replaces the running groups; a group that keeps its file and name keeps its alert state. */
  load(specs: RuleGroupSpec[]): void {
    const previous = this.scheduled;
    this.scheduled = new Map();
    for (const spec of specs) {
      const key = groupKey(spec);
      const group = new RuleGroup(spec, {
        externalLabels: this.deps.externalLabels,
        externalURL: this.deps.externalURL,
        resendDelayMs: this.deps.resendDelayMs,
        defaultIntervalMs: this.deps.defaultIntervalMs,
      });
      const old = previous.get(key);
      const state = old ? old.group.snapshot() : this.savedState(key);
      if (state.length > 0) group.restore(state);
      const entry: Scheduled = { group, running: false, timer: { stop() {} } };
      entry.timer = this.deps.clock.setInterval(() => void this.evaluate(key, entry), group.intervalMs);
      this.scheduled.set(key, entry);
    }
    for (const old of previous.values()) old.timer.stop();
  }

  groups(): RuleGroup[] {
    return [...this.scheduled.values()].map((s) => s.group);
  }

  /** Evaluates every group once now (the rules bench drives cycles with it; timers do the rest). */
  async evaluateAll(): Promise<void> {
    await Promise.all([...this.scheduled].map(([key, entry]) => this.evaluate(key, entry)));
  }

  stop(): void {
    for (const entry of this.scheduled.values()) entry.timer.stop();
    this.scheduled.clear();
  }

  private async evaluate(key: string, entry: Scheduled): Promise<void> {
    // a slow group skips a tick rather than piling up evaluations, as Prometheus does
    if (entry.running) return;
    entry.running = true;
    try {
      const at = this.deps.clock.now();
      const before = stateByFingerprint(entry.group.snapshot());
      const result = await entry.group.evaluate(at, this.engine, { append: (series) => this.append(series) });
      for (const err of result.errors) this.deps.onError(`${entry.group.name}/${err.rule}`, new Error(err.error));
      if (this.scheduled.get(key) !== entry) return; // reloaded meanwhile: the new group owns the state
      const after = entry.group.snapshot();
      const state = JSON.stringify(after);
      if (state !== entry.saved) this.saveState.run(key, state, at);
      entry.saved = state;
      this.recordChanges(at, before, stateByFingerprint(after));
      if (result.alertsToSend.length > 0) this.deps.sendAlerts(result.alertsToSend);
    } catch (err) {
      this.deps.onError(entry.group.name, err);
    } finally {
      entry.running = false;
    }
  }

  private append(series: Series[]): void {
    try {
      this.deps.appender.append(this.deps.tenant, series);
    } catch (err) {
      // e.g. a recording rule's sample at a time already written before a restart
      this.deps.onError('(rule results)', err);
    }
  }

  /** Marked unsent: the dispatcher's alerts died with the last process (its notification log stops a second page). */
  private savedState(key: string): ActiveAlertState[] {
    const row = this.loadState.get(key) as { state: string } | undefined;
    return row ? (JSON.parse(row.state) as ActiveAlertState[]).map((alert) => ({ ...alert, lastSentAtMs: undefined })) : [];
  }

  private recordChanges(at: number, before: Map<string, ActiveAlertState>, after: Map<string, ActiveAlertState>): void {
    for (const [fp, state] of after) {
      if (before.get(fp)?.state === state.state) continue;
      this.deps.ledger.record({ at, kind: 'alert', action: state.state, fingerprint: fp, detail: { labels: state.labels, value: state.value } });
    }
    for (const [fp, state] of before) {
      if (after.has(fp)) continue;
      this.deps.ledger.record({ at, kind: 'alert', action: 'inactive', fingerprint: fp, detail: { labels: state.labels } });
    }
  }
}

function groupKey(spec: RuleGroupSpec): string {
  return `${spec.file}\u0000${spec.name}`;
}

function stateByFingerprint(states: ActiveAlertState[]): Map<string, ActiveAlertState> {
  return new Map(states.map((s) => [fingerprint(s.labels), s]));
}

function workerEngine(queries: QueryRunner, tenant: string, timeoutMs: number): RuleQueryEngine {
  return {
    async instant(expr, atMs, source) {
      const json = await queries.run('rule_instant', tenant, { query: expr, timeMs: atMs, source, timeoutMs });
      return (JSON.parse(json.toString()) as RuleSample[]).map((s) => ({ labels: s.labels, value: Number(s.value) }));
    },
  };
}
