import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyHistogram } from './histogram.ts';
import { evalInstant, evalRange, formatPromApi, formatPromApiJson, MemoryQuerier } from './index.ts';

function querier(): MemoryQuerier {
  const q = new MemoryQuerier();
  const values = [0, 1.5, -2e-7, 1e21, 123456789.125, Infinity, -Infinity, NaN, 0.1 + 0.2, -0];
  for (let s = 0; s < 4; s++) {
    q.add({ __name__: 'm', job: `j${s}`, path: `/a"b\\c/${s}` }, values.map((v, i) => ({ t: i * 15_000 + s * 1_001, v: v * (s + 1) })));
  }
  q.add({ __name__: 'h', job: 'x' }, Array.from({ length: 10 }, (_, i) => ({ t: i * 15_000, v: 0, h: { ...emptyHistogram(0), count: i, sum: i / 2, pos: [i] } })));
  return q;
}

test('the JSON written from a result is JSON.stringify of its API shape, for every result type', () => {
  const q = querier();
  const results = [
    evalRange('m', q, 0, 150_000, 15_000),
    evalRange('rate(m[1m]) * 3', q, 0, 150_000, 7_000),
    evalRange('max_over_time(m[1m])', q, 0, 150_000, 7_000), // column-backed series
    evalRange('h', q, 0, 150_000, 15_000),
    evalRange('m or h', q, 0, 150_000, 15_000),
    evalRange('absent(nothing)', q, 0, 60_000, 15_000),
    evalInstant('m', q, 100_000),
    evalInstant('sum(m)', q, 100_000),
    evalInstant('1/0', q, 0),
    evalInstant('"text"', q, 0),
  ];
  for (const r of results) assert.equal(formatPromApiJson(r), JSON.stringify(formatPromApi(r)));
});
