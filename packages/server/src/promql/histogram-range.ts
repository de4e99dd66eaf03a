/**
 * Range functions over windows that hold native histograms, as Prometheus
 * evaluates them: rate/increase/delta and irate/idelta give histograms,
 * sum/avg_over_time add them up, resets/changes compare them, and the
 * float-only functions ignore them. A window without histograms goes to
 * the float function unchanged.
 */
import {
  addHistograms, compactHistogram, detectReset, divideHistogram, emptyHistogram, IncompatibleSchemasError,
  scaleHistogram, usesCustomBuckets, type FloatHistogram,
} from './histogram.ts';
import { histogramsIdentical } from './histogram-binary.ts';
import { averageHistograms, sumHistograms } from './histogram-sum.ts';
import { extrapolationFactor, type RangeFn, type Window } from './range-functions.ts';
import type { HistogramColumn, Notes } from './values.ts';

export type RangeOut = number | FloatHistogram | undefined;


/** Functions of float samples only: histograms in their windows are ignored. */
const FLOATS_ONLY: ReadonlySet<string> = new Set([
  'deriv', 'predict_linear', 'double_exponential_smoothing', 'min_over_time', 'max_over_time', 'stddev_over_time',
  'stdvar_over_time', 'mad_over_time', 'quantile_over_time', 'ts_of_min_over_time', 'ts_of_max_over_time',
]);

/** Functions that look at sample times and counts only: any sample type will do. */
const ANY_SAMPLE: ReadonlySet<string> = new Set(['count_over_time', 'present_over_time', 'ts_of_first_over_time', 'ts_of_last_over_time']);

const mixedWarning = (name: string): string => `encountered a mix of histograms and floats for metric name ${JSON.stringify(name)}`;
const schemasWarning = (name: string): string =>
  `vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${JSON.stringify(name)}`;

/** One window of function `f` over a series whose histogram column is `h`. */
export function histogramWindow(f: string, w: Window, h: HistogramColumn, name: string, floatFn: RangeFn, notes: Notes): RangeOut {
  const { lo, hi } = w;
  let histograms = 0;
  for (let i = lo; i < hi; i++) if (h[i]) histograms++;
  if (histograms === 0 || ANY_SAMPLE.has(f)) return floatFn(w);
  const floats = hi - lo - histograms;
  if (f === 'last_over_time') return h[hi - 1] ?? w.v[hi - 1];
  if (f === 'first_over_time') return h[lo] ?? w.v[lo];
  if (FLOATS_ONLY.has(f)) {
    if (floats === 0) return undefined;
    notes.info(`ignored histograms in a range containing both floats and histograms for metric name ${JSON.stringify(name)}`);
    return floatFn(floatsOnly(w, h));
  }
  if (f === 'resets' || f === 'changes') return countTransitions(f, w, h);
  if (f === 'irate' || f === 'idelta') return instantHistogram(f === 'irate', w, h, name, floatFn, notes);
  if (floats > 0) {
    notes.warn(mixedWarning(name));
    return undefined;
  }
  const hs = h.slice(lo, hi) as FloatHistogram[];
  try {
    switch (f) {
      case 'sum_over_time': return sumHistograms(hs, reconciledNote(notes, 'aggregation'));
      case 'avg_over_time': return averageHistograms(hs, reconciledNote(notes, 'aggregation'));
      case 'rate': return extrapolatedHistogram(w, hs, true, true, name, notes);
      case 'increase': return extrapolatedHistogram(w, hs, true, false, name, notes);
      case 'delta': return extrapolatedHistogram(w, hs, false, false, name, notes);
      default: return undefined;
    }
  } catch (err) {
    if (!(err instanceof IncompatibleSchemasError)) throw err;
    notes.warn(schemasWarning(name));
    return undefined;
  }
}

/** The window's float samples as a window of their own. */
function floatsOnly(w: Window, h: HistogramColumn): Window {
  const t: number[] = [];
  const v: number[] = [];
  for (let i = w.lo; i < w.hi; i++) {
    if (h[i]) continue;
    t.push(w.t[i]);
    v.push(w.v[i]);
  }
  return { ...w, t: Float64Array.from(t), v: Float64Array.from(v), lo: 0, hi: t.length };
}

function reconciledNote(notes: Notes, what: string): () => void {
  return () => notes.info(`mismatched custom buckets were reconciled during ${what}`);
}

/** resets: a type switch or a detected reset counts; changes: a type switch or any difference counts. */
function countTransitions(f: 'resets' | 'changes', w: Window, h: HistogramColumn): number {
  let n = 0;
  for (let i = w.lo + 1; i < w.hi; i++) {
    const [prev, cur] = [h[i - 1], h[i]];
    if (!prev && !cur) {
      const [a, b] = [w.v[i - 1], w.v[i]];
      if (f === 'resets' ? b < a : a !== b && !(Number.isNaN(a) && Number.isNaN(b))) n++;
    } else if (!prev || !cur) n++;
    else if (f === 'resets' ? detectReset(cur, prev) : !histogramsIdentical(cur, prev)) n++;
  }
  return n;
}

/** irate/idelta from the window's last two samples. */
function instantHistogram(isRate: boolean, w: Window, h: HistogramColumn, name: string, floatFn: RangeFn, notes: Notes): RangeOut {
  const { t, hi } = w;
  if (hi - w.lo < 2) return undefined;
  const [prev, cur] = [h[hi - 2], h[hi - 1]];
  if (!prev && !cur) return floatFn(w);
  const dt = t[hi - 1] - t[hi - 2];
  if (dt === 0) return undefined;
  if (!prev || !cur) {
    notes.warn(mixedWarning(name));
    return undefined;
  }
  if (isRate && (prev.hint === 'gauge' || cur.hint === 'gauge')) notes.warn(`this native histogram metric is not a counter: ${JSON.stringify(name)}`);
  if (!isRate && (prev.hint !== 'gauge' || cur.hint !== 'gauge')) notes.warn(`this native histogram metric is not a gauge: ${JSON.stringify(name)}`);
  let result = cur;
  if (!isRate || !detectReset(cur, prev)) {
    try {
      result = addHistograms(cur, prev, -1, reconciledNote(notes, 'subtraction'));
    } catch (err) {
      if (!(err instanceof IncompatibleSchemasError)) throw err;
      notes.warn(schemasWarning(name));
      return undefined;
    }
  }
  result = compactHistogram({ ...result, hint: 'gauge' });
  return isRate ? divideHistogram(result, dt / 1000) : result;
}

/** rate/increase/delta of a window of histograms (Prometheus' histogramRate plus extrapolation). */
function extrapolatedHistogram(w: Window, hs: FloatHistogram[], isCounter: boolean, isRate: boolean, name: string, notes: Notes): RangeOut {
  if (hs.length < 2) return undefined;
  const last = hs[hs.length - 1];
  let prev = hs[0];
  if (isCounter && hs.some((x) => x.hint === 'gauge')) {
    notes.warn(`this native histogram metric is not a counter: ${JSON.stringify(name)}`);
  }
  // A reset between the first two samples: the first one's layout does not matter.
  if (isCounter && detectReset(hs[1], prev)) prev = { ...emptyHistogram(hs[1].schema), customValues: hs[1].customValues };
  const custom = usesCustomBuckets(prev);
  if (hs.slice(1).some((x) => usesCustomBuckets(x) !== custom)) throw new IncompatibleSchemasError();
  let change = addHistograms(last, prev, -1, reconciledNote(notes, 'subtraction'));
  if (isCounter) {
    let before = prev;
    for (let i = 1; i < hs.length; i++) {
      if (detectReset(hs[i], before)) change = addHistograms(change, before, 1, reconciledNote(notes, 'addition'));
      before = hs[i];
    }
  } else if (hs[0].hint !== 'gauge' || last.hint !== 'gauge') {
    notes.warn(`this native histogram metric is not a gauge: ${JSON.stringify(name)}`);
  }
  change = compactHistogram({ ...change, hint: 'gauge' });
  const factor = extrapolationFactor(w.t, w.lo, w.hi, w.start, w.end, w.rangeMs, isCounter, isRate, hs[0].count, change.count);
  return scaleHistogram(change, factor);
}
