import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVigilError } from '../errors.ts';
import { MemoryQuerier, evalInstant, evalRange, formatPromApi, formatValue, parsePromql } from './index.ts';

function querier(): MemoryQuerier {
  const q = new MemoryQuerier();
  for (let i = 0; i < 50; i++) q.add({ __name__: 'up', job: `j${i}` }, [{ t: 0, v: 1 }, { t: 60_000, v: 2 }]);
  return q;
}

test('syntax errors name the position and the text', () => {
  assert.throws(() => parsePromql('sum(rate(x[5m])'), (err) => isVigilError(err) && err.code === 'VIGIL_ERR_PROMQL_PARSE' && /line 1, col \d+/.test(err.message));
  assert.throws(() => parsePromql('foo{a="b"} +'), /unexpected end of input/);
});

test('type errors as Prometheus reports them', () => {
  assert.throws(() => parsePromql('rate(foo)'), /expected type range vector in call to function "rate", got instant vector/);
  assert.throws(() => parsePromql('1 > 2'), /comparisons between scalars must use BOOL modifier/);
  assert.throws(() => parsePromql('foo + bool bar'), /bool modifier can only be used on comparison operators/);
  assert.throws(() => parsePromql('sum(foo) offset 5m'), /offset modifier must be preceded/);
});

test('postfix modifiers bind to the nearest operand', () => {
  const e = parsePromql('a - b offset 5m');
  assert.ok(e.kind === 'binary' && e.rhs.kind === 'vector-selector' && e.rhs.offsetMs === 300_000);
  assert.ok(e.kind === 'binary' && e.lhs.kind === 'vector-selector' && e.lhs.offsetMs === 0);
  assert.throws(() => parsePromql('a - b[5m]'), /binary expression must contain only scalar and instant vector types/);
});

test('native histogram functions skip float samples', () => {
  const r = evalInstant('histogram_count(up)', querier(), 60_000);
  assert.deepEqual(r.result, []);
});

test('maxSamples fails a query that touches too many samples', () => {
  assert.throws(() => evalInstant('up', querier(), 60_000, { maxSamples: 10 }), (err) => isVigilError(err) && err.code === 'VIGIL_ERR_PROMQL_TOO_MANY_SAMPLES');
  assert.equal(evalInstant('sum(up)', querier(), 60_000, { maxSamples: 100 }).resultType, 'vector');
});

test('range queries and the HTTP API shape', () => {
  const r = evalRange('sum(up)', querier(), 0, 60_000, 30_000);
  assert.deepEqual(formatPromApi(r), { resultType: 'matrix', result: [{ metric: {}, values: [[0, '50'], [30, '50'], [60, '100']] }] });
  assert.deepEqual(formatPromApi(evalInstant('1/0', querier(), 0)), { resultType: 'scalar', result: [0, '+Inf'] });
});

test('numbers are formatted as Go does', () => {
  assert.equal(formatValue(1e21), '1000000000000000000000');
  assert.equal(formatValue(1.5e-7), '0.00000015');
  assert.equal(formatValue(-Infinity), '-Inf');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(0.1), '0.1');
});

test('annotations: warnings and infos with the position of the sub-expression', () => {
  const q = querier();
  const rate = evalInstant('sum(rate(up[5m]))', q, 60_000);
  assert.deepEqual(rate.warnings, []);
  assert.deepEqual(rate.infos, ['PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "up" (1:10)']);
  assert.deepEqual(evalInstant('quantile(2, up)', q, 0).warnings, ['PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)']);
  const sorted = evalRange('sort(up)', q, 0, 60_000, 30_000);
  assert.deepEqual(sorted.warnings, ['PromQL warning: sort is ineffective for range queries since results are always ordered by labels (1:1)']);
  assert.deepEqual(evalInstant('sort(up)', q, 0).warnings, []);
  assert.deepEqual(evalInstant('histogram_quantile(0.5, up)', q, 0).warnings.length, 1);
});

test('range results of range functions: series that lose their name merge, unless they meet at a step', () => {
  const q = new MemoryQuerier();
  const counter = (from: number, to: number) => Array.from({ length: (to - from) / 15_000 + 1 }, (_, i) => ({ t: from + i * 15_000, v: i * 3 }));
  q.add({ __name__: 'a_total', x: '1' }, counter(0, 120_000));
  q.add({ __name__: 'b_total', x: '1' }, counter(600_000, 720_000));
  q.add({ __name__: 'a_total', x: '2' }, counter(0, 720_000));
  const r = evalRange('rate({__name__=~"a_total|b_total"}[1m])', q, 60_000, 720_000, 60_000);
  assert.deepEqual(r.result.map((s) => s.metric), [{ x: '1' }, { x: '2' }]);
  const merged = r.result[0].points;
  assert.deepEqual(merged.map((p) => p.t), [60_000, 120_000, 660_000, 720_000]);
  assert.ok(merged.every((p) => Math.abs(p.v - 0.2) < 1e-9), JSON.stringify(merged));
  assert.equal(r.result[1].points.length, 12);
  // last_over_time keeps the name, so nothing merges.
  assert.equal(evalRange('last_over_time({__name__=~"a_total|b_total"}[1m])', q, 60_000, 720_000, 60_000).result.length, 3);
  q.add({ __name__: 'b_total', x: '2' }, counter(0, 60_000));
  assert.throws(() => evalRange('rate({__name__=~"a_total|b_total"}[1m])', q, 60_000, 720_000, 60_000), /vector cannot contain metrics with the same labelset/);
});

test('range functions give the same answers held densely or as per-step samples', () => {
  const q = new MemoryQuerier();
  for (let i = 0; i < 12; i++) {
    // Counters with resets, some starting late and some with gaps.
    const samples = Array.from({ length: 40 }, (_, k) => ({ t: (i % 3) * 60_000 + k * 15_000, v: ((k * (i + 1)) % 23) + (k > 20 ? 0 : 100) }))
      .filter((_, k) => i % 4 !== 1 || k % 9 !== 0);
    q.add({ __name__: i % 2 ? 'a_total' : 'b_total', job: `j${i % 3}`, i: String(i % 6) }, samples);
  }
  for (const query of [
    'rate({__name__=~"a_total|b_total"}[1m])',
    'sum by (job) (increase(a_total[2m]))',
    'topk(2, rate(b_total[1m]))',
    'count_values("v", resets(a_total[3m]))',
    'last_over_time(a_total[1m]) > 5',
    'quantile_over_time(0.5, b_total[2m])',
  ]) {
    const dense = evalRange(query, q, 0, 600_000, 30_000);
    const perStep = evalRange(query, q, 0, 600_000, 30_000, { maxDenseCells: 0 });
    assert.ok(dense.result.length > 0, query);
    assert.deepEqual(perStep, dense, query);
    assert.deepEqual(formatPromApi(perStep), formatPromApi(dense), query);
  }
});

test('a querier without selectColumns is read through select', () => {
  const q = querier();
  q.add({ __name__: 'c_total', job: 'x' }, Array.from({ length: 30 }, (_, k) => ({ t: k * 10_000, v: k % 11 })));
  const rowsOnly = { select: q.select.bind(q), labelNames: q.labelNames.bind(q), labelValues: q.labelValues.bind(q) };
  for (const query of ['sum(up)', 'rate(c_total[1m])', 'up offset 30s', 'timestamp(c_total)']) {
    const direct = evalRange(query, q, 0, 300_000, 20_000);
    assert.ok(direct.result.length > 0, query);
    assert.deepEqual(evalRange(query, rowsOnly, 0, 300_000, 20_000), direct, query);
  }
});
