/**
 * Tenancy: lines pushed as tenant A (X-Scope-OrgID: A), through every push
 * protocol, are invisible to tenant B, to the default tenant (no header) and
 * to tenant "a" (ids are case-sensitive) at every query endpoint, including
 * the live tail; the same labels pushed by two tenants stay two streams.
 * Every negative check has a positive control: A itself sees its lines.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { eventually, removeDir, startVigil, type VigilProcess } from './vigil-process.ts';

let vigil: VigilProcess;

/** Tenants that must see nothing of A: undefined is the default tenant. */
const OTHERS: Array<string | undefined> = ['B', undefined, 'a'];
const nameOf = (tenant: string | undefined) => tenant ?? '(default)';
const headersFor = (tenant: string | undefined): Record<string, string> => (tenant === undefined ? {} : { 'X-Scope-OrgID': tenant });

/** A's streams, one per push protocol. */
const A_SELECTOR = '{service=~"tenancy-a-.+"}';
const A_LINES = [
  'A secret loki 1',
  'A secret loki 2',
  'A secret loki 3',
  'A secret otlp 1',
  'A secret otlp 2',
  JSON.stringify({ msg: 'A secret jsonl 1' }), // JSON lines store the object as the line
];

async function get(path: string, params: Record<string, string | string[]>, tenant: string | undefined): Promise<any> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) search.append(key, v);
  const response = await fetch(`${vigil.url}${path}?${search}`, { headers: headersFor(tenant) });
  const text = await response.text();
  assert.equal(response.status, 200, `${path} as ${nameOf(tenant)}: ${text}`);
  return JSON.parse(text);
}

/** Every line of a streams answer, sorted. */
function linesOf(body: any): string[] {
  assert.equal(body.data.resultType, 'streams');
  return body.data.result.flatMap((s: any) => s.values.map((v: [string, string]) => v[1])).sort();
}

async function pushLoki(tenant: string | undefined, stream: Record<string, string>, lines: string[]): Promise<void> {
  const base = Date.now() - 60_000;
  const values = lines.map((line, i) => [String(BigInt(base + i) * 1_000_000n), line]);
  const response = await fetch(`${vigil.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headersFor(tenant) },
    body: JSON.stringify({ streams: [{ stream, values }] }),
  });
  assert.equal(response.status, 204, await response.text());
}

before(async () => {
  vigil = await startVigil();
  const base = Date.now() - 60_000;
  await pushLoki('A', { service: 'tenancy-a-loki', only_in_a: 'yes' }, A_LINES.slice(0, 3));
  const otlp = await fetch(`${vigil.url}/v1/logs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Scope-OrgID': 'A' },
    body: JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'tenancy-a-otlp' } }] },
          scopeLogs: [
            {
              logRecords: A_LINES.slice(3, 5).map((line, i) => ({
                timeUnixNano: String(BigInt(base + 10 + i) * 1_000_000n),
                body: { stringValue: line },
              })),
            },
          ],
        },
      ],
    }),
  });
  assert.equal(otlp.status, 200, await otlp.text());
  const jsonl = await fetch(`${vigil.url}/vigil/api/v1/logs?service=tenancy-a-jsonl&only_in_a=yes`, {
    method: 'POST',
    headers: { 'X-Scope-OrgID': 'A' },
    body: `${A_LINES[5]}\n`,
  });
  const reply = await jsonl.text();
  assert.equal(jsonl.status, 200, reply);
  assert.equal(JSON.parse(reply).accepted, 1);
});

after(async () => {
  await vigil?.stop();
  if (vigil) removeDir(vigil.dataDir);
});

test('query_range (log queries): A sees its lines; B, the default tenant and "a" see none of them', async () => {
  const mine = await eventually(async () => {
    const body = await get('/loki/api/v1/query_range', { query: A_SELECTOR, limit: '1000' }, 'A');
    assert.deepEqual(linesOf(body), [...A_LINES].sort());
    return body;
  });
  assert.equal(mine.data.result.length, 3, 'one stream per push protocol');
  for (const tenant of OTHERS) {
    for (const query of [A_SELECTOR, '{only_in_a="yes"}', `${A_SELECTOR} |= "secret"`]) {
      const body = await get('/loki/api/v1/query_range', { query, limit: '1000' }, tenant);
      assert.deepEqual(body.data.result, [], `${query} as ${nameOf(tenant)}`);
    }
    // a selector matching everything the tenant has finds nothing of A either
    const everything = await get('/loki/api/v1/query_range', { query: '{service=~".+"}', limit: '5000' }, tenant);
    const leaked = linesOf(everything).filter((line) => line.includes('A secret'));
    assert.deepEqual(leaked, [], `as ${nameOf(tenant)}`);
    // the POST form of the same endpoint
    const response = await fetch(`${vigil.url}/loki/api/v1/query_range`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headersFor(tenant) },
      body: new URLSearchParams({ query: A_SELECTOR, limit: '1000' }).toString(),
    });
    assert.equal(response.status, 200);
    assert.deepEqual((await response.json()).data.result, [], `POST as ${nameOf(tenant)}`);
  }
  // the POST form does return A's lines to A
  const response = await fetch(`${vigil.url}/loki/api/v1/query_range`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Scope-OrgID': 'A' },
    body: new URLSearchParams({ query: A_SELECTOR, limit: '1000' }).toString(),
  });
  assert.deepEqual(linesOf(await response.json()), [...A_LINES].sort());
});

/** Sum of every point of a matrix answer. */
function matrixTotal(body: any): number {
  assert.equal(body.data.resultType, 'matrix');
  return body.data.result.reduce((sum: number, s: any) => sum + s.values.reduce((n: number, [, v]: [number, string]) => n + Number(v), 0), 0);
}

test('query_range (metric queries): counted for A, empty for everyone else, with and without pushdown', async () => {
  const queries = [
    // counted inside SQLite (no parser)
    `sum(count_over_time(${A_SELECTOR}[1m]))`,
    `sum by (service) (count_over_time(${A_SELECTOR} |= "secret" [1m]))`,
    `sum(bytes_over_time(${A_SELECTOR}[1m]))`,
    // evaluated line by line (a parser and a label filter)
    `sum(count_over_time(${A_SELECTOR} | logfmt | __error__="" [1m]))`,
    `count_over_time({only_in_a="yes"} | json | __error__="" [1m])`,
  ];
  const range = { start: String(Math.floor(Date.now() / 1000) - 600), end: String(Math.floor(Date.now() / 1000) + 60), step: '60' };
  for (const query of queries) {
    const mine = await get('/loki/api/v1/query_range', { query, ...range }, 'A');
    assert.ok(matrixTotal(mine) > 0, `${query} as A: ${JSON.stringify(mine.data.result)}`);
    for (const tenant of OTHERS) {
      const body = await get('/loki/api/v1/query_range', { query, ...range }, tenant);
      assert.deepEqual(body.data.result, [], `${query} as ${nameOf(tenant)}`);
    }
  }
  // the count is exactly A's lines
  const exact = await get('/loki/api/v1/query_range', { query: `sum(count_over_time(${A_SELECTOR}[5m]))`, ...range }, 'A');
  assert.equal(Math.max(...exact.data.result[0].values.map(([, v]: [number, string]) => Number(v))), A_LINES.length);
});

test('query (instant metric queries): A counts its lines, everyone else gets an empty vector', async () => {
  for (const query of [`sum(count_over_time(${A_SELECTOR}[10m]))`, `count_over_time({only_in_a="yes"} | json | __error__="" [10m])`]) {
    const mine = await get('/loki/api/v1/query', { query }, 'A');
    assert.equal(mine.data.resultType, 'vector');
    assert.ok(mine.data.result.length > 0, `${query} as A`);
    for (const tenant of OTHERS) {
      const body = await get('/loki/api/v1/query', { query }, tenant);
      assert.equal(body.data.resultType, 'vector');
      assert.deepEqual(body.data.result, [], `${query} as ${nameOf(tenant)}`);
    }
  }
  const total = await get('/loki/api/v1/query', { query: `sum(count_over_time(${A_SELECTOR}[10m]))` }, 'A');
  assert.equal(total.data.result[0].value[1], String(A_LINES.length));
});

test('labels: A\'s label names are listed for A only', async () => {
  const mine = await get('/loki/api/v1/labels', {}, 'A');
  assert.ok(mine.data.includes('only_in_a'), JSON.stringify(mine.data));
  assert.deepEqual((await get('/loki/api/v1/labels', { query: A_SELECTOR }, 'A')).data, ['only_in_a', 'service']);
  for (const tenant of OTHERS) {
    const all = await get('/loki/api/v1/labels', {}, tenant);
    assert.ok(!all.data.includes('only_in_a'), `as ${nameOf(tenant)}: ${JSON.stringify(all.data)}`);
    assert.deepEqual((await get('/loki/api/v1/labels', { query: A_SELECTOR }, tenant)).data, [], `as ${nameOf(tenant)}`);
  }
});

test('label values: A\'s values are listed for A only', async () => {
  assert.deepEqual((await get('/loki/api/v1/label/only_in_a/values', {}, 'A')).data, ['yes']);
  const services = (await get('/loki/api/v1/label/service/values', {}, 'A')).data;
  for (const service of ['tenancy-a-jsonl', 'tenancy-a-loki', 'tenancy-a-otlp']) assert.ok(services.includes(service), JSON.stringify(services));
  for (const tenant of OTHERS) {
    assert.deepEqual((await get('/loki/api/v1/label/only_in_a/values', {}, tenant)).data, [], `as ${nameOf(tenant)}`);
    const theirs = (await get('/loki/api/v1/label/service/values', {}, tenant)).data as string[];
    assert.deepEqual(theirs.filter((s) => s.startsWith('tenancy-a-')), [], `as ${nameOf(tenant)}`);
    assert.deepEqual((await get('/loki/api/v1/label/service/values', { query: A_SELECTOR }, tenant)).data, [], `as ${nameOf(tenant)}`);
  }
});

test('series: A\'s streams are listed for A only', async () => {
  const mine = await get('/loki/api/v1/series', { 'match[]': A_SELECTOR }, 'A');
  assert.deepEqual(
    mine.data.map((s: any) => s.service).sort(),
    ['tenancy-a-jsonl', 'tenancy-a-loki', 'tenancy-a-otlp'],
  );
  for (const tenant of OTHERS) {
    assert.deepEqual((await get('/loki/api/v1/series', { 'match[]': A_SELECTOR }, tenant)).data, [], `as ${nameOf(tenant)}`);
    assert.deepEqual((await get('/loki/api/v1/series', { 'match[]': ['{only_in_a="yes"}', '{service="tenancy-a-otlp"}'] }, tenant)).data, []);
    // no selector: every stream of the tenant, none of them A's
    const all = (await get('/loki/api/v1/series', {}, tenant)).data as any[];
    assert.deepEqual(all.filter((s) => String(s.service).startsWith('tenancy-a-') || s.only_in_a !== undefined), [], `as ${nameOf(tenant)}`);
  }
});

interface Tail {
  socket: WebSocket;
  frames: any[];
  lines(): string[];
}

async function openTail(tenant: string | undefined, query: string): Promise<Tail> {
  const url = new URL('/loki/api/v1/tail', vigil.url.replace('http', 'ws'));
  url.searchParams.set('query', query);
  const socket = new WebSocket(url, { headers: headersFor(tenant) });
  const frames: any[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  after(() => socket.close());
  return {
    socket,
    frames,
    // a line may come twice (catch-up and live); what matters is which lines came
    lines: () => [...new Set(frames.flatMap((f) => (f.streams ?? []).flatMap((s: any) => s.values.map((v: string[]) => v[1]))))].sort(),
  };
}

test('tail: a live tail as B or the default tenant never receives A\'s lines, while A\'s tail does', async () => {
  // the selector also matches A's lines pushed earlier, so the catch-up must not leak either
  const query = '{service=~"tenancy-.+"}';
  const tailA = await openTail('A', query);
  const tailB = await openTail('B', query);
  const tailDefault = await openTail(undefined, query);
  // each tail has proved it is subscribed once it has received its own tenant's line
  await pushLoki('B', { service: 'tenancy-tail' }, ['B marker']);
  await pushLoki(undefined, { service: 'tenancy-tail' }, ['default marker']);
  await eventually(async () => assert.deepEqual(tailB.lines(), ['B marker']), 5_000);
  await eventually(async () => assert.deepEqual(tailDefault.lines(), ['default marker']), 5_000);

  await pushLoki('A', { service: 'tenancy-tail' }, ['A live 1', 'A live 2']);
  await eventually(async () => assert.deepEqual(tailA.lines(), [...A_LINES, 'A live 1', 'A live 2'].sort()), 5_000);
  await sleep(1_000);
  assert.deepEqual(tailB.lines(), ['B marker'], 'B received only its own line');
  assert.deepEqual(tailDefault.lines(), ['default marker'], 'the default tenant received only its own line');
  assert.deepEqual(tailA.lines(), [...A_LINES, 'A live 1', 'A live 2'].sort(), "A received none of B's or the default tenant's lines");
  for (const tail of [tailA, tailB, tailDefault]) assert.equal(tail.socket.readyState, WebSocket.OPEN);
});

test('tail: an invalid tenant id closes the socket with a 4400 naming X-Scope-OrgID', async () => {
  const url = new URL('/loki/api/v1/tail', vigil.url.replace('http', 'ws'));
  url.searchParams.set('query', '{service=~".+"}');
  const socket = new WebSocket(url, { headers: { 'X-Scope-OrgID': 'A|B' } });
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(data.toString()));
  const [code, reason] = await new Promise<[number, string]>((resolve, reject) => {
    socket.once('close', (c, r) => resolve([c, r.toString()]));
    socket.once('error', reject);
  });
  assert.equal(code, 4400);
  assert.match(reason, /X-Scope-OrgID/);
  assert.deepEqual(frames, []);
});

test('the same labels pushed by A and B are two streams with their own lines', async () => {
  const labels = { service: 'shared', env: 'prod' };
  await pushLoki('A', labels, ['from A 1', 'from A 2']);
  await pushLoki('B', labels, ['from B 1']);
  const asA = await get('/loki/api/v1/query_range', { query: '{service="shared"}' }, 'A');
  const asB = await get('/loki/api/v1/query_range', { query: '{service="shared"}' }, 'B');
  assert.equal(asA.data.result.length, 1);
  assert.equal(asB.data.result.length, 1);
  assert.deepEqual(asA.data.result[0].stream, labels);
  assert.deepEqual(asB.data.result[0].stream, labels);
  assert.deepEqual(linesOf(asA), ['from A 1', 'from A 2']);
  assert.deepEqual(linesOf(asB), ['from B 1']);
  assert.deepEqual((await get('/loki/api/v1/series', { 'match[]': '{service="shared"}' }, 'A')).data, [labels]);
  assert.deepEqual((await get('/loki/api/v1/series', { 'match[]': '{service="shared"}' }, 'B')).data, [labels]);
  const count = async (tenant: string) =>
    (await get('/loki/api/v1/query', { query: 'sum(count_over_time({service="shared"}[10m]))' }, tenant)).data.result[0].value[1];
  assert.equal(await count('A'), '2');
  assert.equal(await count('B'), '1');
  // and neither shows up for the default tenant
  assert.deepEqual((await get('/loki/api/v1/query_range', { query: '{service="shared"}' }, undefined)).data.result, []);
});
