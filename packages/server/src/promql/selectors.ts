/**
 * Vector and matrix selectors, and subqueries. Each selects its series once
 * for the whole query range and slides over the steps, rather than
 * selecting again per step: range queries cost one store read per selector.
 */
import type { AtModifier, MatrixSelector, Subquery, VectorSelector } from './ast.ts';
import { compileMatchers } from '../logql/index.ts';
import { isStaleNaN } from '../tsdb/model.ts';
import { labelsKey } from './labels.ts';
import type { EvalContext, RangeSeries, Value, Vector } from './values.ts';

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

function select(vs: VectorSelector, ctx: EvalContext, mint: number, maxt: number) {
  const series = ctx.querier.select(vs.matchers, mint, maxt);
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
  for (const s of select(vs, ctx, min - ctx.lookbackMs + 1, max)) {
    const samples = s.samples;
    let j = -1;
    for (let i = 0; i < reads.length; i++) {
      const te = reads[i];
      if (i > 0 && te < reads[i - 1]) j = -1;
      while (j + 1 < samples.length && samples[j + 1].t <= te) j++;
      if (j < 0) continue;
      const smp = samples[j];
      if (smp.t <= te - ctx.lookbackMs || isStaleNaN(smp.v)) continue;
      steps[i].push({ labels: s.labels, v: smp.v, t: smp.t });
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
    for (const s of select(vs, ctx, min - e.rangeMs + 1, max)) {
      const t: number[] = [];
      const v: number[] = [];
      for (const smp of s.samples) {
        if (isStaleNaN(smp.v) || smp.t <= min - e.rangeMs || smp.t > max) continue;
        t.push(smp.t);
        v.push(smp.v);
      }
      series.push({ labels: s.labels, drop: false, t, v });
    }
    return { series, rangeMs: e.rangeMs, ends };
  }
  return { series: evalSub(e, ctx), rangeMs: e.rangeMs, ends: readTimes(e.at, e.offsetMs, ctx) };
}

/**
 * Walks every series' window over the steps, calling `fn(series, lo, hi, step)`
 * with the sample indices [lo, hi) inside (end - range, end]. Counts the
 * largest total window against the sample budget.
 */
export function slideWindows(
  arg: RangeArg,
  fn: (s: RangeSeries, lo: number, hi: number, step: number) => void,
  ctx: EvalContext,
): void {
  const perStep = new Float64Array(arg.ends.length);
  for (const s of arg.series) {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < arg.ends.length; i++) {
      const end = arg.ends[i];
      if (i > 0 && end < arg.ends[i - 1]) lo = hi = 0;
      while (hi < s.t.length && s.t[hi] <= end) hi++;
      while (lo < hi && s.t[lo] <= end - arg.rangeMs) lo++;
      perStep[i] += hi - lo;
      fn(s, lo, hi, i);
    }
  }
  let peak = 0;
  for (const n of perStep) peak = Math.max(peak, n);
  ctx.budget.add(peak);
  ctx.budget.release(peak);
}

/** Collects per-step vectors into series (for subqueries and range results). */
export function toSeries(value: Value, times: number[]): RangeSeries[] {
  if (value.type === 'scalar') return [{ labels: {}, drop: false, t: [...times], v: [...value.v] }];
  if (value.type !== 'vector') return [];
  const byKey = new Map<string, RangeSeries>();
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
      s.t.push(times[i]);
      s.v.push(smp.v);
    }
  });
  return [...byKey.values()];
}
