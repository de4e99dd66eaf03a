import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addHistograms, detectReset, divideHistogram, emptyHistogram, IncompatibleSchemasError, reduceSchema,
  scaleHistogram, widenZeroBucket, type FloatHistogram,
} from './histogram.ts';
import { histogramFraction, histogramQuantile, histogramVariance } from './histogram-stats.ts';
import { sumHistograms } from './histogram-sum.ts';

const hist = (fields: Partial<FloatHistogram>): FloatHistogram => ({ ...emptyHistogram(0), ...fields });
const custom = (bounds: number[], pos: number[], fields: Partial<FloatHistogram> = {}): FloatHistogram =>
  hist({ schema: -53, customValues: bounds, pos, count: pos.reduce((a, b) => a + b, 0), ...fields });

test('reduceSchema merges pairs of buckets into the coarser bucket that holds them', () => {
  const fine = hist({ schema: 1, pos: [1, 2, 3, 4], posOffset: 0 });
  // At schema 1 index i covers (2^((i-1)/2), 2^(i/2)]: 0 → (.7,1], 1 and 2 → (1,2], 3 → (2,4].
  const coarse = reduceSchema(fine, 0);
  assert.deepEqual([coarse.posOffset, coarse.pos], [0, [1, 5, 4]]);
});

test('addHistograms meets at the coarser schema; subtraction gives a gauge', () => {
  const a = hist({ schema: 1, count: 10, sum: 5, pos: [1, 2, 3, 4], hint: 'not_reset' });
  const b = hist({ schema: 0, count: 1, sum: 1, pos: [1], posOffset: 1, hint: 'not_reset' });
  const sum = addHistograms(a, b);
  assert.deepEqual([sum.schema, sum.count, sum.sum, sum.posOffset, sum.pos, sum.hint], [0, 11, 6, 0, [1, 6, 4], 'not_reset']);
  const diff = addHistograms(a, b, -1);
  assert.deepEqual([diff.count, diff.pos, diff.hint], [9, [1, 4, 4], 'gauge']);
});

test('widenZeroBucket moves whole buckets into the zero bucket, raising the threshold to a bucket bound', () => {
  const h = hist({ count: 6, pos: [1, 2, 3], posOffset: 0, zeroCount: 0, zeroThreshold: 0 });
  const wide = widenZeroBucket(h, 1.5);
  assert.deepEqual([wide.zeroThreshold, wide.zeroCount, wide.posOffset, wide.pos], [2, 3, 2, [3]]);
});

test('custom buckets of different bounds are added at the bounds both have; exponential and custom do not add', () => {
  let reconciled = false;
  const sum = addHistograms(custom([1, 2], [1, 1, 1]), custom([1, 4], [2, 2, 2]), 1, () => { reconciled = true; });
  assert.equal(reconciled, true);
  assert.deepEqual([sum.customValues, sum.pos, sum.count], [[1], [3, 6], 9]);
  assert.throws(() => addHistograms(hist({ pos: [1] }), custom([1], [1])), IncompatibleSchemasError);
});

test('sumHistograms compensates: large values that cancel leave the small ones', () => {
  const hs = [1, 1e100, 1, -1e100].map((sum, i) => hist({ count: i + 1, sum }));
  const total = sumHistograms(hs);
  assert.deepEqual([total.count, total.sum], [10, 2]);
});

test('detectReset: by the hint, else by any count going down', () => {
  const prev = hist({ count: 4, pos: [2, 2] });
  assert.equal(detectReset(hist({ count: 5, pos: [3, 2] }), prev), false);
  assert.equal(detectReset(hist({ count: 3, pos: [1, 2] }), prev), true);
  assert.equal(detectReset(hist({ count: 4, pos: [3, 1] }), prev), true, 'a bucket went down though the count did not');
  assert.equal(detectReset(hist({ count: 3, pos: [1, 2], hint: 'not_reset' }), prev), false);
});

test('scaling and division keep the layout; division by zero leaves no buckets', () => {
  const h = hist({ count: 4, sum: 8, pos: [1, 3] });
  assert.deepEqual(scaleHistogram(h, 2).pos, [2, 6]);
  assert.equal(scaleHistogram(h, -1).hint, 'gauge');
  const inf = divideHistogram(h, 0);
  assert.deepEqual([inf.count, inf.sum, inf.pos], [Infinity, Infinity, []]);
});

test('histogramQuantile interpolates exponential buckets logarithmically, custom ones linearly', () => {
  // (0.5,1]:1 (1,2]:2 (2,4]:1: the median is halfway through (1,2] on a log scale.
  const h = hist({ count: 4, sum: 6, pos: [1, 2, 1] });
  assert.equal(histogramQuantile(0.5, h), Math.SQRT2);
  assert.equal(histogramQuantile(-1, h), -Infinity);
  assert.ok(Number.isNaN(histogramQuantile(0.5, hist({}))));
  // (0,10]:2 (10,20]:2: the 75th percentile is halfway through (10,20].
  assert.equal(histogramQuantile(0.75, custom([10, 20], [2, 2, 0], { sum: 40 })), 15);
});

test('histogramFraction and histogramVariance', () => {
  const h = hist({ count: 4, sum: 6, pos: [1, 2, 1] });
  assert.equal(histogramFraction(-Infinity, 1, h), 0.25);
  assert.equal(histogramFraction(2, 2, h), 0);
  // Custom buckets stand at their middles 1 and 3, around a mean of 2.
  assert.equal(histogramVariance(custom([0, 2, 4], [0, 1, 1], { sum: 4 })), 1);
});
