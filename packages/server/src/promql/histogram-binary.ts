/**
 * Binary operators where one side is a native histogram, as Prometheus
 * defines them: histogram ± histogram, histogram × or ÷ float, float ×
 * histogram, and == / != between histograms. Every other pairing has no
 * result and raises an info.
 */
import type { BinaryOp } from './ast.ts';
import { addHistograms, divideHistogram, IncompatibleSchemasError, sameBounds, scaleHistogram, type FloatHistogram } from './histogram.ts';
import type { Notes } from './values.ts';

export interface Operand { v: number; h?: FloatHistogram }

/** The result value, or undefined when the pair has none. `keep` is false when a comparison filters it out. */
export type HistogramOpResult = { v: number; h?: FloatHistogram; keep: boolean } | undefined;

const typeOf = (x: Operand): string => (x.h ? 'histogram' : 'float');

function incompatible(op: BinaryOp, l: Operand, r: Operand, notes: Notes): undefined {
  notes.info(`incompatible sample types encountered for binary operator ${JSON.stringify(op)}: ${typeOf(l)} ${op} ${typeOf(r)}`);
  return undefined;
}

function sum(op: BinaryOp, a: FloatHistogram, b: FloatHistogram, notes: Notes): HistogramOpResult {
  const what = op === '+' ? 'addition' : 'subtraction';
  try {
    const h = addHistograms(a, b, op === '+' ? 1 : -1, () => notes.info(`mismatched custom buckets were reconciled during ${what}`));
    return { v: 0, h, keep: true };
  } catch (err) {
    if (!(err instanceof IncompatibleSchemasError)) throw err;
    notes.warn(`vector contains a mix of histograms with exponential and custom buckets schemas for metric name ""`);
    return undefined;
  }
}

/** `l op r` where at least one side is a histogram; `bool` as the operator's modifier. */
export function histogramBinary(op: BinaryOp, l: Operand, r: Operand, bool: boolean, notes: Notes): HistogramOpResult {
  if (l.h && r.h) {
    if (op === '+' || op === '-') return sum(op, l.h, r.h, notes);
    if (op === '==' || op === '!=') {
      const equal = histogramsIdentical(l.h, r.h);
      const keep = op === '==' ? equal : !equal;
      return bool ? { v: keep ? 1 : 0, keep: true } : { v: 0, h: l.h, keep };
    }
    return incompatible(op, l, r, notes);
  }
  if (l.h && op === '*') return { v: 0, h: scaleHistogram(l.h, r.v), keep: true };
  if (l.h && op === '/') return { v: 0, h: divideHistogram(l.h, r.v), keep: true };
  if (r.h && op === '*') return { v: 0, h: scaleHistogram(r.h, l.v), keep: true };
  return incompatible(op, l, r, notes);
}

/** Exact equality, as Prometheus' FloatHistogram.Equals (empty buckets at run ends do not count). */
export function histogramsIdentical(a: FloatHistogram, b: FloatHistogram): boolean {
  const same = (x: number, y: number): boolean => x === y || (Number.isNaN(x) && Number.isNaN(y));
  if (a.schema !== b.schema || a.zeroThreshold !== b.zeroThreshold) return false;
  if (!same(a.count, b.count) || !same(a.sum, b.sum) || !same(a.zeroCount, b.zeroCount)) return false;
  if (!sameBounds(a.customValues ?? [], b.customValues ?? [])) return false;
  return sameRun(a.pos, a.posOffset, b.pos, b.posOffset) && sameRun(a.neg, a.negOffset, b.neg, b.negOffset);
}

function sameRun(a: number[], ao: number, b: number[], bo: number): boolean {
  const lo = Math.min(ao, bo);
  const hi = Math.max(ao + a.length, bo + b.length);
  for (let i = lo; i < hi; i++) {
    const x = i >= ao && i < ao + a.length ? a[i - ao] : 0;
    const y = i >= bo && i < bo + b.length ? b[i - bo] : 0;
    if (x !== y) return false;
  }
  return true;
}
