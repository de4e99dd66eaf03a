/**
 * The Prometheus query API's operations against a SeriesQuerier, answering
 * in Prometheus' JSON shapes. Runs inside a query worker.
 */
import { evalInstant, evalRange, formatPromApiJson, parsePromql, type Expr, type QueryAnnotations, type QueryResult } from '../promql/index.ts';
import { VigilError } from '../errors.ts';
import type { LabelMatcher } from '../logql/source.ts';
import type { SeriesQuerier } from '../tsdb/index.ts';
import { JsonText } from './json-text.ts';

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

export function promQuery(querier: SeriesQuerier, q: PromInstantQuery): JsonText {
  return successJson(evalInstant(q.query, querier, q.timeMs, { deadline: deadline(q.timeoutMs) }));
}

export function promQueryRange(querier: SeriesQuerier, q: PromRangeQuery): JsonText {
  return successJson(evalRange(q.query, querier, q.startMs, q.endMs, q.stepMs, { deadline: deadline(q.timeoutMs) }));
}

/** Prometheus' success envelope, warnings and infos only when there are some. */
function successJson(result: QueryResult & QueryAnnotations): JsonText {
  let text = `{"status":"success","data":${formatPromApiJson(result)}`;
  if (result.warnings.length > 0) text += `,"warnings":${JSON.stringify(result.warnings)}`;
  if (result.infos.length > 0) text += `,"infos":${JSON.stringify(result.infos)}`;
  return new JsonText(`${text}}`);
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
