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

test('native histogram functions are refused by name', () => {
  assert.throws(() => parsePromql('histogram_count(x)'), (err) => isVigilError(err) && err.code === 'VIGIL_ERR_PROMQL_UNSUPPORTED' && /native histograms/.test(err.message));
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
