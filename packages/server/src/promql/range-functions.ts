/**
 * Functions over range vectors (`rate(x[5m])`, `*_over_time`…), each
 * given one series' window [lo, hi) and the window's bounds. They return
 * undefined when Prometheus gives no sample for the series at that step.
 */
import { kahanSumInc, promMean, promVariance, quantile } from './math.ts';

export interface Window {
  t: Float64Array;
  v: Float64Array;
  lo: number;
  hi: number;
  /** Window bounds (rangeStart, rangeEnd], ms. */
  start: number;
  end: number;
  rangeMs: number;
  /** The step's evaluation time (predict_linear extrapolates from it). */
  stepTime: number;
  /** Scalar arguments at this step, in call order. */
  params: number[];
}

export type RangeFn = (w: Window) => number | undefined;

/**
 * Per series, how many counter resets come up to each sample: a window
 * without any (the usual case) skips the walk over its samples. Kept for
 * the last series asked about, since windows come one series at a time.
 */
function resetCounter(): (v: Float64Array) => Int32Array {
  let series: Float64Array | undefined;
  let counts = new Int32Array(0);
  return (v) => {
    if (v !== series) {
      series = v;
      counts = new Int32Array(v.length);
      for (let i = 1; i < v.length; i++) counts[i] = counts[i - 1] + (v[i] < v[i - 1] ? 1 : 0);
    }
    return counts;
  };
}

function extrapolated(isCounter: boolean, isRate: boolean): RangeFn {
  const resets = resetCounter();
  return ({ t, v, lo, hi, start, end, rangeMs }) => {
    const n = hi - lo;
    if (n < 2) return undefined;
    let result = v[hi - 1] - v[lo];
    if (isCounter) {
      const counts = resets(v);
      if (counts[hi - 1] !== counts[lo]) {
        let last = 0;
        for (let i = lo; i < hi; i++) {
          if (v[i] < last) result += last;
          last = v[i];
        }
      }
    }
    return result * extrapolationFactor(t, lo, hi, start, end, rangeMs, isCounter, isRate, v[lo], result);
  };
}

/**
 * What rate/increase/delta multiply the change over a window by: the
 * sampled interval extended towards the window's edges (by half a sample
 * interval at most, and for counters not below zero, judged from the first
 * value and the change), per second of the range for rates.
 */
export function extrapolationFactor(
  t: Float64Array, lo: number, hi: number, start: number, end: number, rangeMs: number,
  isCounter: boolean, isRate: boolean, first: number, change: number,
): number {
  const firstT = t[lo];
  const lastT = t[hi - 1];
  let toStart = (firstT - start) / 1000;
  let toEnd = (end - lastT) / 1000;
  const sampled = (lastT - firstT) / 1000;
  const avg = sampled / (hi - lo - 1);
  const threshold = avg * 1.1;
  if (toStart >= threshold) toStart = avg / 2;
  if (isCounter) {
    let toZero = toStart;
    if (change > 0 && first >= 0) toZero = sampled * (first / change);
    if (toZero < toStart) toStart = toZero;
  }
  if (toEnd >= threshold) toEnd = avg / 2;
  let factor = (sampled + toStart + toEnd) / sampled;
  if (isRate) factor /= rangeMs / 1000;
  return factor;
}

function instant(isRate: boolean): RangeFn {
  return ({ t, v, lo, hi }) => {
    if (hi - lo < 2) return undefined;
    const last = v[hi - 1];
    const prev = v[hi - 2];
    let result = isRate && last < prev ? last : last - prev;
    if (!isRate) return result;
    const dt = t[hi - 1] - t[hi - 2];
    if (dt === 0) return undefined;
    return (result / dt) * 1000;
  };
}

function linearRegression(t: Float64Array, v: Float64Array, lo: number, hi: number, interceptTime: number): [number, number] {
  let n = 0, sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
  const initY = v[lo];
  let constY = true;
  for (let i = lo; i < hi; i++) {
    if (constY && i > lo && v[i] !== initY) constY = false;
    n++;
    const x = (t[i] - interceptTime) / 1000;
    [sumX, cX] = kahanSumInc(x, sumX, cX);
    [sumY, cY] = kahanSumInc(v[i], sumY, cY);
    [sumXY, cXY] = kahanSumInc(x * v[i], sumXY, cXY);
    [sumX2, cX2] = kahanSumInc(x * x, sumX2, cX2);
  }
  if (constY) return Number.isFinite(initY) || Number.isNaN(initY) ? [0, initY] : [NaN, NaN];
  sumX += cX; sumY += cY; sumXY += cXY; sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

const nonEmpty = (f: RangeFn): RangeFn => (w) => (w.hi > w.lo ? f(w) : undefined);
const slice = (w: Window): number[] => Array.from(w.v.subarray(w.lo, w.hi));

function extreme(pick: (cur: number, best: number) => boolean, ts: boolean): RangeFn {
  return nonEmpty(({ t, v, lo, hi }) => {
    let best = v[lo];
    let bestT = t[lo];
    for (let i = lo + 1; i < hi; i++) {
      if (pick(v[i], best) || Number.isNaN(best)) {
        best = v[i];
        bestT = t[i];
      }
    }
    return ts ? bestT / 1000 : best;
  });
}

function holtWinters({ v, lo, hi, params }: Window): number | undefined {
  const [sf, tf] = params;
  if (!(sf > 0 && sf < 1) || !(tf > 0 && tf < 1)) return undefined;
  if (hi - lo < 2) return undefined;
  let s1 = v[lo];
  let b = v[lo + 1] - v[lo];
  let s0 = s1;
  for (let i = lo + 1; i < hi; i++) {
    const x = sf * v[i];
    if (i > lo + 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

export const RANGE_FUNCTIONS: Record<string, RangeFn> = {
  rate: extrapolated(true, true),
  increase: extrapolated(true, false),
  delta: extrapolated(false, false),
  irate: instant(true),
  idelta: instant(false),
  deriv: (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w.t, w.v, w.lo, w.hi, w.t[w.lo])[0]),
  predict_linear: (w) => {
    if (w.hi - w.lo < 2) return undefined;
    const [slope, intercept] = linearRegression(w.t, w.v, w.lo, w.hi, w.stepTime);
    return intercept + slope * w.params[0];
  },
  resets: nonEmpty(({ v, lo, hi }) => {
    let n = 0;
    for (let i = lo + 1; i < hi; i++) if (v[i] < v[i - 1]) n++;
    return n;
  }),
  changes: nonEmpty(({ v, lo, hi }) => {
    let n = 0;
    for (let i = lo + 1; i < hi; i++) if (v[i] !== v[i - 1] && !(Number.isNaN(v[i]) && Number.isNaN(v[i - 1]))) n++;
    return n;
  }),
  avg_over_time: nonEmpty((w) => promMean(w.v, w.lo, w.hi)),
  sum_over_time: nonEmpty(({ v, lo, hi }) => {
    let sum = 0, c = 0;
    for (let i = lo; i < hi; i++) [sum, c] = kahanSumInc(v[i], sum, c);
    return Number.isFinite(sum) ? sum + c : sum;
  }),
  count_over_time: nonEmpty((w) => w.hi - w.lo),
  min_over_time: extreme((cur, best) => cur < best, false),
  max_over_time: extreme((cur, best) => cur > best, false),
  ts_of_min_over_time: extreme((cur, best) => cur <= best, true),
  ts_of_max_over_time: extreme((cur, best) => cur >= best, true),
  last_over_time: nonEmpty((w) => w.v[w.hi - 1]),
  first_over_time: nonEmpty((w) => w.v[w.lo]),
  ts_of_last_over_time: nonEmpty((w) => w.t[w.hi - 1] / 1000),
  ts_of_first_over_time: nonEmpty((w) => w.t[w.lo] / 1000),
  present_over_time: nonEmpty(() => 1),
  stddev_over_time: nonEmpty((w) => Math.sqrt(promVariance(w.v, w.lo, w.hi))),
  stdvar_over_time: nonEmpty((w) => promVariance(w.v, w.lo, w.hi)),
  quantile_over_time: nonEmpty((w) => quantile(w.params[0], slice(w))),
  mad_over_time: nonEmpty((w) => {
    const values = slice(w);
    // A NaN sample makes the deviation unknown, rather than moving the median.
    if (values.some(Number.isNaN)) return NaN;
    const median = quantile(0.5, values);
    return quantile(0.5, values.map((x) => Math.abs(x - median)));
  }),
  double_exponential_smoothing: holtWinters,
};

/** Range functions whose result keeps the metric name. */
export const KEEPS_NAME: ReadonlySet<string> = new Set(['last_over_time', 'first_over_time']);
