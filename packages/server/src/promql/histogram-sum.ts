/**
 * The sum of many histograms, compensated as Prometheus' KahanAdd: every
 * count, the sum and each bucket are added with Neumaier's compensation,
 * so that large values cancelling each other leave the small ones intact.
 */
import {
  addHistograms, combinedHint, divideHistogram, reduceSchema, sameBounds, usesCustomBuckets, widenZeroBucket, type FloatHistogram,
} from './histogram.ts';
import { kahanSumInc } from './math.ts';

/** All histograms at the coarsest schema and the widest zero bucket any of them needs. */
function commonLayout(hs: FloatHistogram[]): FloatHistogram[] {
  const schema = Math.min(...hs.map((h) => h.schema));
  let out = hs.map((h) => reduceSchema(h, schema));
  for (;;) {
    const threshold = Math.max(...out.map((h) => h.zeroThreshold));
    if (out.every((h) => h.zeroThreshold === threshold)) return out;
    out = out.map((h) => widenZeroBucket(h, threshold));
  }
}

function sameCustomBounds(hs: FloatHistogram[]): boolean {
  const first = hs[0].customValues ?? [];
  return hs.every((h) => sameBounds(h.customValues ?? [], first));
}

class CompensatedSum {
  private sum = 0;
  private c = 0;
  add(v: number): void {
    [this.sum, this.c] = kahanSumInc(v, this.sum, this.c);
  }
  get value(): number {
    return Number.isFinite(this.sum) ? this.sum + this.c : this.sum;
  }
}

function sumRuns(hs: FloatHistogram[], sign: 'pos' | 'neg'): { offset: number; counts: number[] } {
  const offsetOf = (h: FloatHistogram): number => (sign === 'pos' ? h.posOffset : h.negOffset);
  const used = hs.filter((h) => h[sign].length > 0);
  if (used.length === 0) return { offset: 0, counts: [] };
  const lo = Math.min(...used.map(offsetOf));
  const hi = Math.max(...used.map((h) => offsetOf(h) + h[sign].length));
  const sums = Array.from({ length: hi - lo }, () => new CompensatedSum());
  for (const h of used) h[sign].forEach((c, k) => sums[offsetOf(h) + k - lo].add(c));
  return { offset: lo, counts: sums.map((s) => s.value) };
}

/**
 * Σ hs. Throws IncompatibleSchemasError for exponential and custom buckets
 * together; custom buckets of different bounds are added pairwise at their
 * common bounds (`onReconcile` is told).
 */
export function sumHistograms(hs: FloatHistogram[], onReconcile?: () => void): FloatHistogram {
  const custom = usesCustomBuckets(hs[0]);
  if (hs.some((h) => usesCustomBuckets(h) !== custom) || (custom && !sameCustomBounds(hs))) {
    return hs.reduce((total, h) => addHistograms(total, h, 1, onReconcile));
  }
  const same = custom ? hs : commonLayout(hs);
  const count = new CompensatedSum();
  const sum = new CompensatedSum();
  const zeroCount = new CompensatedSum();
  for (const h of same) {
    count.add(h.count);
    sum.add(h.sum);
    zeroCount.add(h.zeroCount);
  }
  const pos = sumRuns(same, 'pos');
  const neg = sumRuns(same, 'neg');
  return {
    ...same[0],
    count: count.value, sum: sum.value, zeroCount: zeroCount.value,
    posOffset: pos.offset, pos: pos.counts, negOffset: neg.offset, neg: neg.counts,
    hint: hs.map((h) => h.hint).reduce((a, b) => combinedHint(a, b, 1)),
  };
}

const overflowed = (total: FloatHistogram, hs: FloatHistogram[]): boolean =>
  (!Number.isFinite(total.count) || !Number.isFinite(total.sum)) && hs.every((h) => Number.isFinite(h.count) && Number.isFinite(h.sum));

/**
 * The mean of hs: the compensated sum divided by their number, or, where
 * that sum overflows, a running mean that moves by each histogram's share
 * (Prometheus' incremental mean).
 */
export function averageHistograms(hs: FloatHistogram[], onReconcile?: () => void): FloatHistogram {
  const total = sumHistograms(hs, onReconcile);
  if (!overflowed(total, hs)) return divideHistogram(total, hs.length);
  let mean = hs[0];
  for (let i = 1; i < hs.length; i++) {
    const step = addHistograms(divideHistogram(hs[i], i + 1), divideHistogram(mean, i + 1), -1, onReconcile);
    mean = { ...addHistograms(mean, step, 1, onReconcile), hint: total.hint };
  }
  return mean;
}
