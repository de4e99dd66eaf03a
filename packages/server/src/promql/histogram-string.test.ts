import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyHistogram } from './histogram.ts';
import { histogramString } from './histogram-string.ts';

test('histogramString writes FloatHistogram.String(): buckets low to high, empty ones left out, %g numbers', () => {
  const h = { ...emptyHistogram(0), count: 2_000_000, sum: 0.5, zeroThreshold: 0.001, zeroCount: 2, pos: [1, 0, 2], neg: [1, 2] };
  assert.equal(histogramString(h), '{count:2e+06, sum:0.5, [-2,-1):2, [-1,-0.5):1, [-0.001,0.001]:2, (0.5,1]:1, (2,4]:2}');
  assert.equal(histogramString(emptyHistogram(0)), '{count:0, sum:0}');
});
