/**
 * A native histogram as Prometheus' FloatHistogram.String() writes it, the
 * value count_values counts by: `{count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (1,2]:2}`.
 * Buckets from the lowest values up, empty ones left out; negative buckets
 * include their lower bound, positive ones their upper, the zero bucket both.
 */
import { formatFloat } from '../template/go-format.ts';
import type { FloatHistogram } from './histogram.ts';
import { allBuckets, boundaryRule } from './histogram-stats.ts';

const g = (x: number): string => formatFloat(x, 'g', -1);

export function histogramString(h: FloatHistogram): string {
  const parts = [`count:${g(h.count)}`, `sum:${g(h.sum)}`];
  for (const b of allBuckets(h)) {
    if (b.count === 0) continue;
    const rule = boundaryRule(b);
    const open = rule === 0 ? '(' : '[';
    const close = rule === 1 ? ')' : ']';
    parts.push(`${open}${g(b.lower)},${g(b.upper)}${close}:${g(b.count)}`);
  }
  return `{${parts.join(', ')}}`;
}
