/**
 * The Prometheus query API's operations against a SeriesQuerier, answering
 * in Prometheus' JSON shapes. Runs inside a query worker.
 */
import { evalInstant, evalRange, formatPromApi, parsePromql, type Expr } from '../promql/index.ts';
import { VigilError } from '../errors.ts';
import type { LabelMatcher } from '../logql/source.ts';
import type { SeriesQuerier } from '../tsdb/index.ts';

export interface PromInstantQuery {
  query: string;
  timeMs: number;
  timeoutMs?: number;
}

export interface PromRangeQuery {
  query: string;
  startMs: number;
  endMs: number;
  stepMs: number;
  timeoutMs?: number;
}

export interface PromWindow {
  startMs: number;
  endMs: number;
  match: string[];
}

function deadline(timeoutMs: number | undefined): number | undefined {
  return timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
}

export function promQuery(querier: SeriesQuerier, q: PromInstantQuery): unknown {
  const result = evalInstant(q.query, querier, q.timeMs, { deadline: deadline(q.timeoutMs) });
  return { status: 'success', data: formatPromApi(result), ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}), ...(result.infos.length > 0 ? { infos: result.infos } : {}) };
}

export function promQueryRange(querier: SeriesQuerier, q: PromRangeQuery): unknown {
  const result = evalRange(q.query, querier, q.startMs, q.endMs, q.stepMs, { deadline: deadline(q.timeoutMs) });
  return { status: 'success', data: formatPromApi(result), ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}), ...(result.infos.length > 0 ? { infos: result.infos } : {}) };
}

export function promSeries(querier: SeriesQuerier, q: PromWindow): unknown {
  const found = new Map<string, Record<string, string>>();
  for (const matchers of q.match.map(selectorMatchers)) {
    for (const series of querier.select(matchers, q.startMs, q.endMs)) {
      if (series.samples.length > 0) found.set(JSON.stringify(series.labels), series.labels);
    }
  }
  return { status: 'success', data: [...found.values()] };
}

export function promLabels(querier: SeriesQuerier, q: PromWindow): unknown {
  const names = new Set<string>();
  for (const matchers of matcherSets(q.match)) for (const name of querier.labelNames(matchers, q.startMs, q.endMs)) names.add(name);
  return { status: 'success', data: [...names].sort() };
}

export function promLabelValues(querier: SeriesQuerier, q: PromWindow & { name: string }): unknown {
  const values = new Set<string>();
  for (const matchers of matcherSets(q.match)) {
    for (const value of querier.labelValues(q.name, matchers, q.startMs, q.endMs)) values.add(value);
  }
  return { status: 'success', data: [...values].sort() };
}

function matcherSets(match: string[]): LabelMatcher[][] {
  return match.length === 0 ? [[]] : match.map(selectorMatchers);
}

/** `match[]` takes series selectors only, as in Prometheus. */
function selectorMatchers(selector: string): LabelMatcher[] {
  const expr: Expr = parsePromql(selector);
  if (expr.kind !== 'vector-selector') {
    throw new VigilError('VIGIL_ERR_QUERY_PARAM', `invalid parameter "match[]": ${selector} is not a series selector`);
  }
  return expr.matchers;
}
