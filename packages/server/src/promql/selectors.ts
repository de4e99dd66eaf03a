/**
 * Vector and matrix selectors, and subqueries. Each selects its series once
 * for the whole query range and slides over the steps, rather than
 * selecting again per step: range queries cost one store read per selector.
 */
import type { AtModifier, MatrixSelector, Subquery, VectorSelector } from './ast.ts';
import { compileMatchers } from '../logql/index.ts';
import { isStaleNaN, seriesColumns } from '../tsdb/model.ts';
import { labelsKey, type Labels } from './labels.ts';
import type { EvalContext, HistogramColumn, HistogramSeriesColumns, RangeSeries, Value, Vector } from './values.ts';

export function atTime(at: AtModifier | undefined, ctx: EvalContext): number | undefined {
  if (at === undefined) return undefined;
  if (at === 'start') return ctx.queryStart;
  if (at === 'end') return ctx.queryEnd;
  return at;
}

/** The time a selector reads at step i: `@` replaces the step time, then `offset` moves it back. */
function readTimes(at: AtModifier | undefined, offsetMs: number, ctx: EvalContext): number[] {
  const fixed = atTime(at, ctx);
  return ctx.times.map((t) => (fixed ?? t) - offsetMs);
}

function select(vs: VectorSelector, ctx: EvalContext, mint: number, maxt: number): HistogramSeriesColumns[] {
  const q = ctx.querier;
  const series: HistogramSeriesColumns[] = q.selectColumns ? q.selectColumns(vs.matchers, mint, maxt) : q.select(vs.matchers, mint, maxt).map(seriesColumns);
  // Stores may match loosely (or ignore regexes); the engine's matchers decide.
  const test = compileMatchers(vs.matchers);
  return series.filter((s) => test(s.labels));
}


export function evalVectorSelector(vs: VectorSelector, ctx: EvalContext): Value {
  const reads = readTimes(vs.at, vs.offsetMs, ctx);
  const min = Math.min(...reads);
  const max = Math.max(...reads);
  const steps: Vector[] = reads.map(() => []);
  let total = 0;
  for (const { labels, t, v, h } of select(vs, ctx, min - ctx.lookbackMs + 1, max)) {
    let j = -1;
    for (let i = 0; i < reads.length; i++) {
      const te = reads[i];
      if (i > 0 && te < reads[i - 1]) j = -1;
      while (j + 1 < t.length && t[j + 1] <= te) j++;
      if (j < 0) continue;
      if (t[j] <= te - ctx.lookbackMs || (isStaleNaN(v[j]) && !h?.[j])) continue;
      steps[i].push(h?.[j] ? { labels, v: v[j], t: t[j], h: h[j] } : { labels, v: v[j], t: t[j] });
      total++;
    }
  }
  ctx.budget.add(total);
  return { type: 'vector', steps };
}

/** A range-vector argument: series plus, per step, the window (end - range, end]. */
export interface RangeArg {
  series: RangeSeries[];
  rangeMs: number;
  ends: number[];
}

export function evalRangeArg(e: MatrixSelector | Subquery, ctx: EvalContext, evalSub: (sub: Subquery, ctx: EvalContext) => RangeSeries[]): RangeArg {
  if (e.kind === 'matrix-selector') {
    const vs = e.selector;
    const ends = readTimes(vs.at, vs.offsetMs, ctx);
    const min = Math.min(...ends);
    const max = Math.max(...ends);
    const series: RangeSeries[] = [];
    for (const s of select(vs, ctx, min - e.rangeMs + 1, max)) series.push(windowSamples(s, min - e.rangeMs, max));
    return { series, rangeMs: e.rangeMs, ends };
  }
  return { series: evalSub(e, ctx), rangeMs: e.rangeMs, ends: readTimes(e.at, e.offsetMs, ctx) };
}

/** The series' samples in (after, until], without staleness markers (views when nothing is dropped). */
function windowSamples({ labels, t, v, h }: HistogramSeriesColumns, after: number, until: number): RangeSeries {
  const dropped = (i: number): boolean => t[i] <= after || t[i] > until || (isStaleNaN(v[i]) && !h?.[i]);
  let n = 0;
  for (let i = 0; i < t.length; i++) if (!dropped(i)) n++;
  if (n === t.length) return h ? { labels, drop: false, t, v, h } : { labels, drop: false, t, v };
  const kept: RangeSeries = { labels, drop: false, t: new Float64Array(n), v: new Float64Array(n) };
  if (h) kept.h = [];
  for (let i = 0, j = 0; i < t.length; i++) {
    if (dropped(i)) continue;
    kept.t[j] = t[i];
    kept.h?.push(h![i]);
    kept.v[j++] = v[i];
  }
  return kept;
}

/**
 * Walks every series' windows over the steps: for each series, `fn(series,
 * lo, hi)` where [lo[i], hi[i]) are the indices of its samples inside step
 * i's window (end - range, end]. The bounds arrays are reused from one
 * series to the next. Counts the largest total window against the sample
 * budget.
 */
export function seriesWindows(
  arg: RangeArg,
  fn: (s: RangeSeries, lo: Int32Array, hi: Int32Array) => void,
  ctx: EvalContext,
): void {
  const { ends, rangeMs } = arg;
  const n = ends.length;
  const perStep = new Float64Array(n);
  const los = new Int32Array(n);
  const his = new Int32Array(n);
  for (const s of arg.series) {
    const t = s.t;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const end = ends[i];
      if (i > 0 && end < ends[i - 1]) lo = hi = 0;
      while (hi < t.length && t[hi] <= end) hi++;
      while (lo < hi && t[lo] <= end - rangeMs) lo++;
      perStep[i] += hi - lo;
      los[i] = lo;
      his[i] = hi;
    }
    fn(s, los, his);
  }
  let peak = 0;
  for (const x of perStep) peak = Math.max(peak, x);
  ctx.budget.add(peak);
  ctx.budget.release(peak);
}

/** Collects per-step vectors into series (for subqueries and range results). */
export function toSeries(value: Value, times: number[]): RangeSeries[] {
  if (value.type === 'scalar') return [{ labels: {}, drop: false, t: Float64Array.from(times), v: Float64Array.from(value.v) }];
  if (value.type !== 'vector') return [];
  const byKey = new Map<string, { labels: Labels; drop: boolean; t: number[]; v: number[]; h?: HistogramColumn }>();
  const keys = new WeakMap<object, string>();
  value.steps.forEach((vec, i) => {
    for (const smp of vec) {
      let key = keys.get(smp.labels);
      if (key === undefined) {
        key = labelsKey(smp.labels) + (smp.drop ? '\x00' : '');
        keys.set(smp.labels, key);
      }
      let s = byKey.get(key);
      if (!s) byKey.set(key, (s = { labels: smp.labels, drop: smp.drop === true, t: [], v: [] }));
      // The histogram column starts with the series' first histogram: float series never get one.
      if (smp.h && !s.h) s.h = new Array<undefined>(s.t.length).fill(undefined);
      s.t.push(times[i]);
      s.v.push(smp.v);
      s.h?.push(smp.h);
    }
  });
  return [...byKey.values()].map((s): RangeSeries => {
    const out: RangeSeries = { labels: s.labels, drop: s.drop, t: Float64Array.from(s.t), v: Float64Array.from(s.v) };
    if (s.h) out.h = s.h;
    return out;
  });
}
