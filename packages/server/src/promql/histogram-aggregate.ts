/**
 * Aggregation groups that hold native histograms: sum and avg add them up
 * (a group mixing floats and histograms has no result), count, group and
 * limitk take them as they are, and the other operators ignore them.
 */
import type { AggregateOp } from './ast.ts';
import { IncompatibleSchemasError, type FloatHistogram } from './histogram.ts';
import { averageHistograms, sumHistograms } from './histogram-sum.ts';
import type { Labels } from './labels.ts';
import type { Notes, VSample } from './values.ts';

const TAKES_HISTOGRAMS: ReadonlySet<AggregateOp> = new Set(['count', 'group', 'limitk', 'limit_ratio']);

/**
 * The group's histogram result (`done`), or the float samples the operator
 * is to fold as usual (`floats`, possibly empty: then no result).
 */
export function histogramGroup(
  op: AggregateOp, labels: Labels, samples: VSample[], notes: Notes,
): { done: VSample | undefined } | { floats: VSample[] } {
  if (TAKES_HISTOGRAMS.has(op)) return { floats: samples };
  const floats = samples.filter((s) => !s.h);
  if (op !== 'sum' && op !== 'avg') {
    notes.info(`ignored histogram in ${op} aggregation`);
    return { floats };
  }
  if (floats.length > 0) {
    notes.warn('encountered a mix of histograms and floats for aggregation');
    return { done: undefined };
  }
  const h = combine(samples.map((s) => s.h!), op === 'avg', notes, labels);
  return { done: h && { labels, v: 0, h } };
}

/** The group's sum or average; none for exponential and custom buckets together. */
function combine(hs: FloatHistogram[], average: boolean, notes: Notes, labels: Labels): FloatHistogram | undefined {
  const reconciled = (): void => notes.info('mismatched custom buckets were reconciled during aggregation');
  try {
    return average ? averageHistograms(hs, reconciled) : sumHistograms(hs, reconciled);
  } catch (err) {
    if (!(err instanceof IncompatibleSchemasError)) throw err;
    notes.warn(`vector contains a mix of histograms with exponential and custom buckets schemas for metric name ${JSON.stringify(labels.__name__ ?? '')}`);
    return undefined;
  }
}
