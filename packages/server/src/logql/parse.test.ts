import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError, type ErrorCode } from '../errors.ts';
import { isMetricQuery, type LogQuery, type MetricExpr } from './ast.ts';
import { parseLogql } from './parse.ts';

function fails(query: string, code: ErrorCode, message: RegExp): void {
  assert.throws(
    () => parseLogql(query),
    (err) => isVigilError(err) && err.code === code && message.test(err.message),
    `expected ${code} matching ${message} for ${query}`,
  );
}

const log = (q: string): LogQuery => {
  const e = parseLogql(q);
  assert.equal(e.kind, 'log');
  return e as LogQuery;
};

describe('parseLogql: syntax errors name the position and the text', () => {
  it('an unclosed selector', () => {
    fails('{app="api"', 'VIGIL_ERR_LOGQL_PARSE', /line 1, col 11: unexpected end of query after "\{app="api""/);
  });
  it('a dangling pipe', () => {
    fails('{app="api"} | json |', 'VIGIL_ERR_LOGQL_PARSE', /col 21: unexpected end of query after "\{app="api"\} \| json \|"/);
  });
  it('a missing range', () => {
    fails('sum(rate({app="api"}))', 'VIGIL_ERR_LOGQL_PARSE', /line 1, col 21: syntax error at "\)\)"/);
  });
  it('an error on a later line', () => {
    fails('{app="api"}\n  | json\n  | ???', 'VIGIL_ERR_LOGQL_PARSE', /line 3, col 5/);
  });
  it('an empty query and an empty selector', () => {
    fails('   ', 'VIGIL_ERR_LOGQL_PARSE', /empty/);
    fails('{}', 'VIGIL_ERR_LOGQL_PARSE', /col 2/);
  });
  it('a bad string escape', () => {
    fails('{app="a\\d"}', 'VIGIL_ERR_LOGQL_PARSE', /col 6 near ""a\\d"": invalid escape \\d/);
  });
  it('a selector that matches everything', () => {
    for (const q of ['{app=~".*"}', '{app!="x"}', '{app=""}']) fails(q, 'VIGIL_ERR_LOGQL_PARSE', /at least one regexp or equality matcher/);
  });
  it('a bad regex, naming it', () => {
    fails('{app=~"(a+)+"}', 'VIGIL_ERR_LOGQL_PARSE', /regex "\(a\+\)\+"/);
    fails('{app="a"} |~ "[x"', 'VIGIL_ERR_LOGQL_PARSE', /regex "\[x"/);
    fails('{app="a"} | level =~ "(?=x)"', 'VIGIL_ERR_LOGQL_PARSE', /lookahead/);
  });
  it('semantic errors', () => {
    fails('topk(0, rate({a="b"}[1m]))', 'VIGIL_ERR_LOGQL_PARSE', /positive integer/);
    fails('rate({a="b"}[1m]) by (x)', 'VIGIL_ERR_LOGQL_PARSE', /grouping not allowed for rate/);
    fails('rate({a="b"}[1m]) + bool 1', 'VIGIL_ERR_LOGQL_PARSE', /bool modifier/);
    fails('rate({a="b"}[1m]) * (1 > 2)', 'VIGIL_ERR_LOGQL_PARSE', /must use the bool modifier/);
    fails('{a="b"} | json bad="a..b"', 'VIGIL_ERR_LOGQL_PARSE', /invalid JSON path "a\.\.b"/);
    fails('{a="b"} | line_format "{{.a"', 'VIGIL_ERR_LOGQL_PARSE', /unclosed action/);
  });
});

describe('parseLogql: unsupported parts are named', () => {
  const table: [string, RegExp][] = [
    ['{a="b"} | pattern "<ip> <_>"', /the "pattern" parser/],
    ['{a="b"} | regexp "(?P<x>.)"', /the "regexp" parser/],
    ['{a="b"} | unpack', /the "unpack" parser/],
    ['{a="b"} | label_format x=y', /"label_format"/],
    ['{a="b"} | drop x', /"drop"/],
    ['{a="b"} | keep x', /"keep"/],
    ['{a="b"} | decolorize', /"decolorize"/],
    ['{a="b"} | logfmt --keep-empty', /logfmt flag "--keep-empty"/],
    ['{a="b"} |> "<_> x"', /pattern line filter "\|>"/],
    ['{a="b"} |= ip("1.2.3.4")', /ip\(\) line filter/],
    ['{a="b"} | addr = ip("1.2.3.4")', /ip\(\) label filter/],
    ['{a="b"} | line_format "{{ .a | ToUpper }}"', /template function "ToUpper"/],
    ['{a="b"} | line_format "{{ if .a }}x{{ end }}"', /template action "if"/],
    ['{a="b"} | line_format "{{ .a.b }}"', /template expression "\{\{ \.a\.b \}\}"/],
    ['sum_over_time({a="b"} | unwrap x [5m])', /range function "sum_over_time" \(over unwrapped values\)/],
    ['quantile_over_time(0.9, {a="b"} | unwrap x [5m])', /"quantile_over_time"/],
    ['absent_over_time({a="b"}[5m])', /range function "absent_over_time"$/],
    ['count_over_time({a="b"} | unwrap x [5m])', /"unwrap"/],
    ['count_over_time({a="b"}[5m] offset 1h)', /"offset" modifier/],
    ['rate({a="b"}[1m]) / rate({a="b"}[5m])', /binary operator "\/" between two vectors/],
    ['rate({a="b"}[1m]) and rate({a="b"}[5m])', /"and" operator/],
    ['rate({a="b"}[1m]) + on(a) rate({a="b"}[5m])', /vector matching/],
    ['label_replace(rate({a="b"}[1m]), "x", "$1", "a", "(.*)")', /label_replace\(\)/],
    ['sort(rate({a="b"}[1m]))', /the "sort" aggregation/],
    ['stddev(rate({a="b"}[1m]))', /the "stddev" aggregation/],
    ['vector(1)', /vector\(\)/],
    ['1 + 2', /only of numbers/],
  ];
  for (const [q, message] of table) {
    it(q, () => fails(q, 'VIGIL_ERR_LOGQL_UNSUPPORTED', new RegExp('^unsupported in LogQL: .*' + message.source)));
  }
});

describe('parseLogql: log queries', () => {
  it('stream selectors with every operator', () => {
    const e = log('{app="api", env!="dev", pod=~"api-.+", zone!~"eu-.*"}');
    assert.deepEqual(e.selector, [
      { name: 'app', op: '=', value: 'api' },
      { name: 'env', op: '!=', value: 'dev' },
      { name: 'pod', op: '=~', value: 'api-.+' },
      { name: 'zone', op: '!~', value: 'eu-.*' },
    ]);
    assert.equal(isMetricQuery(e), false);
  });

  it('strings: escapes and raw strings', () => {
    assert.deepEqual(log('{a="x\\"y\\\\z\\u00e9"}').selector[0].value, 'x"y\\zé');
    assert.deepEqual(log('{a=`C:\\dir`}').selector[0].value, 'C:\\dir');
  });

  it('line filters, chained and with or', () => {
    assert.deepEqual(log('{a="b"} |= "x" or "y" != "z" |~ `\\d+` !~ "q"').pipeline, [
      { kind: 'line_filter', op: '|=', values: ['x', 'y'] },
      { kind: 'line_filter', op: '!=', values: ['z'] },
      { kind: 'line_filter', op: '|~', values: ['\\d+'] },
      { kind: 'line_filter', op: '!~', values: ['q'] },
    ]);
  });

  it('parsers with and without parameters', () => {
    assert.deepEqual(log('{a="b"} | json | logfmt --strict | json x="a.b[0]", y | logfmt p, q="r"').pipeline, [
      { kind: 'json', extractions: [] },
      { kind: 'logfmt', strict: true, extractions: [] },
      { kind: 'json', extractions: [{ label: 'x', path: ['a', 'b', 0] }, { label: 'y', path: ['y'] }] },
      { kind: 'logfmt', strict: false, extractions: [{ label: 'p', key: 'p' }, { label: 'q', key: 'r' }] },
    ]);
  });

  it('label filters: precedence, commas, parentheses, units', () => {
    const [stage] = log('{a="b"} | x="1" or y=~"2" and (d > 1.5s, s <= 20KB) or n != -3').pipeline;
    assert.deepEqual(stage, {
      kind: 'label_filter',
      filter: {
        kind: 'or',
        left: {
          kind: 'or',
          left: { kind: 'match', name: 'x', op: '=', value: '1' },
          right: {
            kind: 'and',
            left: { kind: 'match', name: 'y', op: '=~', value: '2' },
            right: {
              kind: 'and',
              left: { kind: 'compare', name: 'd', op: '>', value: 1_500_000_000, unit: 'duration' },
              right: { kind: 'compare', name: 's', op: '<=', value: 20_000, unit: 'bytes' },
            },
          },
        },
        right: { kind: 'compare', name: 'n', op: '!=', value: -3, unit: 'number' },
      },
    });
  });

  it('line_format templates', () => {
    assert.deepEqual(log('{a="b"} | line_format "{{.a}} x {{ .b }}  {{- .c -}}  y{{__line__}}"').pipeline[0], {
      kind: 'line_format',
      template: [
        { kind: 'label', name: 'a' },
        { kind: 'text', text: ' x ' },
        { kind: 'label', name: 'b' },
        { kind: 'label', name: 'c' },
        { kind: 'text', text: 'y' },
        { kind: 'line' },
      ],
    });
  });
});

describe('parseLogql: metric queries', () => {
  const metric = (q: string): MetricExpr => {
    const e = parseLogql(q);
    assert.ok(isMetricQuery(e));
    return e;
  };

  it('range aggregations and ranges', () => {
    for (const [q, ns] of [
      ['rate({a="b"}[5m])', 300_000_000_000n],
      ['count_over_time({a="b"} |= "x" [1h30m])', 5_400_000_000_000n],
      ['bytes_rate(({a="b"} | json)[1.5s])', 1_500_000_000n],
      ['bytes_over_time({a="b"}[1d])', 86_400_000_000_000n],
    ] as const) {
      const e = metric(q);
      assert.equal(e.kind, 'range_aggregation');
      assert.equal(e.kind === 'range_aggregation' && e.rangeNs, ns);
    }
  });

  it('aggregations in prefix and postfix form, topk', () => {
    const a = metric('sum by (app, env) (rate({a="b"}[1m]))');
    const b = metric('sum(rate({a="b"}[1m])) by (app, env)');
    assert.deepEqual(a, b);
    assert.deepEqual(a.kind === 'vector_aggregation' && a.grouping, { mode: 'by', labels: ['app', 'env'] });
    const w = metric('avg without (pod) (rate({a="b"}[1m]))');
    assert.deepEqual(w.kind === 'vector_aggregation' && w.grouping, { mode: 'without', labels: ['pod'] });
    const t = metric('topk(3, sum by (app) (rate({a="b"}[1m])))');
    assert.equal(t.kind === 'vector_aggregation' && t.param, 3);
  });

  it('arithmetic follows Prometheus precedence, not the grammar tree', () => {
    const e = metric('rate({a="b"}[1m]) * 2 + 1 ^ 2 ^ 3');
    // ((rate * 2) + (1 ^ (2 ^ 3)))
    assert.equal(e.kind, 'binary');
    if (e.kind !== 'binary') return;
    assert.equal(e.op, '+');
    assert.equal(e.left.kind === 'binary' && e.left.op, '*');
    assert.equal(e.right.kind === 'binary' && e.right.op, '^');
    assert.equal(e.right.kind === 'binary' && e.right.right.kind === 'binary' && e.right.right.op, '^');
    const p = metric('(rate({a="b"}[1m]) + 1) * 2');
    assert.equal(p.kind === 'binary' && p.op, '*');
    const c = metric('rate({a="b"}[1m]) > bool 2 * 3');
    assert.equal(c.kind === 'binary' && c.op, '>');
    assert.equal(c.kind === 'binary' && c.returnBool, true);
  });
});
