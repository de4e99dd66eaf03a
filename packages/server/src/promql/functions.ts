/**
 * Function calls: dispatch by kind (range functions over windows, sample
 * maps, and the ones that look at whole vectors: absent, label_*, sort*,
 * histogram_quantile, scalar, vector, time, timestamp).
 */
import type { Call, Expr, Subquery } from './ast.ts';
import { unwrapParens } from './ast.ts';
import { SAMPLE_FUNCTIONS } from './instant-functions.ts';
import { absentLabels, histogramQuantile, labelJoin, labelReplace, sortByLabel, sortByValue } from './vector-functions.ts';
import { KEEPS_NAME, RANGE_FUNCTIONS, type Window } from './range-functions.ts';
import { evalRangeArg, slideWindows } from './selectors.ts';
import type { EvalContext, RangeSeries, Value, Vector } from './values.ts';
import type { Labels } from './labels.ts';
import { info, invalidQuantile, scalarSteps, warn } from './values.ts';

export type Evaluate = (e: Expr, ctx: EvalContext) => Value;
export type EvalSubquery = (e: Subquery, ctx: EvalContext) => RangeSeries[];

function scalarArg(e: Expr, ctx: EvalContext, evaluate: Evaluate): Float64Array {
  const v = evaluate(e, ctx);
  return v.type === 'scalar' ? v.v : new Float64Array(ctx.times.length).fill(NaN);
}

function stringArg(e: Expr, ctx: EvalContext, evaluate: Evaluate): string {
  const v = evaluate(e, ctx);
  return v.type === 'string' ? v.s : '';
}

function vectorArg(e: Expr, ctx: EvalContext, evaluate: Evaluate): Vector[] {
  const v = evaluate(e, ctx);
  return v.type === 'vector' ? v.steps : ctx.times.map(() => []);
}

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

/** Annotations of range functions, raised for a series whose window holds samples. */
function rangeAnnotations(e: Call, labels: Labels, w: Window, ctx: EvalContext): void {
  const f = e.func;
  const arg = e.args.find((a) => a.kind === 'matrix-selector' || a.kind === 'subquery') ?? e;
  if (f === 'rate' || f === 'increase' || f === 'irate') {
    const name = labels.__name__;
    if (name !== undefined && name !== '' && !COUNTER_SUFFIXES.some((x) => name.endsWith(x))) {
      info(ctx, `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${JSON.stringify(name)}`, arg.pos);
    }
  }
  if (f === 'quantile_over_time') invalidQuantile(ctx, w.params[0], e.args[0].pos);
}

export function evalCall(e: Call, ctx: EvalContext, evaluate: Evaluate, evalSub: EvalSubquery): Value {
  const n = ctx.times.length;
  const f = e.func;
  const rangeFn = RANGE_FUNCTIONS[f];
  if (rangeFn || f === 'absent_over_time') {
    const argIdx = e.args.findIndex((a) => a.kind === 'matrix-selector' || a.kind === 'subquery');
    const params = e.args.filter((_, i) => i !== argIdx).map((a) => scalarArg(a, ctx, evaluate));
    const rangeExpr = e.args[argIdx] as Parameters<typeof evalRangeArg>[0];
    const arg = evalRangeArg(rangeExpr, ctx, evalSub);
    const steps: Vector[] = ctx.times.map(() => []);
    const keep = KEEPS_NAME.has(f);
    if (f === 'absent_over_time') {
      const present = new Uint8Array(n);
      slideWindows(arg, (_s, lo, hi, i) => { if (hi > lo) present[i] = 1; }, ctx);
      const labels = absentLabels(rangeExpr);
      for (let i = 0; i < n; i++) if (!present[i]) steps[i].push({ labels, v: 1 });
      return { type: 'vector', steps };
    }
    const w: Window = { t: [], v: [], lo: 0, hi: 0, start: 0, end: 0, rangeMs: arg.rangeMs, stepTime: 0, params: [] };
    slideWindows(arg, (s, lo, hi, i) => {
      w.t = s.t; w.v = s.v; w.lo = lo; w.hi = hi;
      w.end = arg.ends[i]; w.start = arg.ends[i] - arg.rangeMs;
      w.stepTime = ctx.times[i];
      if (params.length > 0) w.params = params.map((p) => p[i]);
      if (hi > lo) rangeAnnotations(e, s.labels, w, ctx);
      const out = rangeFn(w);
      if (out !== undefined) steps[i].push({ labels: s.labels, v: out, drop: keep ? s.drop : true });
    }, ctx);
    return { type: 'vector', steps };
  }
  const sampleFn = SAMPLE_FUNCTIONS[f];
  if (sampleFn) {
    if (e.args.length === 0) {
      return { type: 'vector', steps: ctx.times.map((t) => [{ labels: {}, v: sampleFn(t / 1000, []) }]) };
    }
    const vec = vectorArg(e.args[0], ctx, evaluate);
    const params = e.args.slice(1).map((a) => scalarArg(a, ctx, evaluate));
    return {
      type: 'vector',
      steps: vec.map((samples, i) => {
        const p = params.map((x) => x[i]);
        // clamp with min > max gives an empty vector, as in Prometheus.
        if (f === 'clamp' && p[0] > p[1]) return [];
        return samples.map((s) => ({ labels: s.labels, v: sampleFn(s.v, p), drop: true }));
      }),
    };
  }
  switch (f) {
    case 'time':
      return { type: 'scalar', v: Float64Array.from(ctx.times, (t) => t / 1000) };
    case 'pi':
      return scalarSteps(n, Math.PI);
    case 'vector': {
      const s = scalarArg(e.args[0], ctx, evaluate);
      return { type: 'vector', steps: ctx.times.map((_, i) => [{ labels: {}, v: s[i] }]) };
    }
    case 'scalar': {
      const vec = vectorArg(e.args[0], ctx, evaluate);
      return { type: 'scalar', v: Float64Array.from(vec, (s) => (s.length === 1 ? s[0].v : NaN)) };
    }
    case 'timestamp': {
      const isSelector = unwrapParens(e.args[0]).kind === 'vector-selector';
      const vec = vectorArg(e.args[0], ctx, evaluate);
      return {
        type: 'vector',
        steps: vec.map((samples, i) => samples.map((s) => ({ labels: s.labels, v: (isSelector && s.t !== undefined ? s.t : ctx.times[i]) / 1000, drop: true }))),
      };
    }
    case 'absent': {
      const vec = vectorArg(e.args[0], ctx, evaluate);
      const labels = absentLabels(e.args[0]);
      return { type: 'vector', steps: vec.map((s) => (s.length === 0 ? [{ labels, v: 1 }] : [])) };
    }
    case 'sort':
    case 'sort_desc':
    case 'sort_by_label':
    case 'sort_by_label_desc':
      if (ctx.rangeQuery) warn(ctx, 'sort is ineffective for range queries since results are always ordered by labels', e.pos);
  }
  switch (f) {
    case 'sort':
    case 'sort_desc':
      return { type: 'vector', steps: vectorArg(e.args[0], ctx, evaluate).map((s) => sortByValue(s, f === 'sort_desc')) };
    case 'sort_by_label':
    case 'sort_by_label_desc': {
      const names = e.args.slice(1).map((a) => stringArg(a, ctx, evaluate));
      return { type: 'vector', steps: vectorArg(e.args[0], ctx, evaluate).map((s) => sortByLabel(s, names, f === 'sort_by_label_desc')) };
    }
    case 'label_replace': {
      const [dst, repl, src, re] = e.args.slice(1).map((a) => stringArg(a, ctx, evaluate));
      return { type: 'vector', steps: labelReplace(vectorArg(e.args[0], ctx, evaluate), dst, repl, src, re) };
    }
    case 'label_join': {
      const [dst, sep, ...srcs] = e.args.slice(1).map((a) => stringArg(a, ctx, evaluate));
      return { type: 'vector', steps: labelJoin(vectorArg(e.args[0], ctx, evaluate), dst, sep, srcs) };
    }
    case 'histogram_quantile': {
      const q = scalarArg(e.args[0], ctx, evaluate);
      const vec = vectorArg(e.args[1], ctx, evaluate);
      for (const x of q) invalidQuantile(ctx, x, e.args[0].pos);
      const bad = (name: string, le: string): void =>
        warn(ctx, `bucket label "le" is missing or has a malformed value of ${JSON.stringify(le)} for metric name ${JSON.stringify(name)}`, e.args[1].pos);
      const forced = (name: string): void => info(ctx,
        `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name ${JSON.stringify(name)}`,
        e.args[1].pos);
      return { type: 'vector', steps: vec.map((s, i) => histogramQuantile(q[i], s, bad, forced)) };
    }
  }
  throw new Error(`function ${f} has no implementation`);
}
