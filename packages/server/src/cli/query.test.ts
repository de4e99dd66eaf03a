import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { formatResult, parseTimeFlag, queryInstant, queryRange, type Output } from './query.ts';

const NOW = 1_700_000_000_000;

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (line) => lines.push(line), err: (line) => errors.push(line) };
}

/** A server that answers `answer` and records each request's path, body and tenant. */
async function fakeServer(t: TestContext, status: number, answer: unknown) {
  const seen: { path: string; form: Record<string, string>; tenant?: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ path: req.url!, form: Object.fromEntries(new URLSearchParams(body)), tenant: req.headers['x-scope-orgid'] as string | undefined });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

test('times: Unix seconds, RFC 3339, now and now±duration', () => {
  assert.equal(parseTimeFlag('1700000000.5', '--time', NOW), '1700000000.5');
  assert.equal(parseTimeFlag('2023-11-14T22:13:20Z', '--time', NOW), '1700000000');
  assert.equal(parseTimeFlag('now', '--time', NOW), '1700000000');
  assert.equal(parseTimeFlag('now-1h', '--start', NOW), '1699996400');
  assert.equal(parseTimeFlag('now+90s', '--end', NOW), '1700000090');
  assert.throws(() => parseTimeFlag('yesterday', '--time', NOW), /--time: "yesterday" is not a time/);
  assert.throws(() => parseTimeFlag('now-1x', '--start', NOW), /--start: "1x" in "now-1x" is not a duration/);
});

test("text output is promtool's: vectors on one line, matrices a metric then its points", () => {
  assert.deepEqual(formatResult({ resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'a"b' }, value: [1700000000, '1'] }] }), [
    'up{job="a\\"b"} => 1 @[1700000000]',
  ]);
  assert.deepEqual(formatResult({ resultType: 'matrix', result: [{ metric: { job: 'x' }, values: [[1, '2'], [16, '3']] }] }), [
    '{job="x"} =>',
    '2 @[1]',
    '3 @[16]',
  ]);
  assert.deepEqual(formatResult({ resultType: 'scalar', result: [5, '1.5'] }), ['1.5 @[5]']);
});

test('an instant query posts the form to /api/v1/query with the tenant and prints the result (exit 0)', async (t) => {
  const answer = { status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up' }, value: [1700000000, '1'] }] }, warnings: ['w1'], infos: ['i1'] };
  const server = await fakeServer(t, 200, answer);
  const io = capture();
  const code = await queryInstant(['up', '--time', 'now-1m', '--url', server.url, '--tenant', 'team-a'], io, NOW);
  assert.equal(code, 0);
  assert.deepEqual(io.lines, ['up => 1 @[1700000000]']);
  assert.deepEqual(io.errors, ['warning: w1', 'info: i1'], 'annotations go to stderr, so stdout stays parseable');
  assert.deepEqual(server.seen, [{ path: '/api/v1/query', form: { query: 'up', time: '1699999940' }, tenant: 'team-a' }]);
});

test('a range query sends start, end and step; --output json prints the body as the server sent it', async (t) => {
  const answer = { status: 'success', data: { resultType: 'matrix', result: [] } };
  const server = await fakeServer(t, 200, answer);
  const io = capture();
  const code = await queryRange(['rate(x[5m])', '--start', 'now-1h', '--end', 'now', '--step', '1m', '--output', 'json', '--url', `${server.url}/`], io, NOW);
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(io.lines[0]), answer);
  assert.equal(server.seen[0].path, '/api/v1/query_range', 'a trailing / on --url is dropped');
  assert.deepEqual(server.seen[0].form, { query: 'rate(x[5m])', start: '1699996400', end: '1700000000', step: '1m' });
});

test("a query the server refuses exits 1 with Prometheus' error", async (t) => {
  const server = await fakeServer(t, 400, { status: 'error', errorType: 'bad_data', error: 'parse error at 1:5: unexpected end of input' });
  const io = capture();
  assert.equal(await queryInstant(['sum(', '--url', server.url], io, NOW), 1);
  assert.deepEqual(io.errors, ['vigil: bad_data: parse error at 1:5: unexpected end of input']);
});

test('usage errors exit 2 and say what is wrong, before anything is sent', async () => {
  const cases: [(io: Output) => Promise<number>, RegExp][] = [
    [(io) => queryInstant([], io, NOW), /expected one PromQL query/],
    [(io) => queryInstant(['up', '--bogus'], io, NOW), /Unknown option '--bogus'/],
    [(io) => queryInstant(['up', '--output', 'yaml'], io, NOW), /--output: "yaml" is not json or text/],
    [(io) => queryInstant(['up', '--time', 'soon'], io, NOW), /--time: "soon" is not a time/],
    [(io) => queryRange(['up', '--end', 'now', '--step', '1m'], io, NOW), /--start is required/],
    [(io) => queryRange(['up', '--start', 'now-1h', '--end', 'now', '--step', 'often'], io, NOW), /--step: "often" is not a duration/],
  ];
  for (const [run, message] of cases) {
    const io = capture();
    assert.equal(await run(io), 2, String(message));
    assert.match(io.errors.join('\n'), message);
    assert.deepEqual(io.lines, []);
  }
});

test('an unreachable server exits 1 naming the URL', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const io = capture();
  assert.equal(await queryInstant(['up', '--url', url], io, NOW), 1);
  assert.equal(io.errors[0], `vigil: cannot reach ${url}: ECONNREFUSED`);
});
