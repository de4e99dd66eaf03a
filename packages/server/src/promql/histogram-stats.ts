/**
 * Statistics of one native histogram, as Prometheus' histogram_quantile,
 * histogram_fraction and histogram_stddev/stdvar compute them: linear
 * interpolation in custom and zero buckets, logarithmic in exponential ones.
 */
import { bucketLower, bucketUpper, exponentialBound, usesCustomBuckets, type FloatHistogram } from './histogram.ts';
import { kahanSumInc } from './math.ts';

export interface Bucket { lower: number; upper: number; count: number }

/**
 * Which bounds a bucket includes, as Prometheus numbers the rules: 0 the
 * upper (positive and custom buckets), 1 the lower (negative), 3 both (the
 * zero bucket).
 */
export function boundaryRule(b: Bucket): 0 | 1 | 3 {
  return b.lower < 0 && b.upper > 0 ? 3 : b.upper <= 0 ? 1 : 0;
}

/** Every bucket from the lowest values to the highest: negative, zero (if not empty), positive. */
export function allBuckets(h: FloatHistogram): Bucket[] {
  const out: Bucket[] = [];
  for (let k = h.neg.length - 1; k >= 0; k--) {
    const index = h.negOffset + k;
    out.push({ lower: -exponentialBound(index, h.schema), upper: -exponentialBound(index - 1, h.schema), count: h.neg[k] });
  }
  if (!usesCustomBuckets(h) && h.zeroCount > 0) out.push({ lower: -h.zeroThreshold, upper: h.zeroThreshold, count: h.zeroCount });
  h.pos.forEach((count, k) => out.push({ lower: bucketLower(h, h.posOffset + k), upper: bucketUpper(h, h.posOffset + k), count }));
  return out;
}

/** Observations in the buckets, which NaN observations are counted in `count` but not in. */
function bucketTotal(h: FloatHistogram): number {
  let total = h.zeroCount;
  for (const c of h.pos) total += c;
  for (const c of h.neg) total += c;
  return total;
}

/** Whether some observations were NaN (a NaN sum, and fewer observations in buckets than counted). */
export function hasNanObservations(h: FloatHistogram): boolean {
  return Number.isNaN(h.sum) && bucketTotal(h) < h.count;
}

const hasOnly = (h: FloatHistogram, sign: 'pos' | 'neg'): boolean => h[sign].length > 0 && h[sign === 'pos' ? 'neg' : 'pos'].length === 0;

export function histogramQuantile(q: number, h: FloatHistogram): number {
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (h.count === 0 || Number.isNaN(q)) return NaN;
  // NaN observations count but sit in no bucket: only the forward walk finds ranks then.
  const forward = Number.isNaN(h.sum) || q < 0.5;
  const buckets = allBuckets(h);
  if (!forward) buckets.reverse();
  let rank = forward ? q * h.count : (1 - q) * h.count;
  let count = 0;
  let bucket: Bucket = { lower: 0, upper: 0, count: 0 };
  for (const b of buckets) {
    if (b.count === 0) continue;
    bucket = { ...b };
    count += b.count;
    if (count >= rank) break;
  }
  const custom = usesCustomBuckets(h);
  if (!custom && bucket.lower < 0 && bucket.upper > 0) {
    if (hasOnly(h, 'pos')) bucket.lower = 0;
    else if (hasOnly(h, 'neg')) bucket.upper = 0;
  } else if (custom) {
    if (bucket.lower === -Infinity) {
      if (bucket.upper <= 0) return bucket.upper;
      bucket.lower = 0;
    } else if (bucket.upper === Infinity) {
      return bucket.lower;
    }
  }
  if (count > h.count) count = h.count;
  // The rank lies among observations in no bucket: NaN ones.
  if (count < rank) return hasNanObservations(h) ? NaN : bucket.upper;
  rank = forward ? rank - (count - bucket.count) : count - rank;
  const fraction = rank / bucket.count;
  if (custom || (bucket.lower <= 0 && bucket.upper >= 0)) return bucket.lower + (bucket.upper - bucket.lower) * fraction;
  const logLower = Math.log2(Math.abs(bucket.lower));
  const logUpper = Math.log2(Math.abs(bucket.upper));
  if (bucket.lower > 0) return 2 ** (logLower + (logUpper - logLower) * fraction);
  return -(2 ** (logUpper + (logLower - logUpper) * (1 - fraction)));
}

/** The share of observations in (lower, upper], interpolated within the buckets the bounds fall in. */
export function histogramFraction(lower: number, upper: number, h: FloatHistogram): number {
  if (h.count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  const custom = usesCustomBuckets(h);
  let rank = 0;
  let lowerRank: number | undefined;
  let upperRank: number | undefined;
  for (const b of allBuckets(h)) {
    const zero = b.lower <= 0 && b.upper >= 0;
    if (zero) {
      if (hasOnly(h, 'pos')) b.lower = 0;
      else if (hasOnly(h, 'neg')) b.upper = 0;
    }
    const at = (v: number): number => rank + b.count * (custom || zero ? linearShare(b, v) : logShare(b, v));
    if (lowerRank === undefined && b.lower >= lower) lowerRank = rank;
    if (upperRank === undefined && b.lower >= upper) upperRank = rank;
    if (lowerRank !== undefined && upperRank !== undefined) break;
    if (lowerRank === undefined && b.lower < lower && b.upper > lower) lowerRank = at(lower);
    if (upperRank === undefined && b.lower < upper && b.upper > upper) upperRank = at(upper);
    if (lowerRank !== undefined && upperRank !== undefined) break;
    rank += b.count;
  }
  // NaN observations fall in no fraction: ranks end at the observations in buckets.
  const inBuckets = Number.isNaN(h.sum) ? Math.min(bucketTotal(h), h.count) : h.count;
  if (lowerRank === undefined || lowerRank > inBuckets) lowerRank = inBuckets;
  if (upperRank === undefined || upperRank > inBuckets) upperRank = inBuckets;
  return (upperRank - lowerRank) / h.count;
}

function linearShare(b: Bucket, v: number): number {
  // A bucket of infinite width gives no share of itself: all of it lies beyond any finite value.
  if (b.lower === -Infinity) return 1;
  return (v - b.lower) / (b.upper - b.lower);
}

function logShare(b: Bucket, v: number): number {
  const logLower = Math.log2(Math.abs(b.lower));
  const logUpper = Math.log2(Math.abs(b.upper));
  const logV = Math.log2(Math.abs(v));
  return v > 0 ? (logV - logLower) / (logUpper - logLower) : 1 - (logV - logUpper) / (logLower - logUpper);
}

/**
 * Variance of the observations, each bucket standing at its middle: the
 * arithmetic one for custom buckets, the geometric one for exponential
 * buckets, and 0 for the zero bucket.
 */
export function histogramVariance(h: FloatHistogram): number {
  const mean = h.sum / h.count;
  const custom = usesCustomBuckets(h);
  let variance = 0;
  let c = 0;
  for (const b of allBuckets(h)) {
    if (b.count === 0) continue;
    let middle: number;
    if (custom) middle = (b.upper + b.lower) / 2;
    else if (b.lower <= 0 && b.upper >= 0) middle = 0;
    else middle = Math.sign(b.upper) * Math.sqrt(b.upper * b.lower);
    const delta = middle - mean;
    [variance, c] = kahanSumInc(b.count * delta * delta, variance, c);
  }
  return (variance + c) / h.count;
}
