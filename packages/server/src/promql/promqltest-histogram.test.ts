import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classicToNhcb, expandHistogramItem, histogramsEqual, parseHistogram } from './promqltest-histogram.ts';
import { floatEqual } from './promqltest.ts';

test('parseHistogram reads every key of the literal', () => {
  const h = parseHistogram('{{schema:-53 sum:1.5 count:3 custom_values:[1 2] buckets:[1 2] offset:1 counter_reset_hint:gauge}}');
  assert.deepEqual([h.schema, h.sum, h.count, h.customValues, h.posOffset, h.pos, h.hint, h.hintGiven], [-53, 1.5, 3, [1, 2], 1, [1, 2], 'gauge', true]);
  const z = parseHistogram('{{z_bucket:2 z_bucket_w:0.001 n_buckets:[1] n_offset:-1}}');
  assert.deepEqual([z.zeroCount, z.zeroThreshold, z.neg, z.negOffset, z.hintGiven], [2, 0.001, [1], -1, undefined]);
});

test('expandHistogramItem: xN gives N+1 histograms, each adding the increment', () => {
  const hs = expandHistogramItem('{{schema:0 sum:1 count:1 buckets:[1]}}+{{schema:0 sum:2 count:2 buckets:[2]}}x2');
  assert.deepEqual(hs.map((h) => [h.count, h.sum, h.pos]), [[1, 1, [1]], [3, 3, [3]], [5, 5, [5]]]);
  assert.equal(expandHistogramItem('{{count:1}}x3').length, 4);
});

test('histogramsEqual ignores empty buckets, and the hint unless the expected literal gives it', () => {
  const got = { ...parseHistogram('{{count:2 buckets:[0 2 0] offset:-1}}'), hint: 'not_reset' as const };
  assert.equal(histogramsEqual(got, parseHistogram('{{count:2 buckets:[2]}}'), floatEqual), true);
  assert.equal(histogramsEqual(got, parseHistogram('{{count:2 buckets:[2] counter_reset_hint:gauge}}'), floatEqual), false);
  assert.equal(histogramsEqual(got, parseHistogram('{{count:2 buckets:[2] offset:1}}'), floatEqual), false);
});

test('classicToNhcb turns cumulative le buckets into custom-bucket histograms', () => {
  const [nhcb] = classicToNhcb([
    { labels: { __name__: 'x_bucket', le: '1' }, values: [1, 2] },
    { labels: { __name__: 'x_bucket', le: '+Inf' }, values: [3, 5] },
    { labels: { __name__: 'x_sum' }, values: [4, 8] },
  ]);
  assert.deepEqual(nhcb.labels, { __name__: 'x' });
  const second = nhcb.values[1];
  assert.ok(second !== undefined && typeof second !== 'number');
  assert.deepEqual([second.schema, second.customValues, second.pos, second.count, second.sum], [-53, [1], [2, 3], 5, 8]);
});
