import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Labels } from '../ingest/model.ts';
import type { LogQuery } from './ast.ts';
import { parseLogql } from './parse.ts';
import { compilePipeline, containsHints, type PipelineOutput } from './pipeline.ts';

const STREAM = { app: 'api', env: 'prod' };

function run(pipeline: string, line: string, fields: Labels = {}, stream: Labels = STREAM): PipelineOutput | undefined {
  const q = parseLogql(`{app="api"} ${pipeline}`) as LogQuery;
  return compilePipeline(q.pipeline)(line, stream, fields);
}

const kept = (pipeline: string, line: string, fields?: Labels): boolean => run(pipeline, line, fields) !== undefined;
const parsed = (pipeline: string, line: string, fields?: Labels): Labels | undefined => run(pipeline, line, fields)?.parsed;

describe('line filters', () => {
  it('|= and != are case-sensitive substring tests', () => {
    assert.equal(kept('|= "error"', 'an error here'), true);
    assert.equal(kept('|= "error"', 'an ERROR here'), false);
    assert.equal(kept('!= "debug"', 'a debug line'), false);
    assert.equal(kept('!= "debug"', 'an info line'), true);
    assert.equal(kept('|= ""', 'anything'), true);
  });
  it('|~ and !~ search unanchored with RE2 syntax', () => {
    assert.equal(kept('|~ "(?i)err(or)?"', 'An ERR occurred'), true);
    assert.equal(kept('|~ "^GET /api"', 'POST /api'), false);
    assert.equal(kept('!~ `\\d{3} ms`', 'took 250 ms'), false);
    assert.equal(kept('!~ `\\d{3} ms`', 'took 25 ms'), true);
  });
  it('chained filters must all hold', () => {
    assert.equal(kept('|= "GET" != "healthz" |~ "5\\\\d\\\\d"', 'GET /users 503'), true);
    assert.equal(kept('|= "GET" != "healthz" |~ "5\\\\d\\\\d"', 'GET /healthz 503'), false);
  });
  it('or: any alternative for |= and |~, none of them for != and !~', () => {
    assert.equal(kept('|= "warn" or "error"', 'an error'), true);
    assert.equal(kept('|= "warn" or "error"', 'info'), false);
    assert.equal(kept('!= "warn" or "error"', 'an error'), false);
    assert.equal(kept('!= "warn" or "error"', 'info'), true);
    assert.equal(kept('|~ "^a" or "z$"', 'xyz'), true);
    assert.equal(kept('!~ "^a" or "z$"', 'xyz'), false);
  });
});

describe('json parser', () => {
  it('flattens nested keys with _, keeps numbers as written, skips arrays and nulls', () => {
    const line = '{"a":{"b":1,"c":"x","d":{"e":true}},"arr":[1,2],"n":null,"f":1.0,"big":12345678901234567890,"s":"q\\"u"}';
    assert.deepEqual(parsed('| json', line), { a_b: '1', a_c: 'x', a_d_e: 'true', f: '1.0', big: '12345678901234567890', s: 'q"u' });
  });
  it('cleans key names as Loki does', () => {
    assert.deepEqual(parsed('| json', '{"my-key":1,"1x":2,"a.b":3,"x":{"2y":4}}'), { my_key: '1', _1x: '2', a_b: '3', x_2y: '4' });
  });
  it('adds _extracted when a key clashes with a stream label or a line field', () => {
    assert.deepEqual(parsed('| json', '{"app":"web","severity":"warn","k":"v"}', { severity: 'ERROR' }), {
      app_extracted: 'web',
      severity_extracted: 'warn',
      k: 'v',
    });
  });
  it('keys named like Object.prototype members are ordinary labels', () => {
    const p = parsed('| json', '{"constructor":"c","__proto__":"p","toString":"t"}');
    assert.deepEqual(Object.keys(p ?? {}).sort(), ['__proto__', 'constructor', 'toString']);
    assert.equal(Object.getPrototypeOf(p), Object.prototype);
    assert.equal(kept('| hasOwnProperty=""', 'x'), true);
    // (The grammar itself cannot tokenise `constructor` or `__proto__` as names in a query.)
    assert.equal(kept('| json | toString="t"', '{"toString":"t"}'), true);
  });
  it('marks a line that is not a JSON object with __error__ and keeps it', () => {
    for (const line of ['not json', '[1,2]', '{"a":1} trailing', '{"a":']) {
      const p = parsed('| json', line);
      assert.equal(p?.__error__, 'JSONParserErr', line);
      assert.ok(p?.__error_details__, line);
    }
    assert.equal(kept('| json | __error__=""', 'not json'), false);
    assert.equal(kept('| json | __error__!="JSONParserErr"', '{"a":1}'), true);
  });
  it('with parameters extracts paths; objects keep their JSON text', () => {
    const line = '{"a":{"b":"x"},"arr":[10,{"k":"v"}],"obj":{"p": 1},"k.dot":"d"}';
    assert.deepEqual(parsed('| json x="a.b", y="arr[1].k", z="obj", w="missing", d=`["k.dot"]`, arr', line), {
      x: 'x',
      y: 'v',
      z: '{"p": 1}',
      d: 'd',
      arr: '[10,{"k":"v"}]',
    });
  });
});

describe('logfmt parser', () => {
  it('reads pairs, quoted values and skips standalone keys', () => {
    assert.deepEqual(parsed('| logfmt', 'level=info msg="hello \\"world\\"" dur=1.5s flag path=/a=b'), {
      level: 'info',
      msg: 'hello "world"',
      dur: '1.5s',
    });
  });
  it('skips malformed pairs by default, stops with --strict', () => {
    assert.deepEqual(parsed('| logfmt', 'a=1 =bad b=2 c"d=3 e=4'), { a: '1', b: '2', e: '4' });
    const strict = parsed('| logfmt --strict', 'a=1 =bad b=2');
    assert.equal(strict?.a, '1');
    assert.equal(strict?.b, undefined);
    assert.equal(strict?.__error__, 'LogfmtParserErr');
  });
  it('with parameters extracts only the named keys', () => {
    assert.deepEqual(parsed('| logfmt level, m="msg"', 'level=warn msg=hi other=x'), { level: 'warn', m: 'hi' });
  });
  it('cleans key names and adds _extracted on clashes', () => {
    assert.deepEqual(parsed('| logfmt', 'env=dev http.status=200'), { env_extracted: 'dev', http_status: '200' });
  });
});

describe('label filters', () => {
  it('string matchers on parsed labels, stream labels and line fields', () => {
    assert.equal(kept('| json | level="error"', '{"level":"error"}'), true);
    assert.equal(kept('| json | level!="error"', '{"level":"error"}'), false);
    assert.equal(kept('| env=~"pr.*"', 'x'), true);
    assert.equal(kept('| env=~"pr"', 'x'), false, 'label regexes are anchored');
    assert.equal(kept('| severity!~"DEBUG|INFO"', 'x', { severity: 'ERROR' }), true);
    assert.equal(kept('| missing=""', 'x'), true, 'a missing label is the empty string');
  });
  it('a stream label wins over a line field of the same name; parsed clashes are renamed', () => {
    assert.equal(kept('| env="prod"', 'x', { env: 'dev' }), true);
    assert.equal(kept('| status="200"', 'x', { status: '200' }), true);
    assert.equal(kept('| logfmt | status="200" and status_extracted="500"', 'status=500', { status: '200' }), true);
  });
  it('numeric comparisons', () => {
    const line = '{"status":503,"latency":"0.25"}';
    for (const [f, want] of [
      ['status >= 500', true], ['status > 503', false], ['status == 503', true], ['status = 503', true],
      ['status != 503', false], ['status < 600', true], ['status <= 502', false], ['latency > 0.2', true],
      ['latency < 1e-1', false],
    ] as const) {
      assert.equal(kept(`| json | ${f}`, line), want, f);
    }
    assert.equal(kept('| duration_ms > 100', 'x', { duration_ms: '150' }), true);
  });
  it('durations and byte sizes', () => {
    assert.equal(kept('| logfmt | took > 1s', 'took=1.5s'), true);
    assert.equal(kept('| logfmt | took > 1s', 'took=900ms'), false);
    assert.equal(kept('| logfmt | took == 90m', 'took=1h30m'), true);
    assert.equal(kept('| logfmt | size > 20KB', 'size=21kB'), true);
    assert.equal(kept('| logfmt | size > 20KB', 'size=20000'), false);
    assert.equal(kept('| logfmt | size >= 1MiB', 'size=1048576'), true);
  });
  it('a missing label fails a numeric filter; an unreadable one marks the line', () => {
    assert.equal(kept('| logfmt | status > 1', 'other=1'), false);
    const out = parsed('| logfmt | status > 1', 'status=abc');
    assert.equal(out?.__error__, 'LabelFilterErr');
    assert.equal(kept('| logfmt | took > 1s', 'took=1.5'), true);
    assert.equal(kept('| logfmt | took > 1s | __error__=""', 'took=1.5'), false);
  });
  it('after an error only string matchers can drop the line', () => {
    assert.equal(kept('| json | status > 500', 'not json'), true);
  });
  it('and, or, comma and parentheses', () => {
    const q = '| logfmt | (a="1" or b="2"), c > 3';
    assert.equal(kept(q, 'a=1 c=4'), true);
    assert.equal(kept(q, 'b=2 c=4'), true);
    assert.equal(kept(q, 'a=0 b=0 c=4'), false);
    assert.equal(kept(q, 'a=1 c=3'), false);
    assert.equal(kept('| logfmt | a="1" or b="2" and c="3"', 'a=1'), true, 'and binds tighter than or');
    assert.equal(kept('| logfmt | a="1" and b="2" or c="3"', 'c=3'), true);
  });
});

describe('line_format', () => {
  it('renders labels and plain text; a missing label is empty', () => {
    assert.equal(run('| logfmt | line_format "{{.level}}: {{ .msg }} [{{.app}}] {{.nope}}!"', 'level=warn msg=hi')?.line, 'warn: hi [api] !');
  });
  it('trim markers and __line__', () => {
    assert.equal(run('| line_format "<  {{- __line__ -}}  >"', 'raw')?.line, '<raw>');
  });
  it('later filters see the new line', () => {
    assert.equal(kept('| logfmt | line_format "{{.msg}}" |= "level"', 'level=warn msg=hi'), false);
    assert.equal(kept('| logfmt | line_format "{{.msg}}" |= "hi"', 'level=warn msg=hi'), true);
  });
});

describe('containsHints', () => {
  it('collects single |= values before any line_format', () => {
    const q = parseLogql('{a="b"} |= "x" |= "" != "y" |= "p" or "q" | json |= "z" | line_format "{{.a}}" |= "w"') as LogQuery;
    assert.deepEqual(containsHints(q.pipeline), ['x', 'z']);
  });
});
