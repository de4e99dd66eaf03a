/**
 * How rules reach queries and storage: two small ports, so `rules` never
 * imports the query workers or the TSDB writer. `localQueryEngine` runs
 * queries in-process (tests, the unit-test runner, small setups).
 */
import { evalInstant as evalLogql, isMetricQuery, parseLogql, type LogSource } from '../logql/index.ts';
import { evalInstant as evalPromql, type EvalOptions } from '../promql/index.ts';
import type { Series, SeriesQuerier } from '../tsdb/model.ts';
import type { RuleSource } from './spec.ts';

export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

export interface RuleQueryEngine {
  /** An instant query; a scalar result comes back as one sample with no labels. */
  instant(expr: string, atMs: number, source: RuleSource): Promise<VectorSample[]>;
}

/** Where rule results go; called after each rule so later rules of the group see them. */
export interface RuleSink {
  append(series: Series[]): void;
}

function metricsInstant(expr: string, querier: SeriesQuerier, atMs: number, options: EvalOptions): VectorSample[] {
  const result = evalPromql(expr, querier, atMs, options);
  if (result.resultType === 'vector') return result.result.map((s) => ({ labels: s.metric, value: s.v }));
  if (result.resultType === 'scalar') return [{ labels: {}, value: result.result.v }];
  throw new Error('rule result is not a vector or scalar');
}

function logsInstant(expr: string, source: LogSource, atMs: number): VectorSample[] {
  const parsed = parseLogql(expr);
  if (!isMetricQuery(parsed)) throw new Error('rule expression is a log query, not a metric query');
  const { samples } = evalLogql(parsed, source, { timeNs: BigInt(atMs) * 1_000_000n });
  return samples.map((s) => ({ labels: { ...s.labels }, value: s.value }));
}

/** Queries evaluated in-process over a SeriesQuerier and, for log groups, a LogSource. */
export function localQueryEngine(sources: { metrics: SeriesQuerier; logs?: LogSource; options?: EvalOptions }): RuleQueryEngine {
  return {
    async instant(expr, atMs, source) {
      if (source === 'metrics') return metricsInstant(expr, sources.metrics, atMs, sources.options ?? {});
      if (!sources.logs) throw new Error('no log source is configured for log rules');
      return logsInstant(expr, sources.logs, atMs);
    },
  };
}
