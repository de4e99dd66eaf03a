/**
 * Native histograms as PromQL evaluates them (Prometheus' FloatHistogram):
 * exponential buckets of schema -4…8 around a zero bucket, or custom
 * buckets (schema -53) with explicit upper bounds. Bucket counts are held
 * dense, one run per sign starting at an offset, rather than as spans: the
 * engine only adds, scales and walks them, and a run is simpler to merge.
 * Operations return new histograms; inputs are never changed.
 */

export type ResetHint = 'unknown' | 'reset' | 'not_reset' | 'gauge';

export const CUSTOM_BUCKETS_SCHEMA = -53;

export interface FloatHistogram {
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  count: number;
  sum: number;
  /** Positive bucket counts; `pos[k]` is bucket index `posOffset + k`. */
  posOffset: number;
  pos: number[];
  /** Negative bucket counts; `neg[k]` is bucket index `negOffset + k`. */
  negOffset: number;
  neg: number[];
  /** Upper bounds of custom buckets (schema -53), +Inf implied after the last. */
  customValues?: number[];
  hint: ResetHint;
}

/** Adding or subtracting histograms of exponential and custom schemas has no meaning. */
export class IncompatibleSchemasError extends Error {
  constructor() {
    super('histograms with exponential and custom bucket schemas');
  }
}

export function emptyHistogram(schema = 0): FloatHistogram {
  return { schema, zeroThreshold: 0, zeroCount: 0, count: 0, sum: 0, posOffset: 0, pos: [], negOffset: 0, neg: [], hint: 'unknown' };
}

export function usesCustomBuckets(h: FloatHistogram): boolean {
  return h.schema === CUSTOM_BUCKETS_SCHEMA;
}

export function copyHistogram(h: FloatHistogram): FloatHistogram {
  return { ...h, pos: [...h.pos], neg: [...h.neg] };
}

/** Upper bound of exponential bucket `index` at `schema`: 2^(index·2^-schema). */
export function exponentialBound(index: number, schema: number): number {
  if (schema <= 0) return 2 ** (index * 2 ** -schema);
  const perPowerOfTwo = 2 ** schema;
  const whole = Math.floor(index / perPowerOfTwo);
  return 2 ** whole * 2 ** ((index - whole * perPowerOfTwo) / perPowerOfTwo);
}

/** Upper bound of positive bucket `index` (for custom buckets, +Inf past the last bound). */
export function bucketUpper(h: FloatHistogram, index: number): number {
  if (!usesCustomBuckets(h)) return exponentialBound(index, h.schema);
  const cv = h.customValues ?? [];
  return index < cv.length ? cv[index] : Infinity;
}

export function bucketLower(h: FloatHistogram, index: number): number {
  if (!usesCustomBuckets(h)) return exponentialBound(index - 1, h.schema);
  return index === 0 ? -Infinity : (h.customValues ?? [])[index - 1];
}

/** A bucket of a finer schema lands in this bucket of a coarser one. */
function coarserIndex(index: number, from: number, to: number): number {
  return Math.floor((index - 1) / 2 ** (from - to)) + 1;
}

/** Adds `counts` (from `offset` on) into `into` (from `intoOffset` on), growing it; returns the new offset. */
function addRun(into: number[], intoOffset: number, counts: readonly number[], offset: number, factor: number): number {
  if (counts.length === 0) return intoOffset;
  if (into.length === 0) intoOffset = offset;
  if (offset < intoOffset) {
    into.unshift(...new Array<number>(intoOffset - offset).fill(0));
    intoOffset = offset;
  }
  const end = offset + counts.length - intoOffset;
  while (into.length < end) into.push(0);
  for (let k = 0; k < counts.length; k++) into[offset - intoOffset + k] += factor * counts[k];
  return intoOffset;
}

function reduceRun(counts: readonly number[], offset: number, from: number, to: number): { offset: number; counts: number[] } {
  const out: number[] = [];
  let outOffset = 0;
  for (let k = 0; k < counts.length; k++) {
    const idx = coarserIndex(offset + k, from, to);
    outOffset = addRun(out, outOffset, [counts[k]], idx, 1);
  }
  return { offset: outOffset, counts: out };
}

/** The histogram at a coarser (lower) exponential schema, neighbouring buckets merged. */
export function reduceSchema(h: FloatHistogram, schema: number): FloatHistogram {
  if (schema >= h.schema || usesCustomBuckets(h)) return h;
  const pos = reduceRun(h.pos, h.posOffset, h.schema, schema);
  const neg = reduceRun(h.neg, h.negOffset, h.schema, schema);
  return { ...h, schema, posOffset: pos.offset, pos: pos.counts, negOffset: neg.offset, neg: neg.counts };
}

/**
 * The histogram with a zero bucket at least `threshold` wide: buckets that
 * start below it move into the zero bucket, and a threshold that falls
 * inside a bucket is raised to that bucket's upper bound (buckets are never
 * split).
 */
export function widenZeroBucket(h: FloatHistogram, threshold: number): FloatHistogram {
  if (threshold <= h.zeroThreshold || usesCustomBuckets(h)) return h;
  const out = copyHistogram(h);
  out.zeroThreshold = threshold;
  for (;;) {
    const before = out.zeroThreshold;
    absorbBelow(out, 'pos');
    absorbBelow(out, 'neg');
    if (out.zeroThreshold === before) return out;
  }
}

function absorbBelow(h: FloatHistogram, sign: 'pos' | 'neg'): void {
  const offsetKey = sign === 'pos' ? 'posOffset' : 'negOffset';
  while (h[sign].length > 0) {
    const index = h[offsetKey];
    const lower = exponentialBound(index - 1, h.schema);
    if (lower >= h.zeroThreshold) return;
    const upper = exponentialBound(index, h.schema);
    if (upper > h.zeroThreshold) h.zeroThreshold = upper;
    h.zeroCount += h[sign].shift()!;
    h[offsetKey]++;
  }
}

/** The resulting counter-reset hint of adding (factor 1) or subtracting (-1) two histograms. */
export function combinedHint(a: ResetHint, b: ResetHint, factor: number): ResetHint {
  // A difference is no counter any more, even if it is not negative.
  if (factor < 0) return 'gauge';
  if (a === b) return a;
  if (a === 'gauge' || b === 'gauge') return 'gauge';
  return 'unknown';
}

/**
 * `a + factor·b` (factor 1 or -1). Exponential histograms meet at the
 * coarser schema and the wider zero bucket. Custom buckets with different
 * bounds meet at the bounds both have (`onReconcile` is told).
 */
export function addHistograms(a: FloatHistogram, b: FloatHistogram, factor = 1, onReconcile?: () => void): FloatHistogram {
  if (usesCustomBuckets(a) !== usesCustomBuckets(b)) throw new IncompatibleSchemasError();
  if (usesCustomBuckets(a)) return addCustom(a, b, factor, onReconcile);
  const schema = Math.min(a.schema, b.schema);
  let x = reduceSchema(a, schema);
  let y = reduceSchema(b, schema);
  while (x.zeroThreshold !== y.zeroThreshold) {
    const threshold = Math.max(x.zeroThreshold, y.zeroThreshold);
    x = widenZeroBucket(x, threshold);
    y = widenZeroBucket(y, threshold);
  }
  const out = copyHistogram(x);
  out.count += factor * y.count;
  out.sum += factor * y.sum;
  out.zeroCount += factor * y.zeroCount;
  out.posOffset = addRun(out.pos, out.posOffset, y.pos, y.posOffset, factor);
  out.negOffset = addRun(out.neg, out.negOffset, y.neg, y.negOffset, factor);
  out.hint = combinedHint(a.hint, b.hint, factor);
  return out;
}

/** The same custom bucket bounds, in order. */
export function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function addCustom(a: FloatHistogram, b: FloatHistogram, factor: number, onReconcile?: () => void): FloatHistogram {
  const av = a.customValues ?? [];
  const bv = b.customValues ?? [];
  let x = a;
  let y = b;
  if (!sameBounds(av, bv)) {
    const common = av.filter((v) => bv.includes(v));
    x = toBounds(a, common);
    y = toBounds(b, common);
    onReconcile?.();
  }
  const out = copyHistogram(x);
  out.count += factor * y.count;
  out.sum += factor * y.sum;
  out.posOffset = addRun(out.pos, out.posOffset, y.pos, y.posOffset, factor);
  out.hint = combinedHint(a.hint, b.hint, factor);
  return out;
}

/** Custom buckets merged into the coarser `bounds` (a subset of the histogram's own). */
function toBounds(h: FloatHistogram, bounds: number[]): FloatHistogram {
  const pos: number[] = [];
  let offset = 0;
  for (let k = 0; k < h.pos.length; k++) {
    const upper = bucketUpper(h, h.posOffset + k);
    let idx = bounds.findIndex((b) => b >= upper);
    if (idx < 0) idx = bounds.length;
    offset = addRun(pos, offset, [h.pos[k]], idx, 1);
  }
  return { ...h, customValues: bounds, posOffset: offset, pos };
}

/** Every count and the sum multiplied by `factor`; a negative factor makes a gauge of a counter. */
export function scaleHistogram(h: FloatHistogram, factor: number): FloatHistogram {
  return {
    ...h,
    hint: factor < 0 ? 'gauge' : h.hint,
    count: h.count * factor,
    sum: h.sum * factor,
    zeroCount: h.zeroCount * factor,
    pos: h.pos.map((c) => c * factor),
    neg: h.neg.map((c) => c * factor),
  };
}

/** Every count and the sum divided; division by zero leaves no buckets (as Prometheus' Div). */
export function divideHistogram(h: FloatHistogram, divisor: number): FloatHistogram {
  if (divisor === 0) {
    return { ...h, count: h.count / 0, sum: h.sum / 0, zeroCount: h.zeroCount / 0, pos: [], neg: [], posOffset: 0, negOffset: 0 };
  }
  return {
    ...h,
    count: h.count / divisor,
    sum: h.sum / divisor,
    zeroCount: h.zeroCount / divisor,
    pos: h.pos.map((c) => c / divisor),
    neg: h.neg.map((c) => c / divisor),
  };
}

/** Drops empty buckets at both ends of each run (inner ones stay: a run is dense). */
export function compactHistogram(h: FloatHistogram): FloatHistogram {
  const trim = (counts: number[], offset: number): [number[], number] => {
    let lo = 0;
    let hi = counts.length;
    while (lo < hi && counts[lo] === 0) lo++;
    while (hi > lo && counts[hi - 1] === 0) hi--;
    return [counts.slice(lo, hi), lo === hi ? 0 : offset + lo];
  };
  const [pos, posOffset] = trim(h.pos, h.posOffset);
  const [neg, negOffset] = trim(h.neg, h.negOffset);
  return { ...h, pos, posOffset, neg, negOffset };
}

/** Non-empty buckets as [index, count] pairs, ascending by index. */
export function nonEmptyBuckets(counts: readonly number[], offset: number): [number, number][] {
  const out: [number, number][] = [];
  counts.forEach((c, k) => {
    if (c !== 0) out.push([offset + k, c]);
  });
  return out;
}

/**
 * Whether `cur` follows a counter reset after `prev`: the hint says so, or
 * some count went down (the bucket layout is compared at `cur`'s schema and
 * zero bucket, as Prometheus' DetectReset does).
 */
export function detectReset(cur: FloatHistogram, prev: FloatHistogram): boolean {
  if (cur.hint === 'reset') return true;
  if (cur.hint === 'not_reset') return false;
  if (usesCustomBuckets(cur) !== usesCustomBuckets(prev)) return true;
  if (cur.count < prev.count) return true;
  if (usesCustomBuckets(cur)) return customDecreased(cur, prev);
  if (cur.schema > prev.schema) return true;
  if (cur.zeroThreshold < prev.zeroThreshold) return true;
  const was = widenZeroBucket(reduceSchema(prev, cur.schema), cur.zeroThreshold);
  if (was.zeroThreshold !== cur.zeroThreshold) return true;
  if (cur.zeroCount < was.zeroCount) return true;
  return runDecreased(was.pos, was.posOffset, cur.pos, cur.posOffset) || runDecreased(was.neg, was.negOffset, cur.neg, cur.negOffset);
}

/** Custom buckets with different bounds are compared at the bounds both have. */
function customDecreased(cur: FloatHistogram, prev: FloatHistogram): boolean {
  let x = cur;
  let y = prev;
  const cv = cur.customValues ?? [];
  const pv = prev.customValues ?? [];
  if (!sameBounds(cv, pv)) {
    const common = cv.filter((v) => pv.includes(v));
    x = toBounds(cur, common);
    y = toBounds(prev, common);
  }
  return runDecreased(y.pos, y.posOffset, x.pos, x.posOffset);
}

function runDecreased(prev: number[], prevOffset: number, cur: number[], curOffset: number): boolean {
  for (let k = 0; k < prev.length; k++) {
    const j = prevOffset + k - curOffset;
    const now = j >= 0 && j < cur.length ? cur[j] : 0;
    if (now < prev[k]) return true;
  }
  return false;
}
