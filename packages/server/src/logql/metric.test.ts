import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError, type ErrorCode } from '../errors.ts';
import { MemoryLogSource, type MemoryStream } from './memory-source.ts';
import { evalInstant, evalMetric, type MatrixResult } from './metric.ts';
import { parseLogql } from './parse.ts';

const s = (n: number): bigint => BigInt(Math.round(n * 1000)) * 1_000_000n;

/**
 * api: "aaaa" (4 bytes) at 1, 2, 3, 61, 62 s; web: "ééé" (6 bytes) at 30, 90 s; db: "x" at 100 s.
 * Evaluated at 60, 90, 120 s with [1m], the windows are (0,60], (30,90], (60,120]:
 *   count  api 3,2,2   web 1,1,1   db -,-,1
 */
const STREAMS: MemoryStream[] = [
  { labels: { app: 'api', env: 'prod' }, entries: [1, 2, 3, 61, 62].map((t) => ({ tsNs: s(t), line: 'aaaa' })) },
  { labels: { app: 'web', env: 'prod' }, entries: [30, 90].map((t) => ({ tsNs: s(t), line: 'ééé' })) },
  { labels: { app: 'db', env: 'prod' }, entries: [{ tsNs: s(100), line: 'x' }] },
];

const RANGE = { startNs: s(60), endNs: s(120), stepNs: s(30) };

function query(q: string, src = new MemoryLogSource(STREAMS), range = RANGE): MatrixResult {
  return evalMetric(parseLogql(q), src, range);
}

/** Series as "labels → [seconds, value]…" for compact expectations. */
function table(r: MatrixResult): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const series of r.series) {
    const key = Object.entries(series.labels).map(([k, v]) => `${k}=${v}`).join(',');
    out[key] = series.points.map(([ms, v]) => [ms / 1000, v]);
  }
  return out;
}

function fails(q: string, code: ErrorCode, message: RegExp, range = RANGE): void {
  assert.throws(
    () => query(q, undefined, range),
    (e) => isVigilError(e) && e.code === code && message.test(e.message),
  );
}

describe('range aggregations', () => {
  it('count_over_time: windows are (t - range, t]; empty windows give no point', () => {
    assert.deepEqual(table(query('count_over_time({env="prod"}[1m])')), {
      'app=api,env=prod': [[60, 3], [90, 2], [120, 2]],
      'app=db,env=prod': [[120, 1]],
      'app=web,env=prod': [[60, 1], [90, 1], [120, 1]],
    });
  });

  it('rate is the count per second of the range', () => {
    assert.deepEqual(table(query('rate({app="api"}[1m])')), { 'app=api,env=prod': [[60, 3 / 60], [90, 2 / 60], [120, 2 / 60]] });
  });

  it('bytes_over_time and bytes_rate count UTF-8 bytes', () => {
    assert.deepEqual(table(query('bytes_over_time({app=~"api|web"}[1m])')), {
      'app=api,env=prod': [[60, 12], [90, 8], [120, 8]],
      'app=web,env=prod': [[60, 6], [90, 6], [120, 6]],
    });
    // [30s] windows (30,60], (60,90], (90,120]: the line at 30 s is outside the first.
    assert.deepEqual(table(query('bytes_rate({app="web"}[30s])')), { 'app=web,env=prod': [[90, 6 / 30]] });
  });

  it('line filters apply before counting', () => {
    assert.deepEqual(table(query('count_over_time({env="prod"} |= "é" [1m])')), { 'app=web,env=prod': [[60, 1], [90, 1], [120, 1]] });
  });

  it('steps do not need to line up with the range', () => {
    // Steps at 60, 85, 110 with [40s]: (20,60], (45,85], (70,110].
    const r = query('count_over_time({app="api"}[40s])', undefined, { startNs: s(60), endNs: s(119), stepNs: s(25) });
    assert.deepEqual(table(r), { 'app=api,env=prod': [[85, 2]] });
  });

  it('ranges longer than 2^53 ns (104 days) still bucket exactly', () => {
    const day = (n: number): bigint => BigInt(n) * 86_400n * 1_000_000_000n;
    const src = new MemoryLogSource([{ labels: { app: 'api' }, entries: [day(10), day(150), day(200) + 1n].map((tsNs) => ({ tsNs, line: 'x' })) }]);
    const r = query('count_over_time({app="api"}[200d])', src, { startNs: day(200), endNs: day(200), stepNs: 1n });
    assert.deepEqual(table(r), { 'app=api': [[200 * 86_400, 2]] });
  });

  it('per-line fields are part of the series labels, as structured metadata in Loki', () => {
    const src = new MemoryLogSource([
      {
        labels: { app: 'api' },
        entries: [
          { tsNs: s(10), line: 'a', fields: { severity: 'ERROR' } },
          { tsNs: s(20), line: 'b', fields: { severity: 'INFO' } },
          { tsNs: s(30), line: 'c', fields: { severity: 'ERROR' } },
        ],
      },
    ]);
    const at60 = { startNs: s(60), endNs: s(60), stepNs: s(60) };
    assert.deepEqual(table(query('count_over_time({app="api"}[1m])', src, at60)), {
      'app=api,severity=ERROR': [[60, 2]],
      'app=api,severity=INFO': [[60, 1]],
    });
    assert.deepEqual(table(query('sum by (severity) (count_over_time({app="api"} | severity="ERROR" [1m]))', src, at60)), {
      'severity=ERROR': [[60, 2]],
    });
  });

  it('parsed labels split series and can be grouped on', () => {
    const src = new MemoryLogSource([
      { labels: { app: 'api' }, entries: ['{"l":"a"}', '{"l":"b"}', '{"l":"a"}'].map((line, i) => ({ tsNs: s(i + 1), line })) },
    ]);
    const at = { startNs: s(10), endNs: s(10), stepNs: s(1) };
    assert.deepEqual(table(query('sum by (l) (count_over_time({app="api"} | json [1m]))', src, at)), {
      'l=a': [[10, 2]],
      'l=b': [[10, 1]],
    });
  });

  it('a pipeline error in a metric query fails it unless filtered', () => {
    const src = new MemoryLogSource([{ labels: { app: 'api' }, entries: [{ tsNs: s(5), line: 'not json' }] }]);
    const at = { startNs: s(10), endNs: s(10), stepNs: s(1) };
    assert.throws(
      () => query('count_over_time({app="api"} | json [1m])', src, at),
      (e) => isVigilError(e) && e.code === 'VIGIL_ERR_LOGQL_PIPELINE' && /'JSONParserErr'.*__error__!=""/.test(e.message),
    );
    assert.deepEqual(query('count_over_time({app="api"} | json | __error__="" [1m])', src, at), { series: [] });
  });
});

describe('vector aggregations', () => {
  const cases: [string, Record<string, [number, number][]>][] = [
    ['sum(count_over_time({env="prod"}[1m]))', { '': [[60, 4], [90, 3], [120, 4]] }],
    ['sum by (app) (count_over_time({env="prod"}[1m]))', {
      'app=api': [[60, 3], [90, 2], [120, 2]], 'app=db': [[120, 1]], 'app=web': [[60, 1], [90, 1], [120, 1]],
    }],
    ['sum(count_over_time({env="prod"}[1m])) without (app)', { 'env=prod': [[60, 4], [90, 3], [120, 4]] }],
    ['count(count_over_time({env="prod"}[1m]))', { '': [[60, 2], [90, 2], [120, 3]] }],
    ['avg(count_over_time({env="prod"}[1m]))', { '': [[60, 2], [90, 1.5], [120, 4 / 3]] }],
    ['max by (env) (count_over_time({env="prod"}[1m]))', { 'env=prod': [[60, 3], [90, 2], [120, 2]] }],
    ['min without (app) (count_over_time({env="prod"}[1m]))', { 'env=prod': [[60, 1], [90, 1], [120, 1]] }],
    ['topk(1, count_over_time({env="prod"}[1m]))', { 'app=api,env=prod': [[60, 3], [90, 2], [120, 2]] }],
    // At 120 s web and db tie at 1; ties break on labels, so db.
    ['bottomk(1, count_over_time({env="prod"}[1m]))', { 'app=db,env=prod': [[120, 1]], 'app=web,env=prod': [[60, 1], [90, 1]] }],
    ['topk(2, sum by (app) (rate({env="prod"}[1m])))', {
      'app=api': [[60, 3 / 60], [90, 2 / 60], [120, 2 / 60]], 'app=db': [[120, 1 / 60]], 'app=web': [[60, 1 / 60], [90, 1 / 60]],
    }],
    ['topk(1, count_over_time({env="prod"}[1m])) by (app)', {
      'app=api,env=prod': [[60, 3], [90, 2], [120, 2]], 'app=db,env=prod': [[120, 1]], 'app=web,env=prod': [[60, 1], [90, 1], [120, 1]],
    }],
    ['sum(max by (app) (count_over_time({env="prod"}[1m])))', { '': [[60, 4], [90, 3], [120, 4]] }],
  ];
  for (const [q, want] of cases) it(q, () => assert.deepEqual(table(query(q)), want));
});

describe('arithmetic and comparisons with numbers', () => {
  const cases: [string, Record<string, [number, number][]>][] = [
    ['sum(count_over_time({env="prod"}[1m])) * 2', { '': [[60, 8], [90, 6], [120, 8]] }],
    ['sum(count_over_time({env="prod"}[1m])) / 2 - 1', { '': [[60, 1], [90, 0.5], [120, 1]] }],
    ['1 + 2 * sum(count_over_time({env="prod"}[1m]))', { '': [[60, 9], [90, 7], [120, 9]] }],
    ['sum(count_over_time({env="prod"}[1m])) % 3 ^ 1', { '': [[60, 1], [90, 0], [120, 1]] }],
    ['sum(count_over_time({env="prod"}[1m])) > 3', { '': [[60, 4], [120, 4]] }],
    ['3 < sum(count_over_time({env="prod"}[1m]))', { '': [[60, 4], [120, 4]] }],
    ['sum(count_over_time({env="prod"}[1m])) > bool 3', { '': [[60, 1], [90, 0], [120, 1]] }],
    ['sum(count_over_time({env="prod"}[1m])) == (2 + 2)', { '': [[60, 4], [120, 4]] }],
    ['count_over_time({app="api"}[1m]) * (1 > bool 0)', { 'app=api,env=prod': [[60, 3], [90, 2], [120, 2]] }],
  ];
  for (const [q, want] of cases) it(q, () => assert.deepEqual(table(query(q)), want));
});

describe('evalMetric options and evalInstant', () => {
  it('evalInstant is one step', () => {
    const r = evalInstant(parseLogql('count_over_time({env="prod"}[1m])'), new MemoryLogSource(STREAMS), { timeNs: s(90) });
    assert.deepEqual(r.samples, [
      { labels: { app: 'api', env: 'prod' }, tsMs: 90_000, value: 2 },
      { labels: { app: 'web', env: 'prod' }, tsMs: 90_000, value: 1 },
    ]);
  });

  it('the last step is the last one not after end', () => {
    const r = query('sum(count_over_time({env="prod"}[1m]))', undefined, { startNs: s(60), endNs: s(119), stepNs: s(30) });
    assert.deepEqual(table(r), { '': [[60, 4], [90, 3]] });
  });

  it('refuses bad options and log queries', () => {
    fails('rate({app="api"}[1m])', 'VIGIL_ERR_QUERY_PARAM', /step must be positive/, { ...RANGE, stepNs: 0n });
    fails('rate({app="api"}[1m])', 'VIGIL_ERR_QUERY_PARAM', /end must not be before start/, { ...RANGE, endNs: s(1) });
    fails('rate({app="api"}[1m])', 'VIGIL_ERR_QUERY_PARAM', /too many points/, { startNs: 0n, endNs: s(20_000), stepNs: s(1) });
    fails('{app="api"}', 'VIGIL_ERR_QUERY_PARAM', /expected a metric query/);
  });

  it('uses the count pushdown for sums over stream labels and countable fields, scans otherwise', () => {
    const src = new MemoryLogSource(STREAMS);
    query('sum by (app) (rate({env="prod"} |= "a" [1m]))', src);
    assert.deepEqual(src.stats, { scans: 0, rowsYielded: 0, counts: 1 });
    query('sum by (severity, env) (count_over_time({env="prod"}[1m]))', src);
    assert.equal(src.stats.counts, 2);
    for (const q of [
      'count_over_time({env="prod"}[1m])',
      'sum without (app) (count_over_time({env="prod"}[1m]))',
      'sum by (pod) (count_over_time({env="prod"}[1m]))',
      'sum(count_over_time({env="prod"} != "a" [1m]))',
      'sum(count_over_time({env="prod"} | json [1m]))',
    ]) {
      const before = src.stats.scans;
      try {
        query(q, src);
      } catch {
        // the json one fails on the non-JSON lines; it still had to scan
      }
      assert.equal(src.stats.scans, before + 1, q);
    }
    assert.equal(src.stats.counts, 2);
  });
});
