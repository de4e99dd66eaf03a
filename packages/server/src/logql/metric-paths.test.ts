/**
 * The count pushdown and the line scan must give identical metric results.
 * Random streams, lines, fields and query shapes are evaluated against a
 * source with `count` and one without, and both against a brute-force
 * reference that applies the (t - range, t] definition line by line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Labels } from '../ingest/model.ts';
import { MemoryLogSource, type MemoryStream } from './memory-source.ts';
import { evalMetric, type MatrixResult } from './metric.ts';
import { parseLogql } from './parse.ts';

const SEC = 1_000_000_000n;
const LINES = ['GET /a', 'POST /b error', 'GET /c warn', 'é error'];
const FILTERS: [string, string[]][] = [
  ['', []],
  ['|= "error"', ['error']],
  ['|= "GET"', ['GET']],
  ['|= "GET" |= "/a"', ['GET', '/a']],
];
const GROUPINGS = [[], ['app'], ['severity'], ['app', 'severity'], ['category', 'zone'], ['zone'], ['request_id']];
const FNS = ['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate'] as const;
const SELECTORS: [string, (l: Labels) => boolean][] = [
  ['{app=~"s.+"}', () => true],
  ['{env="prod"}', (l) => l.env === 'prod'],
  ['{app=~"s[01]"}', (l) => l.app === 's0' || l.app === 's1'],
];

const entryArb = fc.record({
  sec: fc.integer({ min: 0, max: 400 }),
  // Lines exactly on, just after and just before a second, to probe window edges.
  jitter: fc.constantFrom(0n, 0n, 1n, -1n),
  line: fc.constantFrom(...LINES),
  severity: fc.constantFrom('INFO', 'ERROR', undefined),
  category: fc.constantFrom('app', 'audit', undefined),
  requestId: fc.constantFrom('r1', 'r2', undefined),
});

const streamsArb = fc
  .array(
    fc.record({ prod: fc.boolean(), zone: fc.constantFrom('x', 'y', undefined), entries: fc.array(entryArb, { maxLength: 25 }) }),
    { minLength: 1, maxLength: 4 },
  )
  .map((streams): MemoryStream[] =>
    streams.map((st, i) => ({
      labels: { app: `s${i}`, ...(st.prod ? { env: 'prod' } : {}), ...(st.zone ? { zone: st.zone } : {}) },
      entries: st.entries.map((e) => {
        const fields: Labels = {};
        if (e.severity) fields.severity = e.severity;
        if (e.category) fields.category = e.category;
        if (e.requestId) fields.request_id = e.requestId;
        return { tsNs: BigInt(e.sec) * SEC + e.jitter, line: e.line, fields };
      }),
    })),
  );

const queryArb = fc.record({
  fn: fc.constantFrom(...FNS),
  rangeSec: fc.constantFrom(10, 30, 45, 60, 90),
  stepSec: fc.constantFrom(5, 7, 10, 15, 30, 60),
  startSec: fc.integer({ min: 0, max: 300 }),
  steps: fc.integer({ min: 1, max: 40 }),
  extraSec: fc.integer({ min: 0, max: 4 }),
  filter: fc.integer({ min: 0, max: FILTERS.length - 1 }),
  grouping: fc.integer({ min: 0, max: GROUPINGS.length - 1 }),
  selector: fc.integer({ min: 0, max: SELECTORS.length - 1 }),
  wrapper: fc.constantFrom('none', 'topk', 'scale'),
});

type Query = typeof queryArb extends fc.Arbitrary<infer T> ? T : never;

/** The definition, line by line: the series of `sum by (…) (fn(sel |= … [r]))`. */
function reference(streams: MemoryStream[], q: Query): MatrixResult {
  const [, contains] = FILTERS[q.filter];
  const by = GROUPINGS[q.grouping];
  const matches = SELECTORS[q.selector][1];
  const range = BigInt(q.rangeSec) * SEC;
  const out = new Map<string, { labels: Labels; points: [number, number][] }>();
  for (let i = 0; i < q.steps; i++) {
    const t = BigInt(q.startSec + i * q.stepSec) * SEC;
    const acc = new Map<string, { labels: Labels; lines: number; bytes: number }>();
    for (const st of streams) {
      if (!matches(st.labels)) continue;
      for (const e of st.entries) {
        if (e.tsNs <= t - range || e.tsNs > t || !contains.every((c) => e.line.includes(c))) continue;
        const labels: Labels = {};
        for (const name of by) {
          const v = st.labels[name] ?? e.fields?.[name];
          if (v) labels[name] = v;
        }
        const key = JSON.stringify(Object.entries(labels).sort());
        const a = acc.get(key) ?? { labels, lines: 0, bytes: 0 };
        a.lines++;
        a.bytes += Buffer.byteLength(e.line);
        acc.set(key, a);
      }
    }
    for (const [key, a] of acc) {
      const sec = q.rangeSec;
      const v = q.fn === 'count_over_time' ? a.lines : q.fn === 'rate' ? a.lines / sec : q.fn === 'bytes_over_time' ? a.bytes : a.bytes / sec;
      const series = out.get(key) ?? { labels: a.labels, points: [] };
      series.points.push([(q.startSec + i * q.stepSec) * 1000, v]);
      out.set(key, series);
    }
  }
  return { series: [...out.values()].map((s) => ({ labels: Object.fromEntries(Object.entries(s.labels).sort()), points: s.points })) };
}

function text(q: Query): string {
  const by = GROUPINGS[q.grouping];
  const inner = `${q.fn}(${SELECTORS[q.selector][0]} ${FILTERS[q.filter][0]} [${q.rangeSec}s])`;
  const sum = `sum by (${by.join(', ')}) (${inner})`;
  return q.wrapper === 'topk' ? `topk(2, ${sum})` : q.wrapper === 'scale' ? `${sum} * 3 > 1` : sum;
}

function approxEqual(actualResult: MatrixResult, expectedResult: MatrixResult): void {
  const byLabels = (r: MatrixResult) => [...r.series].sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1));
  const actual = byLabels(actualResult);
  const expected = byLabels(expectedResult);
  assert.deepEqual(actual.map((s) => s.labels), expected.map((s) => s.labels));
  actual.forEach((s, i) => {
    const e = expected[i].points;
    assert.deepEqual(s.points.map((p) => p[0]), e.map((p) => p[0]));
    s.points.forEach(([, v], j) => assert.ok(Math.abs(v - e[j][1]) <= 1e-9 * Math.max(1, Math.abs(v)), `${v} vs ${e[j][1]}`));
  });
}

describe('metric evaluation: count pushdown vs scan', () => {
  it('gives identical results on random data, and both match the definition', () => {
    fc.assert(
      fc.property(streamsArb, queryArb, (streams, q) => {
        const withCount = new MemoryLogSource(streams);
        const scanOnly = new MemoryLogSource(streams, { count: false });
        assert.equal(scanOnly.count, undefined);
        const expr = parseLogql(text(q));
        const endSec = q.startSec + (q.steps - 1) * q.stepSec + q.extraSec;
        const opts = { startNs: BigInt(q.startSec) * SEC, endNs: BigInt(endSec) * SEC, stepNs: BigInt(q.stepSec) * SEC };
        const a = evalMetric(expr, withCount, opts);
        const b = evalMetric(expr, scanOnly, opts);
        assert.deepStrictEqual(a, b);
        assert.equal(scanOnly.stats.counts, 0);
        if (q.wrapper === 'none') approxEqual(a, reference(streams, q));
        // The pushdown must actually run when the grouping is readable without lines.
        const by = GROUPINGS[q.grouping];
        const matched = streams.filter((st) => SELECTORS[q.selector][1](st.labels));
        const countable = by.every((l) => l === 'severity' || l === 'category' || matched.every((st) => l in st.labels));
        if (matched.length > 0) assert.equal(withCount.stats.counts, countable ? 1 : 0, text(q));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees on a hand-made case at bucket edges', () => {
    // step 15 s and range 10 s give 5 s buckets; lines 1 ns either side of the window edges.
    const streams: MemoryStream[] = [
      {
        labels: { app: 's0' },
        entries: [20n * SEC, 20n * SEC + 1n, 30n * SEC, 30n * SEC + 1n, 35n * SEC - 1n].map((tsNs) => ({ tsNs, line: 'x', fields: { severity: 'INFO' } })),
      },
    ];
    const expr = parseLogql('sum by (severity) (count_over_time({app="s0"}[10s]))');
    const opts = { startNs: 30n * SEC, endNs: 45n * SEC, stepNs: 15n * SEC };
    const a = evalMetric(expr, new MemoryLogSource(streams), opts);
    const b = evalMetric(expr, new MemoryLogSource(streams, { count: false }), opts);
    assert.deepStrictEqual(a, b);
    // (20,30] holds 20+1ns and 30; (35,45] holds nothing (35-1ns is before it).
    assert.deepEqual(a, { series: [{ labels: { severity: 'INFO' }, points: [[30_000, 2]] }] });
  });
});
