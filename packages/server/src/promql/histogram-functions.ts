/**
 * Functions of native histogram samples: histogram_count, _sum, _avg,
 * _stddev, _stdvar; and histogram_fraction, histogram_quantile(s) over a
 * vector that may mix native histograms with classic `le` bucket series.
 */
import { hasNanObservations, histogramFraction, histogramQuantile as nativeQuantile, histogramVariance } from './histogram-stats.ts';
import type { FloatHistogram } from './histogram.ts';
import { keyWithout, labelsKey, withoutName, type Labels } from './labels.ts';
import { parseNumber } from './literals.ts';
import type { EvalContext, VSample, Vector } from './values.ts';
import { info, warn } from './values.ts';
import { histogramQuantile as classicQuantile } from './vector-functions.ts';

type HistogramStat = (h: FloatHistogram) => number;

export const HISTOGRAM_FUNCTIONS: Record<string, HistogramStat> = {
  histogram_count: (h) => h.count,
  histogram_sum: (h) => h.sum,
  histogram_avg: (h) => h.sum / h.count,
  histogram_stddev: (h) => Math.sqrt(histogramVariance(h)),
  histogram_stdvar: (h) => histogramVariance(h),
};

/** Each histogram sample mapped to a float; float samples have no result. */
export function mapHistograms(vec: Vector, stat: HistogramStat): Vector {
  const out: Vector = [];
  for (const s of vec) if (s.h) out.push({ labels: s.labels, v: stat(s.h), drop: true });
  return out;
}

/** The samples with `name` set to `value` (histogram_quantiles' quantile label). */
export function labelled(vec: Vector, name: string, value: string): Vector {
  return vec.map((s) => ({ ...s, labels: { ...s.labels, [name]: value } }));
}

/** A quantile as histogram_quantiles writes it in its label: whole numbers with one decimal. */
export function quantileLabel(q: number): string {
  if (Number.isNaN(q)) return 'NaN';
  if (!Number.isFinite(q)) return q > 0 ? '+Inf' : '-Inf';
  return Number.isInteger(q) ? q.toFixed(1) : String(q);
}

const WITHOUT_LE_AND_NAME = new Set(['le', '__name__']);

interface ClassicBucket { upper: number; count: number }

interface ClassicGroup { labels: Labels; name: string; buckets: ClassicBucket[] }

/** Float samples grouped into classic histograms by their labels without `le` and the name. */
function classicGroups(vec: Vector, badLe?: (name: string, le: string) => void): Map<string, ClassicGroup> {
  const groups = new Map<string, ClassicGroup>();
  for (const s of vec) {
    const upper = Object.hasOwn(s.labels, 'le') ? parseNumber(s.labels.le) : undefined;
    if (upper === undefined) badLe?.(s.labels.__name__ ?? '', s.labels.le ?? '');
    if (upper === undefined || Number.isNaN(upper)) continue;
    const key = keyWithout(s.labels, WITHOUT_LE_AND_NAME);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels: dropLe(s.labels), name: s.labels.__name__ ?? '', buckets: [] }));
    g.buckets.push({ upper, count: s.v });
  }
  return groups;
}

function dropLe(labels: Labels): Labels {
  const out: Labels = { ...labels };
  delete out.le;
  delete out.__name__;
  return out;
}

/**
 * The share of a classic histogram's observations in (lower, upper]: its
 * cumulative counts interpolated linearly, the lowest bucket starting at 0
 * unless its bound is not above 0.
 */
function bucketFraction(lower: number, upper: number, input: ClassicBucket[]): number {
  const sorted = [...input].sort((a, b) => a.upper - b.upper);
  if (sorted.length === 0 || sorted[sorted.length - 1].upper !== Infinity) return NaN;
  const buckets: ClassicBucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.upper === b.upper) last.count += b.count;
    else buckets.push({ ...b });
  }
  const count = buckets[buckets.length - 1].count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank: number | undefined;
  let upperRank: number | undefined;
  let lowerBound = buckets[0].upper <= 0 ? -Infinity : 0;
  for (let i = 0; i < buckets.length; i++) {
    if (i > 0) lowerBound = buckets[i - 1].upper;
    const b = buckets[i];
    const at = (v: number): number => (lowerBound === -Infinity ? b.count : rank + ((b.count - rank) * (v - lowerBound)) / (b.upper - lowerBound));
    if (lowerRank === undefined && lowerBound >= lower) lowerRank = rank;
    if (upperRank === undefined && lowerBound >= upper) upperRank = rank;
    if (lowerRank !== undefined && upperRank !== undefined) break;
    if (lowerRank === undefined && lowerBound < lower && b.upper > lower) lowerRank = at(lower);
    if (upperRank === undefined && lowerBound < upper && b.upper > upper) upperRank = at(upper);
    if (lowerRank !== undefined && upperRank !== undefined) break;
    rank = b.count;
  }
  if (lowerRank === undefined || lowerRank > count) lowerRank = count;
  if (upperRank === undefined || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}

/** histogram_fraction at one step, over native histograms and classic bucket series alike. */
export function fractionOfVector(lower: number, upper: number, vec: Vector, notes: HistogramNotes): Vector {
  const out: Vector = [];
  const clashing = clashes(vec, notes.mixed);
  for (const s of vec) {
    if (!s.h || clashing.has(labelsKey(withoutName(s.labels)))) continue;
    if (hasNanObservations(s.h)) notes.nanObservations(s.labels.__name__ ?? '', false);
    out.push({ labels: s.labels, v: histogramFraction(lower, upper, s.h), drop: true });
  }
  for (const [key, g] of classicGroups(vec.filter((s) => !s.h), notes.badLe)) {
    if (!clashing.has(key)) out.push({ labels: g.labels, v: bucketFraction(lower, upper, g.buckets) });
  }
  return out;
}

/** What histogram_quantile and histogram_fraction report besides their results (Prometheus' annotations). */
export interface HistogramNotes {
  /** Native and classic histograms with the same labels. */
  mixed(name: string): void;
  /** Some observations of a native histogram were NaN; `resultNaN` for a quantile that is NaN because of them. */
  nanObservations(name: string, resultNaN: boolean): void;
  badLe(name: string, le: string): void;
  forcedMonotonic(name: string): void;
}

/** The annotations of `fn` (histogram_quantile or histogram_fraction) over the histogram argument at `pos`. */
export function histogramNotes(ctx: EvalContext, fn: 'histogram_quantile' | 'histogram_fraction', pos: number): HistogramNotes {
  const name = (n: string): string => `for metric name ${JSON.stringify(n)}`;
  return {
    mixed: (n) => warn(ctx, `vector contains a mix of classic and native histograms ${name(n)}`, pos),
    badLe: (n, le) => warn(ctx, `bucket label "le" is missing or has a malformed value of ${JSON.stringify(le)} ${name(n)}`, pos),
    forcedMonotonic: (n) => info(ctx,
      `input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) ${name(n)}`, pos),
    nanObservations: (n, resultNaN) => {
      const effect = fn === 'histogram_fraction' ? 'which are excluded from all fractions' : resultNaN ? 'result is NaN' : 'result is skewed higher';
      info(ctx, `input to ${fn} has NaN observations, ${effect} ${name(n)}`, pos);
    },
  };
}

/**
 * histogram_quantile at one step: native histograms each give a quantile,
 * classic bucket series are grouped as before. A native histogram and
 * classic buckets with the same labels both give none (`notes.mixed`).
 */
export function quantileOfVector(q: number, vec: Vector, notes: HistogramNotes): Vector {
  const { mixed, badLe, forcedMonotonic: forced } = notes;
  const floats = vec.filter((s) => !s.h);
  if (floats.length === vec.length) return classicQuantile(q, floats, badLe, forced);
  const clashing = clashes(vec, mixed);
  const classic = floats.filter((s) => !clashing.has(keyWithout(s.labels, WITHOUT_LE_AND_NAME)));
  const native: VSample[] = [];
  for (const s of vec) {
    if (!s.h || clashing.has(labelsKey(withoutName(s.labels)))) continue;
    const v = nativeQuantile(q, s.h);
    if (hasNanObservations(s.h)) notes.nanObservations(s.labels.__name__ ?? '', Number.isNaN(v));
    native.push({ labels: s.labels, v, drop: true });
  }
  return [...classicQuantile(q, classic, badLe, forced), ...native];
}

/**
 * Keys (labels without name and `le`) that both a native histogram and
 * classic buckets have: neither gives a result, and `mixed` is told.
 */
function clashes(vec: Vector, mixed: (name: string) => void): Set<string> {
  const native = new Set<string>();
  for (const s of vec) if (s.h) native.add(labelsKey(withoutName(s.labels)));
  const out = new Set<string>();
  for (const s of vec) {
    if (s.h) continue;
    const key = keyWithout(s.labels, WITHOUT_LE_AND_NAME);
    if (!native.has(key) || out.has(key)) continue;
    out.add(key);
    mixed(s.labels.__name__ ?? '');
  }
  return out;
}
