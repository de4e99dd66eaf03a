import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateSeries } from './aggregate-series.ts';
import { aggregateStep, checkAggregateParam } from './aggregations.ts';
import type { Aggregate, AggregateOp } from './ast.ts';
import { seriesVectorValue, type SeriesVector, type Vector } from './values.ts';

let seed = 3;
const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

/** Series over 4 jobs and 3 zones, some steps missing, with ties, NaN and ±Inf among the values. */
function sample(series: number, steps: number): SeriesVector {
  const sv: SeriesVector = { labels: [], drop: [], steps, values: new Float64Array(series * steps), present: new Uint8Array(series * steps) };
  const special = [NaN, Infinity, -Infinity, 0, -0, 1, 1];
  for (let s = 0; s < series; s++) {
    sv.labels.push({ __name__: 'x', job: `j${Math.floor(rand() * 4)}`, zone: `z${s % 3}`, id: String(s) });
    sv.drop.push(s % 2 === 0);
    for (let i = 0; i < steps; i++) {
      if (rand() < 0.2) continue;
      sv.present[s * steps + i] = 1;
      sv.values[s * steps + i] = rand() < 0.2 ? special[Math.floor(rand() * special.length)] : Math.round(rand() * 20) / 4;
    }
  }
  return sv;
}

function aggregate(op: AggregateOp, grouping: string[], without: boolean, param?: number): Aggregate {
  return { kind: 'aggregate', op, grouping, without, expr: { kind: 'number', value: 0, pos: 0 }, ...(param !== undefined ? { param: { kind: 'number', value: param, pos: 0 } } : {}), pos: 0 } as Aggregate;
}

/** Values compared by their bits' meaning: NaN equals NaN, -0 differs from 0. */
function plain(steps: Vector[]): unknown {
  return steps.map((vec) => vec.map((s) => ({ labels: s.labels, v: Object.is(s.v, -0) ? '-0' : Number.isNaN(s.v) ? 'NaN' : s.v, drop: s.drop === true })));
}

test('aggregating by series gives the per-step results in the per-step order', () => {
  const sv = sample(40, 12);
  const steps = seriesVectorValue(sv);
  const cases: [AggregateOp, number | undefined][] = [
    ['sum', undefined], ['avg', undefined], ['count', undefined], ['group', undefined], ['min', undefined], ['max', undefined],
    ['stddev', undefined], ['stdvar', undefined], ['quantile', 0.3], ['topk', 3], ['bottomk', 2], ['limitk', 2], ['topk', 100], ['topk', 0],
  ];
  for (const [op, param] of cases) {
    for (const [grouping, without] of [[['job'], false], [['zone', 'id'], true], [[], false]] as [string[], boolean][]) {
      const e = aggregate(op, grouping, without, param);
      const params = Array.from({ length: sv.steps }, () => param);
      const expected = (steps.type === 'vector' ? steps.steps : []).map((vec, i) => aggregateStep(e, vec, params[i]));
      const got = aggregateSeries(e, sv, params, (p) => checkAggregateParam(e, p));
      assert.deepEqual(plain(got), plain(expected), `${op}(${param}) ${without ? 'without' : 'by'} (${grouping.join(',')})`);
    }
  }
});

test('a group first present later in the series order comes first in a step where it is seen first', () => {
  const sv: SeriesVector = {
    labels: [{ job: 'a' }, { job: 'b' }, { job: 'a', i: '2' }],
    drop: [false, false, false],
    steps: 2,
    values: Float64Array.from([1, 2, 3, 4, 5, 6]),
    present: Uint8Array.from([1, 0, 1, 1, 1, 1]),
  };
  const got = aggregateSeries(aggregate('sum', ['job'], false), sv, [undefined, undefined], () => {});
  assert.deepEqual(got, [
    [{ labels: { job: 'a' }, v: 6 }, { labels: { job: 'b' }, v: 3 }],
    [{ labels: { job: 'b' }, v: 4 }, { labels: { job: 'a' }, v: 6 }],
  ]);
});

test('a bad parameter fails at its step, as the per-step path does', () => {
  const sv = sample(5, 3);
  const e = aggregate('topk', [], false, NaN);
  assert.throws(() => aggregateSeries(e, sv, [NaN, NaN, NaN], (p) => checkAggregateParam(e, p)), /Parameter value is NaN/);
});

test('a series vector builds its per-step samples once, in series order', () => {
  const sv: SeriesVector = { labels: [{ a: '1' }, { a: '2' }], drop: [true, false], steps: 2, values: Float64Array.from([1, 2, 3, 4]), present: Uint8Array.from([0, 1, 1, 1]) };
  const value = seriesVectorValue(sv);
  assert.ok(value.type === 'vector');
  assert.equal(value.steps, value.steps);
  assert.deepEqual(value.steps, [[{ labels: { a: '2' }, v: 3, drop: false }], [{ labels: { a: '1' }, v: 2, drop: true }, { labels: { a: '2' }, v: 4, drop: false }]]);
});
