/**
 * Function calls: dispatch by kind (range functions over windows, sample
 * maps, and the ones that look at whole vectors: absent, label_*, sort*,
 * histogram_quantile, scalar, vector, time, timestamp).
 */
import type { Call, Expr, Subquery } from './ast.ts';
import { unwrapParens } from './ast.ts';
import { evalInfo } from './info.ts';
import { SAMPLE_FUNCTIONS } from './instant-functions.ts';
import { histogramWindow, type RangeOut } from './histogram-range.ts';
import {
  fractionOfVector, HISTOGRAM_FUNCTIONS, histogramNotes, labelled, mapHistograms, quantileLabel, quantileOfVector,
} from './histogram-functions.ts';
import { absentLabels, labelJoin, labelReplace, sortByLabel, sortByValue } from './vector-functions.ts';
import { KEEPS_NAME, RANGE_FUNCTIONS, type RangeFn, type Window } from './range-functions.ts';
import { evalRangeArg, seriesWindows, type RangeArg } from './selectors.ts';
import type { EvalContext, HistogramColumn, RangeSeries, SeriesVector, Value, Vector } from './values.ts';
import type { Labels } from './labels.ts';
import { info, invalidQuantile, notesAt, scalarSteps, seriesVectorValue, warn } from './values.ts';

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

/** A range vector argument, `x[5m]` or a subquery, possibly in parentheses. */
function isRangeArg(e: Expr): boolean {
  const inner = unwrapParens(e);
  return inner.kind === 'matrix-selector' || inner.kind === 'subquery';
}

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];
const COUNTER_FUNCTIONS: ReadonlySet<string> = new Set(['rate', 'increase', 'irate']);

/** A counter function's info for a series not named as a counter, raised when one of its windows holds float samples. */
function counterNameInfo(labels: Labels, ctx: EvalContext, pos: number): void {
  const name = labels.__name__;
  if (name !== undefined && name !== '' && !COUNTER_SUFFIXES.some((x) => name.endsWith(x))) {
    info(ctx, `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${JSON.stringify(name)}`, pos);
  }
}

/**
 * A range function over every series' windows: into a SeriesVector (no
 * sample object per step) unless that would exceed ctx.maxDenseCells.
 */
function evalRangeFunction(e: Call, rangeFn: RangeFn, arg: RangeArg, params: Float64Array[], ctx: EvalContext): Value {
  const n = ctx.times.length;
  const keep = KEEPS_NAME.has(e.func);
  const size = arg.series.length * n;
  // Dense columns hold floats: a histogram result needs per-step samples.
  const histograms = arg.series.some((s) => s.h !== undefined);
  const sv: SeriesVector | undefined =
    size <= ctx.maxDenseCells && !histograms ? { labels: [], drop: [], steps: n, values: new Float64Array(size), present: new Uint8Array(size) } : undefined;
  const steps: Vector[] = sv ? [] : ctx.times.map(() => []);
  // One window object, moved along: rangeFn is called once per series and step.
  const w: Window = { t: new Float64Array(0), v: new Float64Array(0), lo: 0, hi: 0, start: 0, end: 0, rangeMs: arg.rangeMs, stepTime: 0, params: [] };
  const { ends, rangeMs } = arg;
  const times = ctx.times;
  const quantileArg = e.func === 'quantile_over_time';
  const argPos = e.args.find(isRangeArg)?.pos ?? e.pos;
  const notes = notesAt(ctx, argPos);
  let row = 0;
  seriesWindows(arg, (s, lo, hi) => {
    const drop = keep ? s.drop : true;
    sv?.labels.push(s.labels);
    sv?.drop.push(drop);
    w.t = s.t;
    w.v = s.v;
    const h = s.h;
    const fn: (w: Window) => RangeOut = h ? (win) => histogramWindow(e.func, win, h, s.labels.__name__ ?? '', rangeFn, notes) : rangeFn;
    let annotated = !COUNTER_FUNCTIONS.has(e.func); // the only functions with a per-series note
    for (let i = 0, at = row * n; i < n; i++, at++) {
      w.lo = lo[i];
      w.hi = hi[i];
      w.end = ends[i];
      w.start = ends[i] - rangeMs;
      w.stepTime = times[i];
      if (params.length > 0) w.params = params.map((p) => p[i]);
      if (w.hi > w.lo) {
        // Prometheus' counter-name info speaks of float samples only.
        if (!annotated && (!h || hasFloat(h, w.lo, w.hi))) {
          counterNameInfo(s.labels, ctx, argPos);
          annotated = true;
        }
        if (quantileArg) invalidQuantile(ctx, w.params[0], e.args[0].pos);
      }
      const out = fn(w);
      if (out === undefined) continue;
      if (typeof out !== 'number') steps[i].push({ labels: s.labels, v: 0, h: out, drop });
      else if (sv) {
        sv.values[at] = out;
        sv.present[at] = 1;
      } else {
        steps[i].push({ labels: s.labels, v: out, drop });
      }
    }
    row++;
  }, ctx);
  return sv ? seriesVectorValue(sv) : { type: 'vector', steps };
}

function hasFloat(h: HistogramColumn, lo: number, hi: number): boolean {
  for (let i = lo; i < hi; i++) if (!h[i]) return true;
  return false;
}

export function evalCall(e: Call, ctx: EvalContext, evaluate: Evaluate, evalSub: EvalSubquery): Value {
  const n = ctx.times.length;
  const f = e.func;
  const rangeFn = RANGE_FUNCTIONS[f];
  if (rangeFn || f === 'absent_over_time') {
    const argIdx = e.args.findIndex(isRangeArg);
    const params = e.args.filter((_, i) => i !== argIdx).map((a) => scalarArg(a, ctx, evaluate));
    const rangeExpr = unwrapParens(e.args[argIdx]) as Parameters<typeof evalRangeArg>[0];
    const arg = evalRangeArg(rangeExpr, ctx, evalSub);
    if (f === 'absent_over_time') {
      const present = new Uint8Array(n);
      seriesWindows(arg, (_s, lo, hi) => {
        for (let i = 0; i < n; i++) if (hi[i] > lo[i]) present[i] = 1;
      }, ctx);
      const labels = absentLabels(rangeExpr);
      return { type: 'vector', steps: Array.from(present, (p): Vector => (p ? [] : [{ labels, v: 1 }])) };
    }
    return evalRangeFunction(e, rangeFn, arg, params, ctx);
  }
  const histogramFn = HISTOGRAM_FUNCTIONS[f];
  if (histogramFn) {
    const vec = vectorArg(e.args[0], ctx, evaluate);
    return { type: 'vector', steps: vec.map((samples) => mapHistograms(samples, histogramFn)) };
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
        return samples.flatMap((s) => (s.h ? [] : [{ labels: s.labels, v: sampleFn(s.v, p), drop: true }]));
      }),
    };
  }
  switch (f) {
    case 'time':
      return { type: 'scalar', v: Float64Array.from(ctx.times, (t) => t / 1000) };
    case 'pi':
      return scalarSteps(n, Math.PI);
    case 'info':
      return evalInfo(e, ctx, evaluate);
    case 'start':
      return scalarSteps(n, ctx.queryStart / 1000);
    case 'end':
      return scalarSteps(n, ctx.queryEnd / 1000);
    case 'range':
      return scalarSteps(n, (ctx.queryEnd - ctx.queryStart) / 1000);
    case 'step':
      return scalarSteps(n, ctx.queryStepMs / 1000);
    case 'min_of':
    case 'max_of': {
      const [a, b] = e.args.map((x) => scalarArg(x, ctx, evaluate));
      // Math.min/max return NaN when either side is NaN, as Go's math.Min/Max do.
      const pick = f === 'min_of' ? Math.min : Math.max;
      return { type: 'scalar', v: a.map((x, i) => pick(x, b[i])) };
    }
    case 'vector': {
      const s = scalarArg(e.args[0], ctx, evaluate);
      return { type: 'vector', steps: ctx.times.map((_, i) => [{ labels: {}, v: s[i] }]) };
    }
    case 'scalar': {
      const vec = vectorArg(e.args[0], ctx, evaluate);
      // Histogram samples do not count: the one float sample, if there is exactly one.
      const floats = vec.map((s) => s.filter((x) => !x.h));
      return { type: 'scalar', v: Float64Array.from(floats, (s) => (s.length === 1 ? s[0].v : NaN)) };
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
      // Histograms have no order: sort drops them, as Prometheus does.
      return { type: 'vector', steps: vectorArg(e.args[0], ctx, evaluate).map((s) => sortByValue(s.filter((x) => !x.h), f === 'sort_desc')) };
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
    case 'histogram_fraction': {
      const [lower, upper] = e.args.slice(0, 2).map((a) => scalarArg(a, ctx, evaluate));
      const vec = vectorArg(e.args[2], ctx, evaluate);
      const notes = histogramNotes(ctx, f, e.args[2].pos);
      return { type: 'vector', steps: vec.map((s, i) => fractionOfVector(lower[i], upper[i], s, notes)) };
    }
    case 'histogram_quantile':
    case 'histogram_quantiles': {
      const several = f === 'histogram_quantiles';
      const histogramArg = e.args[several ? 0 : 1];
      const qArgs = several ? e.args.slice(2) : [e.args[0]];
      const label = several ? stringArg(e.args[1], ctx, evaluate) : '';
      const qs = qArgs.map((a) => scalarArg(a, ctx, evaluate));
      qs.forEach((q, k) => q.forEach((x) => invalidQuantile(ctx, x, qArgs[k].pos)));
      const vec = vectorArg(histogramArg, ctx, evaluate);
      const notes = histogramNotes(ctx, 'histogram_quantile', histogramArg.pos);
      if (!several) return { type: 'vector', steps: vec.map((s, i) => quantileOfVector(qs[0][i], s, notes)) };
      return {
        type: 'vector',
        steps: vec.map((s, i) => qs.flatMap((q) => labelled(quantileOfVector(q[i], s, notes), label, quantileLabel(q[i])))),
      };
    }
  }
  throw new Error(`function ${f} has no implementation`);
}
