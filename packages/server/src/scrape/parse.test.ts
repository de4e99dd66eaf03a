import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary, type RegistryContentType } from 'prom-client';
import { ExpositionParseError, formatOf, parseExposition, type ScrapedSample } from './parse.ts';

const text = (body: string) => parseExposition(body, 'prometheus-text');
const om = (body: string) => parseExposition(body, 'openmetrics-text');
const flat = (samples: ScrapedSample[]) => samples.map((s) => [s.labels, s.value, s.timestampMs]);

function parseFails(fn: () => unknown, line: number, message: RegExp): void {
  assert.throws(fn, (err) => err instanceof ExpositionParseError && err.line === line && message.test(err.message), `expected line ${line} ${message}`);
}

async function promClientRegistry(): Promise<Registry<RegistryContentType>> {
  const registry = new Registry<RegistryContentType>();
  const requests = new Counter({ name: 'http_requests_total', help: 'Requests.\nSecond line with a \\ backslash', labelNames: ['route', 'code'], registers: [registry] });
  requests.inc({ route: '/a "quoted"', code: '200' }, 3);
  requests.inc({ route: 'line\nbreak\\', code: '500' });
  new Gauge({ name: 'temperature', help: 'Temp', registers: [registry] }).set(-Infinity);
  const latency = new Histogram({ name: 'latency_seconds', help: 'Latency', buckets: [0.1, 1], registers: [registry] });
  latency.observe(0.05);
  latency.observe(5);
  const size = new Summary({ name: 'size_bytes', help: 'Size', percentiles: [0.5], registers: [registry] });
  size.observe(10);
  return registry;
}

describe('Prometheus text format 0.0.4', () => {
  it('reads a real prom-client registry: escapes, histograms and summaries as plain series', async () => {
    const registry = await promClientRegistry();
    const samples = text(await registry.metrics());
    const byKey = new Map(samples.map((s) => [JSON.stringify(s.labels), s.value]));
    assert.equal(byKey.get(JSON.stringify({ __name__: 'http_requests_total', route: '/a "quoted"', code: '200' })), 3);
    assert.equal(byKey.get(JSON.stringify({ __name__: 'http_requests_total', route: 'line\nbreak\\', code: '500' })), 1);
    assert.equal(byKey.get(JSON.stringify({ __name__: 'temperature' })), -Infinity);
    assert.equal(byKey.get(JSON.stringify({ __name__: 'latency_seconds_bucket', le: '0.1' })), 1);
    assert.equal(byKey.get(JSON.stringify({ __name__: 'latency_seconds_bucket', le: '+Inf' })), 2);
    assert.equal(byKey.get(JSON.stringify({ __name__: 'latency_seconds_sum' })), 5.05);
    assert.equal(byKey.get(JSON.stringify({ __name__: 'latency_seconds_count' })), 2);
    assert.equal(byKey.get(JSON.stringify({ __name__: 'size_bytes', quantile: '0.5' })), 10);
    assert.equal(byKey.get(JSON.stringify({ __name__: 'size_bytes_count' })), 1);
    assert.equal(samples.length, 2 + 1 + 5 + 3);
  });

  it('values and timestamps: +Inf, -Inf, NaN, exponents, negative and millisecond timestamps', () => {
    assert.deepEqual(
      flat(text('a +Inf\nb -Inf\nc NaN\nd 1.5e3 1700000000000\ne -0.25 -5\nf 7\t\t123\n')),
      [
        [{ __name__: 'a' }, Infinity, undefined],
        [{ __name__: 'b' }, -Infinity, undefined],
        [{ __name__: 'c' }, NaN, undefined],
        [{ __name__: 'd' }, 1500, 1_700_000_000_000],
        [{ __name__: 'e' }, -0.25, -5],
        [{ __name__: 'f' }, 7, 123],
      ],
    );
  });

  it('odd but valid inputs: blanks, comments, trailing comma, empty labels, colons, CRLF, no final newline', () => {
    const body = [
      '',
      '   # just a comment',
      '# HELP  x  help with \\n and \\\\',
      '# TYPE x untyped',
      '#no space comment',
      '  x{a="1",b="",} 1',
      'x { a = "2" } 2',
      'job:rate5m{} 3\r',
      '{"dotted.name", a="b"} 4',
      'last 5',
    ].join('\n');
    assert.deepEqual(flat(text(body)), [
      [{ __name__: 'x', a: '1', b: '' }, 1, undefined],
      [{ __name__: 'x', a: '2' }, 2, undefined],
      [{ __name__: 'job:rate5m' }, 3, undefined],
      [{ __name__: 'dotted.name', a: 'b' }, 4, undefined],
      [{ __name__: 'last' }, 5, undefined],
    ]);
    assert.deepEqual(text(''), []);
  });

  it('bad lines are errors naming the line', () => {
    parseFails(() => text('ok 1\nbad'), 2, /expected a value after bad/);
    parseFails(() => text('ok 1\n\nx{a="1"} one'), 3, /"one" is not a number/);
    parseFails(() => text('x{a="1} 1'), 1, /unterminated label value|missing }/);
    parseFails(() => text('x{a=1} 1'), 1, /expected " to start the value of label a/);
    parseFails(() => text('x{a="\\t"} 1'), 1, /invalid escape "\\t"/);
    parseFails(() => text('x{a="1",a="2"} 1'), 1, /label a appears twice/);
    parseFails(() => text('x 1 12.5'), 1, /"12.5" is not a timestamp in milliseconds/);
    parseFails(() => text('x 1 2 3'), 1, /unexpected "3"/);
    parseFails(() => text('# TYPE x countr'), 1, /"countr" is not a metric type/);
    parseFails(() => text('1x 1'), 1, /invalid metric name/);
    parseFails(() => text('x-y 1'), 1, /invalid character "-"/);
    parseFails(() => text('x{1a="b"} 1'), 1, /invalid label name/);
    parseFails(() => text('x 1 # {a="b"} 1'), 1, /unexpected "#/);
    parseFails(() => text('x '), 1, /expected a value/);
  });
});

describe('OpenMetrics text 1.0', () => {
  it('reads prom-client OpenMetrics output; _created series are skipped', async () => {
    const registry = await promClientRegistry();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const body = await registry.metrics();
    assert.ok(body.trimEnd().endsWith('# EOF'));
    const samples = om(body);
    assert.ok(samples.some((s) => s.labels.__name__ === 'http_requests_total' && s.value === 3));
    assert.ok(samples.some((s) => s.labels.__name__ === 'latency_seconds_bucket' && s.labels.le === '+Inf'));
    assert.ok(!samples.some((s) => s.labels.__name__.endsWith('_created')));
  });

  it('timestamps are seconds; exemplars are ignored; units are read; _created only skipped for counter-like types', () => {
    const body = [
      '# TYPE req counter',
      '# UNIT req requests',
      '# HELP req Requests with \\"quotes\\".',
      'req_total{path="/"} 10 1700000000.5 # {trace_id="abc"} 1 1700000000.1',
      'req_created{path="/"} 1699999999',
      '# TYPE start gauge',
      'start_created 5',
      '# TYPE info_thing info',
      'info_thing_info{version="1.2"} 1',
      '# TYPE h histogram',
      'h_bucket{le="+Inf"} 2 # {id="x"} 0.5',
      'h_created 1',
      '# EOF',
      '',
    ].join('\n');
    assert.deepEqual(flat(om(body)), [
      [{ __name__: 'req_total', path: '/' }, 10, 1_700_000_000_500],
      [{ __name__: 'start_created' }, 5, undefined],
      [{ __name__: 'info_thing_info', version: '1.2' }, 1, undefined],
      [{ __name__: 'h_bucket', le: '+Inf' }, 2, undefined],
    ]);
  });

  it('requires # EOF last and rejects what OpenMetrics forbids, naming the line', () => {
    parseFails(() => om('a 1\n'), 1, /does not end with "# EOF"/);
    parseFails(() => om('a 1\n# EOF\nb 2\n'), 3, /content after # EOF/);
    parseFails(() => om('a 1\n\n# EOF\n'), 2, /empty line/);
    parseFails(() => om('# random comment\n# EOF\n'), 1, /unknown metadata "# random"/);
    parseFails(() => om('# TYPE a untyped\n# EOF\n'), 1, /"untyped" is not a metric type/);
    parseFails(() => om('a 1 x\n# EOF\n'), 1, /"x" is not a timestamp in seconds/);
  });
});

describe('content negotiation', () => {
  it('picks the parser from Content-Type', () => {
    assert.equal(formatOf('application/openmetrics-text; version=1.0.0; charset=utf-8'), 'openmetrics-text');
    assert.equal(formatOf('text/plain; version=0.0.4; charset=utf-8'), 'prometheus-text');
    assert.equal(formatOf(null), 'prometheus-text');
  });
});

describe('speed', () => {
  it('parses 100k samples quickly', () => {
    const lines: string[] = ['# HELP m A metric', '# TYPE m counter'];
    for (let i = 0; i < 100_000; i++) lines.push(`m{route="/r/${i % 100}",code="${200 + (i % 5)}",instance="i${i}"} ${i}.5`);
    const body = lines.join('\n');
    const start = performance.now();
    const samples = text(body);
    const ms = performance.now() - start;
    assert.equal(samples.length, 100_000);
    assert.ok(ms < 2000, `took ${ms}ms`);
  });
});
