import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyHistogram, type FloatHistogram } from './histogram.ts';
import { evalInstant, evalRange, formatPromApi, MemoryQuerier } from './index.ts';

const counter = (n: number): FloatHistogram => ({ ...emptyHistogram(0), count: 4 * n, sum: 2 * n, pos: [n, 2 * n, n] });

function querier(): MemoryQuerier {
  const q = new MemoryQuerier();
  // A histogram counter growing by {count:4 sum:2} a minute, and a float series beside it.
  q.add({ __name__: 'req', job: 'a' }, Array.from({ length: 11 }, (_, i) => ({ t: i * 60_000, v: 0, h: counter(i) })));
  q.add({ __name__: 'req', job: 'b' }, Array.from({ length: 11 }, (_, i) => ({ t: i * 60_000, v: i })));
  return q;
}

test('histogram samples travel through selectors, rate and aggregation', () => {
  const r = evalInstant('rate(req{job="a"}[5m])', querier(), 600_000);
  assert.equal(r.resultType, 'vector');
  const [s] = r.resultType === 'vector' ? r.result : [];
  assert.ok(s.h);
  assert.equal(s.h.count, 4 / 60);
  assert.equal(s.h.hint, 'gauge');
  const sum = evalInstant('sum(req{job="a"} * 2)', querier(), 600_000);
  assert.equal(sum.resultType === 'vector' ? sum.result[0].h?.count : undefined, 80);
});

test('mixing floats and histograms: sum warns and drops the group, max ignores histograms with an info', () => {
  const sum = evalInstant('sum(req)', querier(), 600_000);
  assert.deepEqual(sum.result, []);
  assert.match(sum.warnings[0], /mix of histograms and floats/);
  const max = evalInstant('max(req)', querier(), 600_000);
  assert.deepEqual(max.resultType === 'vector' ? max.result.map((s) => s.v) : [], [10]);
  assert.match(max.infos[0], /ignored histogram in max aggregation/);
});

test('histogram_count and histogram_quantile read native histograms; floats have no result', () => {
  const count = evalInstant('histogram_count(req)', querier(), 600_000);
  assert.deepEqual(count.resultType === 'vector' ? count.result.map((s) => [s.metric, s.v]) : [], [[{ job: 'a' }, 40]]);
  // 40 observations: (0.5,1]:10 (1,2]:20 (2,4]:10, so the median is √2 (log interpolation).
  const q = evalInstant('histogram_quantile(0.5, req)', querier(), 600_000);
  assert.deepEqual(q.resultType === 'vector' ? q.result.map((s) => s.v) : [], [Math.SQRT2]);
});

test('the HTTP API writes histograms with their buckets; a matrix keeps floats and histograms apart', () => {
  const api = formatPromApi(evalInstant('req{job="a"}', querier(), 60_000));
  assert.deepEqual(api.result, [{
    metric: { __name__: 'req', job: 'a' },
    histogram: [60, { count: '4', sum: '2', buckets: [[0, '0.5', '1', '1'], [0, '1', '2', '2'], [0, '2', '4', '1']] }],
  }]);
  const range = formatPromApi(evalRange('last_over_time(req[1m])', querier(), 0, 60_000, 60_000));
  assert.equal(range.resultType, 'matrix');
  const [a, b] = range.resultType === 'matrix' ? range.result : [];
  assert.deepEqual([a.values, a.histograms?.length, b.values?.length, b.histograms], [undefined, 2, 2, undefined]);
});
