/**
 * The public entry points: instant and range queries over a SeriesQuerier,
 * with Prometheus' defaults (5m lookback, 1m default subquery step) and a
 * cap on the samples a query may hold.
 */
import type { SeriesQuerier } from '../tsdb/model.ts';
import type { Expr } from './ast.ts';
import type { FloatHistogram } from './histogram.ts';
import { evaluate } from './evaluate.ts';
import { compareLabels, formatLabels, labelsKey, withoutName, type Labels } from './labels.ts';
import { parsePromql } from './parse.ts';
import { toSeries } from './selectors.ts';
import { Annotations, SampleBudget, execError, type EvalContext, type RangeSeries, type SeriesVector, type Vector } from './values.ts';

export interface EvalOptions {
  /** How far back an instant selector looks for a sample, ms. Default 5m. */
  lookbackDeltaMs?: number;
  /** Most samples a query may hold at once. Default 50 000 000 (Prometheus' default). */
  maxSamples?: number;
  /** Step of `[range:]` subqueries without one, ms. Default 1m. */
  subqueryStepMs?: number;
  /** Absolute deadline (Date.now() ms) after which the query fails. */
  deadline?: number;
  /**
   * Most series × steps a range function's result is held as dense columns
   * (9 bytes a cell, present or not). Beyond it, one object per sample
   * present: cheaper when many series have samples in few steps (churn over
   * a long range). Default 8 000 000 (72 MB).
   */
  maxDenseCells?: number;
}

/** A result sample; `h` is set for a native histogram (`v` is then meaningless). */
export interface InstantSample { metric: Labels; t: number; v: number; h?: FloatHistogram }
export interface MatrixSeries { metric: Labels; points: { t: number; v: number; h?: FloatHistogram }[] }

export type QueryResult =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'scalar'; result: { t: number; v: number } }
  | { resultType: 'string'; result: { t: number; v: string } }
  | { resultType: 'matrix'; result: MatrixSeries[] };

/** Warnings and infos raised while evaluating, as `PromQL warning: <text> (L:C)` strings. */
export interface QueryAnnotations { warnings: string[]; infos: string[] }

function context(querier: SeriesQuerier, times: number[], start: number, end: number, stepMs: number, o: EvalOptions): EvalContext {
  return {
    querier, times, queryStart: start, queryEnd: end, queryStepMs: stepMs,
    lookbackMs: o.lookbackDeltaMs ?? 300_000,
    subqueryStepMs: o.subqueryStepMs ?? 60_000,
    budget: new SampleBudget(o.maxSamples ?? 50_000_000, o.deadline ?? Infinity),
    maxDenseCells: o.maxDenseCells ?? 8_000_000,
    annotations: new Annotations(),
  };
}

/** Applies delayed `__name__` removal and refuses duplicate label sets, as Prometheus does at the end. */
function finishVector(vec: Vector): Vector {
  const seen = new Set<string>();
  return vec.map((s) => {
    const labels = s.drop ? withoutName(s.labels) : s.labels;
    const key = labelsKey(labels);
    if (seen.has(key)) execError(`vector cannot contain metrics with the same labelset`);
    seen.add(key);
    return s.h ? { labels, v: s.v, h: s.h } : { labels, v: s.v };
  });
}

export function evalInstant(
  query: string | Expr, querier: SeriesQuerier, timeMs: number, options: EvalOptions = {},
): QueryResult & QueryAnnotations {
  const expr = typeof query === 'string' ? parsePromql(query, { stepMs: 0, rangeMs: 0 }) : query;
  const ctx = context(querier, [timeMs], timeMs, timeMs, 0, options);
  const value = evaluate(expr, ctx);
  const annos = ctx.annotations!.format(typeof query === 'string' ? query : undefined);
  switch (value.type) {
    case 'scalar': return { resultType: 'scalar', result: { t: timeMs, v: value.v[0] }, ...annos };
    case 'string': return { resultType: 'string', result: { t: timeMs, v: value.s }, ...annos };
    case 'vector':
      return { resultType: 'vector', result: finishVector(value.steps[0]).map((s) => withHistogram({ metric: s.labels, t: timeMs, v: s.v }, s.h)), ...annos };
    case 'matrix':
      return { resultType: 'matrix', result: finishMatrix(value.series), ...annos };
  }
}

function finishMatrix(series: RangeSeries[]): MatrixSeries[] {
  const byKey = new Map<string, MatrixSeries>();
  for (const s of series) {
    const metric = s.drop ? withoutName(s.labels) : s.labels;
    const key = labelsKey(metric);
    if (byKey.has(key)) execError(`vector cannot contain metrics with the same labelset: ${formatLabels(metric)}`);
    byKey.set(key, { metric, points: Array.from(s.t, (t, i) => withHistogram({ t, v: s.v[i] }, s.h?.[i])) });
  }
  return [...byKey.values()].sort((a, b) => compareLabels(a.metric, b.metric));
}

export function evalRange(
  query: string | Expr, querier: SeriesQuerier, startMs: number, endMs: number, stepMs: number, options: EvalOptions = {},
): { resultType: 'matrix'; result: MatrixSeries[] } & QueryAnnotations {
  const expr = typeof query === 'string' ? parsePromql(query, { stepMs, rangeMs: endMs - startMs }) : query;
  if (!(stepMs > 0)) execError(`zero or negative query resolution step widths are not accepted. Try a positive integer`);
  if (endMs < startMs) execError('end timestamp must not be before start time');
  const times: number[] = [];
  for (let t = startMs; t <= endMs; t += stepMs) times.push(t);
  const ctx = { ...context(querier, times, startMs, endMs, stepMs, options), rangeQuery: true };
  const value = evaluate(expr, ctx);
  const annos = ctx.annotations!.format(typeof query === 'string' ? query : undefined);
  if (value.type === 'vector') {
    const result = value.bySeries ? finishBySeries(value.bySeries, times) : finishRange(value.steps, times);
    return { resultType: 'matrix', result, ...annos };
  }
  if (value.type === 'scalar') return { resultType: 'matrix', result: finishMatrix(toSeries(value, times)), ...annos };
  return execError(`invalid expression type "${value.type}" for range query, must be Scalar or instant Vector`);
}

/** The point or sample with its histogram, if it has one (float points stay without the key). */
function withHistogram<P extends { v: number; h?: FloatHistogram }>(p: P, h: FloatHistogram | undefined): P {
  if (h) p.h = h;
  return p;
}

interface OutSeries { id: number; metric: Labels }

/**
 * Applies delayed name removal and the per-step duplicate check, as
 * finishVector does for each step, then collects the steps into series
 * merged by their final label set (series that differ only by a dropped name
 * become one). The final labels and key are computed once per distinct
 * input label object, not once per step and sample.
 */
function finishRange(steps: Vector[], times: number[]): MatrixSeries[] {
  const byKey = new Map<string, OutSeries>();
  const kept = new WeakMap<Labels, OutSeries>();
  const dropped = new WeakMap<Labels, OutSeries>();
  const out: MatrixSeries[] = [];
  // lastStep[id] is the last step (plus one) a final label set appeared in.
  let lastStep = new Int32Array(64);
  const resolve = (labels: Labels, drop: boolean): OutSeries => {
    const cache = drop ? dropped : kept;
    let o = cache.get(labels);
    if (o === undefined) {
      const metric = drop ? withoutName(labels) : labels;
      const key = labelsKey(metric);
      o = byKey.get(key);
      if (o === undefined) {
        o = { id: byKey.size, metric };
        byKey.set(key, o);
      }
      cache.set(labels, o);
    }
    return o;
  };
  // The first sample seen for a final label set gives the series its metric,
  // as collecting per-step vectors and then merging dropped names did.
  const byId: MatrixSeries[] = [];
  for (let i = 0; i < steps.length; i++) {
    const t = times[i];
    for (const s of steps[i]) {
      const o = resolve(s.labels, s.drop === true);
      if (o.id >= lastStep.length) {
        const grown = new Int32Array(Math.max(lastStep.length * 2, o.id + 1));
        grown.set(lastStep);
        lastStep = grown;
      }
      // Per step, as Prometheus checks each step's vector.
      if (lastStep[o.id] === i + 1) execError(`vector cannot contain metrics with the same labelset`);
      lastStep[o.id] = i + 1;
      let m = byId[o.id];
      if (m === undefined) {
        m = byId[o.id] = { metric: o.metric, points: [] };
        out.push(m);
      }
      m.points.push(withHistogram({ t, v: s.v }, s.h));
    }
  }
  return out.sort((a, b) => compareLabels(a.metric, b.metric));
}

/**
 * finishRange over a SeriesVector, without its per-step samples: series
 * whose final label sets are equal become one (each step may hold only one
 * of them), named after the one with the earliest sample.
 */
function finishBySeries(sv: SeriesVector, times: number[]): MatrixSeries[] {
  const n = sv.steps;
  const byKey = new Map<string, { metric: Labels; rows: number[]; first: number }>();
  for (let row = 0; row < sv.labels.length; row++) {
    const first = sv.present.indexOf(1, row * n) - row * n;
    if (first < 0 || first >= n) continue;
    const metric = sv.drop[row] ? withoutName(sv.labels[row]) : sv.labels[row];
    const key = labelsKey(metric);
    const merged = byKey.get(key);
    if (merged === undefined) byKey.set(key, { metric, rows: [row], first });
    else {
      merged.rows.push(row);
      if (first < merged.first) Object.assign(merged, { metric, first });
    }
  }
  const out: MatrixSeries[] = [];
  const at = new Int32Array(n);
  for (const { metric, rows } of byKey.values()) {
    let count = 0;
    for (let i = 0; i < n; i++) {
      at[i] = -1;
      for (const row of rows) {
        if (sv.present[row * n + i] !== 1) continue;
        if (at[i] >= 0) execError(`vector cannot contain metrics with the same labelset`);
        at[i] = row * n + i;
        count++;
      }
    }
    const cols = { t: new Float64Array(count), v: new Float64Array(count) };
    for (let i = 0, k = 0; i < n; i++) {
      if (at[i] < 0) continue;
      cols.t[k] = times[i];
      cols.v[k++] = sv.values[at[i]];
    }
    out.push(columnSeries(metric, cols));
  }
  return out.sort((a, b) => compareLabels(a.metric, b.metric));
}

/** The columns behind a MatrixSeries made by columnSeries, for formatPromApi. */
export const matrixColumns = new WeakMap<MatrixSeries, { t: Float64Array; v: Float64Array }>();

/**
 * A MatrixSeries over columns whose point objects are made only if read:
 * the HTTP API formats from the columns, and a large range answer held a
 * point object per value.
 */
function columnSeries(metric: Labels, cols: { t: Float64Array; v: Float64Array }): MatrixSeries {
  let points: { t: number; v: number }[] | undefined;
  const s: MatrixSeries = {
    metric,
    get points() {
      return (points ??= Array.from(cols.t, (t, i) => ({ t, v: cols.v[i] })));
    },
  };
  matrixColumns.set(s, cols);
  return s;
}
