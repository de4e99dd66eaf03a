/**
 * The evaluator: one function per node kind, each evaluating its node over
 * every step of the query at once.
 */
import type { Expr, Subquery } from './ast.ts';
import { SET_OPS } from './ast.ts';
import { aggregateSeries, canAggregateSeries } from './aggregate-series.ts';
import { aggregateStep, checkAggregateParam, warnRatio, type GroupCache } from './aggregations.ts';
import { makeSignature, scalarBinary, setOperation, vectorScalar, vectorVector } from './binary.ts';
import { evalCall } from './functions.ts';
import { atTime, evalRangeArg, evalVectorSelector, seriesWindows, toSeries } from './selectors.ts';
import { scaleHistogram } from './histogram.ts';
import type { EvalContext, RangeSeries, Value, VSample, Vector } from './values.ts';
import { invalidQuantile, notesAt, scalarSteps } from './values.ts';

export function evaluate(e: Expr, ctx: EvalContext): Value {
  ctx.budget.checkDeadline();
  switch (e.kind) {
    case 'number': return scalarSteps(ctx.times.length, e.value);
    case 'string': return { type: 'string', s: e.value };
    case 'paren': return evaluate(e.expr, ctx);
    case 'vector-selector': return evalVectorSelector(e, ctx);
    case 'matrix-selector':
    case 'subquery': {
      // Only an instant query returns a range vector; it is the window at its one step.
      const arg = evalRangeArg(e, ctx, evalSubquery);
      const series: RangeSeries[] = [];
      seriesWindows(arg, (s, lo, hi) => {
        for (let i = 0; i < lo.length; i++) {
          if (hi[i] <= lo[i]) continue;
          const window: RangeSeries = { labels: s.labels, drop: s.drop, t: s.t.slice(lo[i], hi[i]), v: s.v.slice(lo[i], hi[i]) };
          if (s.h) window.h = s.h.slice(lo[i], hi[i]);
          series.push(window);
        }
      }, ctx);
      return { type: 'matrix', series };
    }
    case 'unary': {
      const v = evaluate(e.expr, ctx);
      if (e.op === '+') return v;
      if (v.type === 'scalar') return { type: 'scalar', v: v.v.map((x) => -x) };
      if (v.type === 'vector') return { type: 'vector', steps: v.steps.map((vec) => vec.map(negate)) };
      return v;
    }
    case 'binary': {
      const l = evaluate(e.lhs, ctx);
      const r = evaluate(e.rhs, ctx);
      if (l.type === 'scalar' && r.type === 'scalar') {
        return { type: 'scalar', v: l.v.map((x, i) => scalarBinary(e.op, x, r.v[i], e.bool)) };
      }
      const notes = notesAt(ctx, e.pos);
      if (l.type === 'vector' && r.type === 'scalar') return { type: 'vector', steps: l.steps.map((vec, i) => vectorScalar(e, vec, r.v[i], true, notes)) };
      if (l.type === 'scalar' && r.type === 'vector') return { type: 'vector', steps: r.steps.map((vec, i) => vectorScalar(e, vec, l.v[i], false, notes)) };
      if (l.type !== 'vector' || r.type !== 'vector') throw new Error('binary operands were not type-checked');
      const sig = makeSignature(e);
      if (SET_OPS.has(e.op)) return { type: 'vector', steps: l.steps.map((vec, i) => setOperation(e.op, vec, r.steps[i], sig)) };
      return { type: 'vector', steps: l.steps.map((vec, i) => vectorVector(e, vec, r.steps[i], sig, notes)) };
    }
    case 'aggregate': {
      const inner = evaluate(e.expr, ctx);
      let params: (number | string | undefined)[] = [];
      if (e.param) {
        const p = evaluate(e.param, ctx);
        params = p.type === 'scalar' ? [...p.v] : p.type === 'string' ? ctx.times.map(() => p.s) : [];
        if (e.op === 'quantile') for (const q of params) invalidQuantile(ctx, q as number, e.param.pos);
        if (e.op === 'limit_ratio') for (const r of params) warnRatio(ctx, r as number, e.param.pos);
      }
      if (inner.type === 'vector' && inner.bySeries && canAggregateSeries(e.op)) {
        return { type: 'vector', steps: aggregateSeries(e, inner.bySeries, params, (p) => checkAggregateParam(e, p)) };
      }
      const steps: Vector[] = inner.type === 'vector' ? inner.steps : ctx.times.map(() => []);
      const cache: GroupCache = new WeakMap();
      const notes = notesAt(ctx, e.pos);
      return {
        type: 'vector',
        steps: steps.map((vec, i) => {
          if (e.param) checkAggregateParam(e, params[i]);
          return aggregateStep(e, vec, params[i], cache, notes);
        }),
      };
    }
    case 'call':
      return evalCall(e, ctx, evaluate, evalSubquery);
  }
}

function negate(s: VSample): VSample {
  if (s.h) return { labels: s.labels, v: 0, h: scaleHistogram(s.h, -1), drop: true };
  return { labels: s.labels, v: -s.v, drop: true };
}

/**
 * A subquery's inner expression, evaluated once over every inner step the
 * outer steps need: steps aligned to multiples of the subquery step, from
 * the first one after (start - offset - range) up to (end - offset).
 */
export function evalSubquery(e: Subquery, ctx: EvalContext): RangeSeries[] {
  const step = e.stepMs || ctx.subqueryStepMs;
  const fixed = atTime(e.at, ctx);
  const outerStart = fixed ?? ctx.times[0];
  const outerEnd = fixed ?? ctx.times[ctx.times.length - 1];
  const from = outerStart - e.offsetMs - e.rangeMs;
  let start = Math.trunc(from / step) * step;
  if (start <= from) start += step;
  const end = outerEnd - e.offsetMs;
  const times: number[] = [];
  for (let t = start; t <= end; t += step) times.push(t);
  if (times.length === 0) return [];
  const inner: EvalContext = { ...ctx, times };
  return toSeries(evaluate(e.expr, inner), times).map(withoutResetHints);
}

/**
 * A subquery's histograms keep no counter-reset hints but gauge: a hint
 * speaks of the sample stored before, which a subquery may have skipped or
 * repeated. Resets are then found from the counts.
 */
function withoutResetHints(s: RangeSeries): RangeSeries {
  if (!s.h) return s;
  return { ...s, h: s.h.map((h) => (h && h.hint !== 'gauge' && h.hint !== 'unknown' ? { ...h, hint: 'unknown' } : h)) };
}
