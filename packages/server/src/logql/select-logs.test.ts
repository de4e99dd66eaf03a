import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError } from '../errors.ts';
import { MemoryLogSource } from './memory-source.ts';
import { parseLogql } from './parse.ts';
import { selectLogs, type SelectOptions, type StreamsResult } from './select-logs.ts';
import type { LogSource, ScanOptions } from './source.ts';

const s = (n: number): bigint => BigInt(n) * 1_000_000_000n;

/** Three streams interleaved in time: api at 1,4,7…, web at 2,5,8…, db at 3,6,9… (seconds). */
function source(): MemoryLogSource {
  const mk = (app: string, offset: number) => ({
    labels: { app, env: 'prod' },
    entries: Array.from({ length: 5 }, (_, i) => ({
      tsNs: s(offset + 3 * i),
      line: `{"n":${offset + 3 * i},"app":"${app}","level":"${i % 2 ? 'warn' : 'info'}"}`,
      fields: { severity: i % 2 ? 'WARNING' : 'INFO' },
    })),
  });
  return new MemoryLogSource([mk('api', 1), mk('web', 2), mk('db', 3)]);
}

const opts = (o: Partial<SelectOptions> = {}): SelectOptions => ({
  startNs: s(0),
  endNs: s(100),
  limit: 100,
  direction: 'backward',
  ...o,
});

/** Every entry as "app@second", in response order. */
const flat = (r: StreamsResult): string[][] =>
  r.streams.map((st) => st.entries.map((e) => `${st.labels.app}@${Number(e.tsNs / 1_000_000_000n)}`));

describe('selectLogs', () => {
  it('returns every matching line grouped by stream, sorted by time in the asked direction', () => {
    const src = source();
    const back = selectLogs(parseLogql('{env="prod"}'), src, opts());
    assert.deepEqual(flat(back), [
      ['api@13', 'api@10', 'api@7', 'api@4', 'api@1'],
      ['db@15', 'db@12', 'db@9', 'db@6', 'db@3'],
      ['web@14', 'web@11', 'web@8', 'web@5', 'web@2'],
    ]);
    const fwd = selectLogs(parseLogql('{env="prod"}'), src, opts({ direction: 'forward' }));
    assert.deepEqual(flat(fwd)[0], ['api@1', 'api@4', 'api@7', 'api@10', 'api@13']);
  });

  it('limit takes the newest entries across streams for backward, and stops scanning', () => {
    const src = source();
    const r = selectLogs(parseLogql('{env="prod"}'), src, opts({ limit: 4 }));
    assert.deepEqual(flat(r), [['api@13'], ['db@15', 'db@12'], ['web@14']]);
    assert.equal(src.stats.rowsYielded, 4);
  });

  it('limit takes the oldest entries across streams for forward', () => {
    const r = selectLogs(parseLogql('{env="prod"}'), source(), opts({ limit: 5, direction: 'forward' }));
    assert.deepEqual(flat(r), [['api@1', 'api@4'], ['db@3'], ['web@2', 'web@5']]);
  });

  it('limit counts only lines that pass the pipeline', () => {
    const r = selectLogs(parseLogql('{env="prod"} | json | level="warn"'), source(), opts({ limit: 3 }));
    assert.deepEqual(flat(r).flat().sort(), ['db@12', 'web@11', 'api@10'].sort());
  });

  it('start is inclusive and end exclusive', () => {
    const r = selectLogs(parseLogql('{app="api"}'), source(), opts({ startNs: s(4), endNs: s(10), direction: 'forward' }));
    assert.deepEqual(flat(r), [['api@4', 'api@7']]);
  });

  it('a parser splits streams by the final label set; parsed and metadata are reported', () => {
    const r = selectLogs(parseLogql('{app="api"} | json | n <= 4'), source(), opts({ direction: 'forward' }));
    assert.equal(r.streams.length, 2);
    const [first, second] = r.streams;
    assert.deepEqual(first.labels, { app: 'api', app_extracted: 'api', env: 'prod', level: 'info', n: '1' });
    assert.deepEqual(Object.keys(first.labels), Object.keys(first.labels).sort(), 'labels come sorted');
    assert.deepEqual(first.entries, [
      {
        tsNs: s(1),
        line: '{"n":1,"app":"api","level":"info"}',
        metadata: { severity: 'INFO' },
        parsed: { n: '1', app_extracted: 'api', level: 'info' },
      },
    ]);
    assert.deepEqual(second.labels.level, 'warn');
  });

  it('line_format changes the returned line', () => {
    const r = selectLogs(parseLogql('{app="db"} | json | line_format "{{.level}} #{{.n}}"'), source(), opts({ limit: 2 }));
    assert.deepEqual(r.streams.flatMap((st) => st.entries.map((e) => e.line)).sort(), ['info #15', 'warn #12']);
  });

  it('filters on per-line fields', () => {
    const r = selectLogs(parseLogql('{app="web"} | severity="WARNING"'), source(), opts({ direction: 'forward' }));
    assert.deepEqual(flat(r), [['web@5', 'web@11']]);
  });

  it('passes |= literals to scan as the contains hint', () => {
    const seen: ScanOptions[] = [];
    const inner = source();
    const spy: LogSource = {
      matchStreams: (m) => inner.matchStreams(m),
      scan: (o) => {
        seen.push(o);
        return inner.scan(o);
      },
    };
    const r = selectLogs(parseLogql('{app="api"} |= "warn" != "x" |= "app"'), spy, opts());
    assert.deepEqual(seen[0].contains, ['warn', 'app']);
    assert.deepEqual(seen[0].streamIds, [0]);
    assert.equal(flat(r)[0].length, 2);
  });

  it('re-checks the streams a store returns', () => {
    const inner = source();
    const sloppy: LogSource = { matchStreams: () => inner.streams, scan: (o) => inner.scan(o) };
    assert.deepEqual(flat(selectLogs(parseLogql('{app="web"}'), sloppy, opts({ limit: 1 }))), [['web@14']]);
  });

  it('answers nothing for no matching stream, a zero limit or an empty range', () => {
    assert.deepEqual(selectLogs(parseLogql('{app="none"}'), source(), opts()), { streams: [] });
    assert.deepEqual(selectLogs(parseLogql('{app="api"}'), source(), opts({ limit: 0 })), { streams: [] });
    assert.deepEqual(selectLogs(parseLogql('{app="api"}'), source(), opts({ startNs: s(5), endNs: s(5) })), { streams: [] });
  });

  it('refuses a metric query', () => {
    assert.throws(
      () => selectLogs(parseLogql('rate({app="api"}[1m])'), source(), opts()),
      (e) => isVigilError(e) && e.code === 'VIGIL_ERR_QUERY_PARAM',
    );
  });
});
