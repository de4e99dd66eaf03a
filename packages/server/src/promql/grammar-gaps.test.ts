import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryQuerier, evalInstant, evalRange, parsePromql } from './index.ts';

test('min_of and max_of are scalar functions outside durations', () => {
  const q = new MemoryQuerier();
  assert.deepEqual(evalInstant('min_of(3, 5) + max_of(1, 2)', q, 0).result, { t: 0, v: 5 });
  assert.ok(Number.isNaN((evalInstant('max_of(NaN, 1)', q, 0).result as { v: number }).v));
  // Only calls are renamed for the grammar: a label, a string and a metric keep the name.
  const e = parsePromql('sum by (min_of) ({a="min_of(2."}) + min_of(1, 2.)');
  assert.ok(e.kind === 'binary' && e.lhs.kind === 'aggregate' && e.lhs.grouping[0] === 'min_of');
  assert.ok(e.kind === 'binary' && e.lhs.kind === 'aggregate' && e.lhs.expr.kind === 'vector-selector' && e.lhs.expr.matchers[0].value === 'min_of(2.');
  assert.ok(e.kind === 'binary' && e.rhs.kind === 'call' && e.rhs.func === 'min_of');
});

test('a number may end in a dot, as Prometheus reads 2.', () => {
  assert.deepEqual(parsePromql('2.'), { kind: 'number', value: 2, pos: 0 });
  assert.throws(() => parsePromql('2..'), /parse error/);
});

test('start(), end(), range() and step() are the query\'s, in seconds', () => {
  const q = new MemoryQuerier();
  const r = evalRange('start() + 10 * end() + 100 * range() + 1000 * step()', q, 10_000, 40_000, 15_000);
  // start 10, end 40, range 30, step 15 at every step.
  assert.deepEqual(r.result[0].points.map((p) => p.v), [18_410, 18_410, 18_410]);
  assert.deepEqual(evalInstant('step() + range()', q, 7_000).result, { t: 7_000, v: 0 });
  assert.deepEqual(evalInstant('end()', q, 7_000).result, { t: 7_000, v: 7 });
});

test('step() and range() in durations take the query\'s timing, known when it runs', () => {
  const timing = { stepMs: 5_000, rangeMs: 60_000 };
  const offset = parsePromql('x offset min_of(step(), 1s) + 1', timing);
  assert.ok(offset.kind === 'binary' && offset.lhs.kind === 'vector-selector' && offset.lhs.offsetMs === 1_000);
  const range = parsePromql('rate(x[max_of(range() / 2, STEP())])', timing);
  assert.ok(range.kind === 'call' && range.args[0].kind === 'matrix-selector' && range.args[0].rangeMs === 30_000);
  // Validating without timing accepts what only the running query can check.
  assert.doesNotThrow(() => parsePromql('x[step()]'));
  assert.throws(() => parsePromql('x[step()]', { stepMs: 0, rangeMs: 0 }), /range must be greater than 0/);
});
