/**
 * Instant queries for rule evaluation: the raw vector, not an API shape.
 * Values travel as strings so NaN and ±Inf survive JSON.
 */
import { evalInstant as evalLogInstant, isMetricQuery, parseLogql } from '../logql/index.ts';
import { evalInstant } from '../promql/index.ts';
import { VigilError } from '../errors.ts';
import type { QuerySources } from './operations.ts';

export interface RuleInstantQuery {
  query: string;
  timeMs: number;
  source: 'metrics' | 'logs';
  timeoutMs?: number;
}

export interface RuleSample {
  labels: Record<string, string>;
  value: string;
}

export function ruleInstant(sources: QuerySources, q: RuleInstantQuery): RuleSample[] {
  return q.source === 'logs' ? logVector(sources, q) : metricVector(sources, q);
}

function metricVector(sources: QuerySources, q: RuleInstantQuery): RuleSample[] {
  const deadline = q.timeoutMs === undefined ? undefined : Date.now() + q.timeoutMs;
  const result = evalInstant(q.query, sources.metrics(), q.timeMs, { deadline });
  if (result.resultType === 'scalar') return [{ labels: {}, value: String(result.result.v) }];
  if (result.resultType !== 'vector') {
    throw new VigilError('VIGIL_ERR_RULES_INVALID', `rule expression must give a vector or a scalar, not a ${result.resultType}`);
  }
  return result.result.map((s) => ({ labels: s.metric, value: String(s.v) }));
}

function logVector(sources: QuerySources, q: RuleInstantQuery): RuleSample[] {
  const expr = parseLogql(q.query);
  if (!isMetricQuery(expr)) {
    throw new VigilError('VIGIL_ERR_RULES_INVALID', 'a log rule needs a LogQL metric query (e.g. count_over_time(...)), not a log query');
  }
  const vector = evalLogInstant(expr, sources.logs(), { timeNs: BigInt(q.timeMs) * 1_000_000n });
  return vector.samples.map((s) => ({ labels: s.labels, value: String(s.value) }));
}
