/**
 * Bad input against one started server: every bad request gets the precise
 * 4xx (400 / 413 / 415) with a body that names the problem, in the shape of
 * the API it was sent to (Loki: plain text; OTLP: google.rpc.Status in the
 * request's encoding; JSON lines: its JSON reply), and the server stays
 * healthy. Mixed batches store their good entries and name the bad ones.
 * Lines accepted before the bad requests are all still there afterwards, and
 * the rejections are counted in /metrics by reason.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createGzip, gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { compressSync } from 'snappy';
import { ProtoWriter } from '../../src/ingest/protobuf-writer.ts';
import { encodeWith, otlpType, writeLokiPush } from '../../src/ingest/testing.ts';
import { eventually, queryRange, removeDir, startVigil, type VigilProcess } from './vigil-process.ts';

const MAX_BODY = 1_048_576;
const MAX_LINE = 1000;
const TENANT = 'bad-input';

let vigil: VigilProcess;

// ---------------------------------------------------------------- requests

interface Answer {
  status: number;
  contentType: string;
  bytes: Buffer;
  text: string;
  ms: number;
}

type Body = string | Uint8Array | undefined;

async function send(method: 'GET' | 'POST', path: string, body: Body, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${vigil.url}${path}`, {
    method,
    // Buffers are valid bodies; the DOM typings only list ArrayBuffer-backed views
    body: body as RequestInit['body'],
    headers: { 'X-Scope-OrgID': TENANT, ...headers },
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    bytes,
    text: bytes.toString('utf8'),
    ms: performance.now() - started,
  };
}

const JSON_TYPE = 'application/json';
const PROTO_TYPE = 'application/x-protobuf';

/** POST /loki/api/v1/push with a JSON body (an object is stringified). */
const lokiJson = (body: unknown, headers: Record<string, string> = {}) =>
  send('POST', '/loki/api/v1/push', typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body), {
    'Content-Type': JSON_TYPE,
    ...headers,
  });
/** POST /loki/api/v1/push with a protobuf body, sent as given (compress it first for a valid push). */
const lokiProto = (body: Uint8Array, headers: Record<string, string> = {}) =>
  send('POST', '/loki/api/v1/push', body, { 'Content-Type': PROTO_TYPE, ...headers });
const otlp = (encoding: 'json' | 'protobuf', body: Body, headers: Record<string, string> = {}) =>
  send('POST', '/v1/logs', body, { 'Content-Type': encoding === 'json' ? JSON_TYPE : PROTO_TYPE, ...headers });
/** POST /vigil/api/v1/logs; labels go in the query string. */
const jsonLines = (labels: Record<string, string>, body: Body, headers: Record<string, string> = {}) =>
  send('POST', `/vigil/api/v1/logs?${new URLSearchParams(labels)}`, body, headers);

// ---------------------------------------------------------------- bodies

const nowMs = () => Date.now();
const nsAt = (ms: number) => BigInt(Math.round(ms)) * 1_000_000n;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const future = () => nowMs() + HOUR; // beyond limits.future_grace (10m)
const tooOld = () => nowMs() - 40 * DAY; // beyond retention.standard (30d)
const longLine = (c: string) => c.repeat(MAX_LINE + 1);
const invalidUtf8 = Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x80]);

type LokiEntry = [string | number, string] | [string | number, string, Record<string, string>];

function lokiBody(streams: Array<{ stream: Record<string, string>; values: LokiEntry[] }>): unknown {
  return { streams };
}

/** A Loki protobuf push, snappy-compressed as clients send it. */
function lokiProtoBody(streams: Array<{ labels: string; entries: Array<{ ms: number; line: string | Uint8Array }> }>): Buffer {
  return compressSync(
    writeLokiPush(
      streams.map((s) => ({
        labels: s.labels,
        entries: s.entries.map((e) => ({ seconds: Math.floor(e.ms / 1000), nanos: (e.ms % 1000) * 1_000_000, line: e.line })),
      })),
    ),
  );
}

interface OtlpRecord {
  ms: number;
  body: string | Uint8Array;
}

/** One ResourceLogs per resource, one ScopeLogs each, as an OTLP/JSON document. */
function otlpDoc(resources: Array<{ attributes: Record<string, string>; records: OtlpRecord[] }>): Record<string, unknown> {
  return {
    resourceLogs: resources.map((r) => ({
      resource: { attributes: Object.entries(r.attributes).map(([key, value]) => ({ key, value: { stringValue: value } })) },
      scopeLogs: [
        {
          scope: { name: 'bad-input-test' },
          logRecords: r.records.map((rec) => ({ timeUnixNano: nsAt(rec.ms).toString(), body: { stringValue: rec.body } })),
        },
      ],
    })),
  };
}

/** The same request in OTLP protobuf, written byte by byte so a body may be invalid UTF-8. */
function otlpProtoBody(resources: Array<{ attributes: Record<string, string>; records: OtlpRecord[] }>): Buffer {
  const w = new ProtoWriter();
  for (const r of resources) {
    w.message(1, (rl) => {
      rl.message(1, (res) => {
        for (const [key, value] of Object.entries(r.attributes)) {
          res.message(1, (kv) => kv.string(1, key).message(2, (v) => v.string(1, value)));
        }
      });
      rl.message(2, (sl) => {
        sl.message(1, (scope) => scope.string(1, 'bad-input-test'));
        for (const rec of r.records) {
          sl.message(2, (lr) =>
            lr.fixed64(1, nsAt(rec.ms)).message(5, (v) => (typeof rec.body === 'string' ? v.string(1, rec.body) : v.bytes(1, rec.body))),
          );
        }
      });
    });
  }
  return w.finish();
}

const otlpBody = (encoding: 'json' | 'protobuf', resources: Array<{ attributes: Record<string, string>; records: OtlpRecord[] }>) =>
  encoding === 'json' ? JSON.stringify(otlpDoc(resources)) : otlpProtoBody(resources);

/** Deterministic bytes that are not a protobuf message (checked by the tests that use them). */
function garbage(n: number): Buffer {
  const out = Buffer.alloc(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = (s >> 16) & 0xff;
  }
  return out;
}

/** A snappy block that declares 100 bytes, then copies from before the start of the output. */
const corruptSnappy = Buffer.from([0x64, 0x01, 0xff, 0xff, 0xff, 0x10, 0x00, 0x00]);
/** A gzip header followed by a deflate block of an invalid type. */
const corruptGzip = Buffer.from('1f8b0800000000000003ffffffffffff', 'hex');

let bomb: Buffer | undefined;
/** 200 MiB of zeros, gzipped (about 200 KB), built without holding 200 MiB. */
async function gzipBomb(): Promise<Buffer> {
  if (bomb) return bomb;
  const chunk = Buffer.alloc(1 << 20);
  bomb = await buffer(
    Readable.from(
      (function* () {
        for (let i = 0; i < 200; i++) yield chunk;
      })(),
    ).pipe(createGzip({ level: 9 })),
  );
  assert.ok(bomb.length < MAX_BODY, `the bomb itself (${bomb.length} bytes) must fit under the body limit`);
  return bomb;
}

// ---------------------------------------------------------------- answers

const rpcStatusType = protobuf.Root.fromJSON({
  nested: { Status: { fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } } } },
}).lookupType('Status');
const exportResponseType = otlpType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');

/** google.rpc.Code that OTLP/HTTP pairs with each HTTP status used here. */
const grpcCodeOf: Record<number, number> = { 400: 3, 413: 11, 415: 3 };

/** A Loki-style refusal: the status and a plain-text body matching `names`. */
function assertPlainRefusal(answer: Answer, status: number, names: RegExp): void {
  assert.equal(answer.status, status, `expected ${status}, got ${answer.status}: ${answer.text}`);
  assert.match(answer.contentType, /^text\/plain/);
  assert.match(answer.text, names);
}

/** An OTLP refusal: the status and a google.rpc.Status in the request's encoding. */
function assertOtlpRefusal(answer: Answer, encoding: 'json' | 'protobuf', status: number, names: RegExp): void {
  assert.equal(answer.status, status, `expected ${status}, got ${answer.status}: ${answer.text}`);
  let rpc: { code?: number; message?: string };
  if (encoding === 'json') {
    assert.match(answer.contentType, /^application\/json/);
    rpc = JSON.parse(answer.text);
  } else {
    assert.match(answer.contentType, /^application\/x-protobuf/);
    rpc = rpcStatusType.toObject(rpcStatusType.decode(answer.bytes)) as typeof rpc;
  }
  assert.equal(rpc.code, grpcCodeOf[status], `gRPC code in ${JSON.stringify(rpc)}`);
  assert.match(rpc.message ?? '', names);
}

/** The JSON-lines reply when every line was refused: 400, nothing accepted, each line named. */
function assertJsonLinesRefusal(answer: Answer, expected: Array<{ line: number; reason: string; message?: RegExp }>): void {
  assert.equal(answer.status, 400, answer.text);
  assert.match(answer.contentType, /^application\/json/);
  const reply = JSON.parse(answer.text);
  assert.equal(reply.accepted, 0);
  assert.deepEqual(
    reply.rejected.map((r: any) => ({ line: r.line, reason: r.reason })),
    expected.map((e) => ({ line: e.line, reason: e.reason })),
  );
  expected.forEach((e, i) => {
    if (e.message) assert.match(reply.rejected[i].message, e.message);
  });
}

/** "stream S entry E: reason" for every rejection listed in a Loki 400 or an OTLP errorMessage. */
function listedRejections(text: string): string[] {
  return [...text.matchAll(/^stream (\d+) entry (\d+): (\w+):/gm)].map((m) => `${m[1]}/${m[2]} ${m[3]}`).sort();
}

async function assertHealthy(): Promise<void> {
  const response = await fetch(`${vigil.url}/health`);
  assert.equal(response.status, 200, 'the server is still healthy');
  assert.deepEqual(await response.json(), { status: 'ok' });
}

/** Lines stored for a query, oldest first. */
async function storedLines(query: string): Promise<string[]> {
  const { status, body } = await queryRange(vigil.url, query, { tenant: TENANT, direction: 'forward', since: '2h' });
  assert.equal(status, 200, JSON.stringify(body));
  return body.data.result
    .flatMap((s: any) => s.values as [string, string][])
    .sort((a: [string, string], b: [string, string]) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : BigInt(a[0]) > BigInt(b[0]) ? 1 : 0))
    .map((v: [string, string]) => v[1]);
}

async function assertStored(query: string, expected: string[]): Promise<void> {
  await eventually(async () => assert.deepEqual(await storedLines(query), expected), 5_000);
}

/** vigil_ingest_rejected_total summed over protocols, by reason. */
async function rejectedByReason(): Promise<Map<string, number>> {
  const text = await (await fetch(`${vigil.url}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^vigil_ingest_rejected_total\{([^}]*)\} (\S+)$/gm)) {
    const reason = /reason="([^"]*)"/.exec(m[1])?.[1] ?? '';
    counts.set(reason, (counts.get(reason) ?? 0) + Number(m[2]));
  }
  return counts;
}

async function residentBytes(): Promise<number> {
  const text = await (await fetch(`${vigil.url}/metrics`)).text();
  const m = /^process_resident_memory_bytes (\S+)$/m.exec(text);
  assert.ok(m, 'process_resident_memory_bytes in /metrics');
  return Number(m[1]);
}

// ---------------------------------------------------------------- lines accepted before anything bad

/** What was pushed successfully first, by the query that reads it back. */
const kept = new Map<string, string[]>();
let rejectedBefore: Map<string, number>;
/** Rejections this file expects the bad requests to add, by reason (checked at the end). */
const expectedRejections = new Map<string, number>();
const expectRejected = (reason: string, n = 1) => expectedRejections.set(reason, (expectedRejections.get(reason) ?? 0) + n);

before(async () => {
  vigil = await startVigil({
    configYaml: [
      `server: { max_body_bytes: ${MAX_BODY} }`,
      `limits: { max_labels_per_stream: 5, max_label_name_length: 50, max_label_value_length: 100, max_line_bytes: ${MAX_LINE} }`,
      '',
    ].join('\n'),
  });
  const base = nowMs() - 60_000;
  const lines = (prefix: string) => [1, 2, 3].map((i) => `${prefix} good line ${i}`);

  kept.set('{service="keep-loki-json"}', lines('loki-json'));
  const lj = await lokiJson(
    lokiBody([{ stream: { service: 'keep-loki-json' }, values: lines('loki-json').map((l, i): LokiEntry => [String(nsAt(base + i)), l]) }]),
  );
  assert.equal(lj.status, 204, lj.text);

  kept.set('{service="keep-loki-pb"}', lines('loki-pb'));
  const lp = await lokiProto(
    lokiProtoBody([{ labels: '{service="keep-loki-pb"}', entries: lines('loki-pb').map((line, i) => ({ ms: base + i, line })) }]),
  );
  assert.equal(lp.status, 204, lp.text);

  for (const encoding of ['json', 'protobuf'] as const) {
    const service = `keep-otlp-${encoding}`;
    kept.set(`{service="${service}"}`, lines(service));
    const answer = await otlp(
      encoding,
      otlpBody(encoding, [{ attributes: { 'service.name': service }, records: lines(service).map((body, i) => ({ ms: base + i, body })) }]),
    );
    assert.equal(answer.status, 200, answer.text);
  }

  kept.set('{service="keep-jsonl"}', lines('jsonl'));
  const jl = await jsonLines(
    { service: 'keep-jsonl' },
    lines('jsonl')
      .map((msg, i) => JSON.stringify({ time: new Date(base + i).toISOString(), msg }))
      .join('\n'),
  );
  assert.equal(jl.status, 200, jl.text);
  assert.equal(JSON.parse(jl.text).accepted, 3);
  // JSON lines store the whole object as the line
  kept.set(
    '{service="keep-jsonl"}',
    lines('jsonl').map((msg, i) => JSON.stringify({ time: new Date(base + i).toISOString(), msg })),
  );

  for (const [query, expected] of kept) await assertStored(query, expected);
  rejectedBefore = await rejectedByReason();
});

after(async () => {
  await vigil?.stop();
  if (vigil) removeDir(vigil.dataDir);
});

// ---------------------------------------------------------------- whole bodies refused

test('malformed JSON is a 400 naming invalid JSON, on every JSON endpoint', async () => {
  assertPlainRefusal(await lokiJson('{"streams": [{"stream": {"a": "b"}, '), 400, /not valid JSON/);
  expectRejected('VIGIL_ERR_BODY_MALFORMED');
  assertOtlpRefusal(await otlp('json', '{"resourceLogs": [ {'), 'json', 400, /not valid JSON/);
  expectRejected('VIGIL_ERR_BODY_MALFORMED');
  // JSON lines judge each line alone: a body of only broken lines refuses each by number
  assertJsonLinesRefusal(await jsonLines({ service: 'keep-jsonl' }, '{"msg": "half\n[1, 2'), [
    { line: 1, reason: 'malformed_json', message: /line 1 is not valid JSON/ },
    { line: 2, reason: 'malformed_json', message: /line 2 is not valid JSON/ },
  ]);
  expectRejected('malformed_json', 2);
  // bytes that are not UTF-8 cannot be JSON text
  assertPlainRefusal(await lokiJson(Buffer.concat([Buffer.from('{"streams": ["'), invalidUtf8, Buffer.from('"]}')])), 400, /not valid UTF-8/);
  expectRejected('VIGIL_ERR_BODY_MALFORMED');
  await assertHealthy();
});

test('JSON without the required structure is a 400 naming the missing part', async () => {
  assertPlainRefusal(await lokiJson({ stream: { service: 'x' }, values: [] }), 400, /"streams" array/);
  assertPlainRefusal(await lokiJson({ streams: { service: 'x' } }), 400, /"streams" array/);
  assertPlainRefusal(await lokiJson([]), 400, /"streams" array/);
  expectRejected('VIGIL_ERR_BODY_MALFORMED', 3);
  assertOtlpRefusal(await otlp('json', JSON.stringify({ resourceLogs: { scopeLogs: [] } })), 'json', 400, /resourceLogs is not an array/);
  assertOtlpRefusal(await otlp('json', '[]'), 'json', 400, /must be a JSON object/);
  expectRejected('VIGIL_ERR_BODY_MALFORMED', 2);
  await assertHealthy();
});

test('a Loki timestamp sent as a JSON number is a 400 naming the timestamp', async () => {
  const answer = await lokiJson(lokiBody([{ stream: { service: 'keep-loki-json' }, values: [[nowMs() * 1e6, 'numeric timestamp']] }]));
  assertPlainRefusal(answer, 400, /stream 0 entry 0: bad_timestamp: .*timestamp must be a string of Unix nanoseconds, got number/);
  expectRejected('bad_timestamp');
  await assertHealthy();
});

test('protobuf that does not decode is a 400 naming the malformed protobuf', async () => {
  const notProto = garbage(256);
  assertPlainRefusal(await lokiProto(compressSync(notProto)), 400, /malformed protobuf body/);
  const valid = writeLokiPush([{ labels: '{service="keep-loki-pb"}', entries: [{ seconds: Math.floor(nowMs() / 1000), line: 'never stored' }] }]);
  assertPlainRefusal(await lokiProto(compressSync(valid.subarray(0, valid.length - 4))), 400, /malformed protobuf body: .*runs past the end/);
  expectRejected('VIGIL_ERR_BODY_MALFORMED', 2);

  assertOtlpRefusal(await otlp('protobuf', notProto), 'protobuf', 400, /malformed protobuf body/);
  const validOtlp = encodeWith(otlpType(), otlpDoc([{ attributes: { 'service.name': 'keep-otlp-protobuf' }, records: [{ ms: nowMs(), body: 'never stored' }] }]));
  assertOtlpRefusal(await otlp('protobuf', validOtlp.subarray(0, validOtlp.length - 4)), 'protobuf', 400, /malformed protobuf body/);
  expectRejected('VIGIL_ERR_BODY_MALFORMED', 2);
  await assertHealthy();
});

test('a corrupt snappy body is a 400 naming snappy', async () => {
  assertPlainRefusal(await lokiProto(corruptSnappy), 400, /not valid snappy data/);
  // the same with Content-Encoding: snappy, which Loki's protobuf push also accepts
  assertPlainRefusal(await lokiProto(corruptSnappy, { 'Content-Encoding': 'snappy' }), 400, /not valid snappy data/);
  // a snappy block without a length header at all
  assertPlainRefusal(await lokiProto(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])), 400, /not valid snappy data/);
  expectRejected('VIGIL_ERR_BODY_MALFORMED', 3);
  await assertHealthy();
});

test('a corrupt gzip body is a 400 naming gzip, on every push endpoint', async () => {
  const gz = { 'Content-Encoding': 'gzip' };
  assertPlainRefusal(await lokiJson(corruptGzip, gz), 400, /not valid gzip data/);
  assertPlainRefusal(await lokiProto(corruptGzip, gz), 400, /not valid gzip data/);
  assertOtlpRefusal(await otlp('json', corruptGzip, gz), 'json', 400, /not valid gzip data/);
  assertOtlpRefusal(await otlp('protobuf', corruptGzip, gz), 'protobuf', 400, /not valid gzip data/);
  assertPlainRefusal(await jsonLines({ service: 'keep-jsonl' }, corruptGzip, gz), 400, /not valid gzip data/);
  // a valid gzip stream cut short
  const cut = gzipSync(Buffer.from('{"streams": []}'.repeat(100)));
  assertPlainRefusal(await lokiJson(cut.subarray(0, cut.length - 10), gz), 400, /not valid gzip data/);
  expectRejected('VIGIL_ERR_BODY_MALFORMED', 6);
  await assertHealthy();
});

test('a gzip bomb is refused quickly as too large (413), without being inflated', async () => {
  const body = await gzipBomb();
  const rssBefore = await residentBytes();
  const gz = { 'Content-Encoding': 'gzip' };
  const answers: Array<[string, Answer]> = [];
  const loki = await lokiJson(body, gz);
  answers.push(['loki json', loki]);
  assertPlainRefusal(loki, 413, /larger than the limit of 1048576 bytes after gzip decompression/);
  const lokiPb = await lokiProto(body, gz);
  answers.push(['loki protobuf', lokiPb]);
  assertPlainRefusal(lokiPb, 413, /after gzip decompression/);
  for (const encoding of ['json', 'protobuf'] as const) {
    const answer = await otlp(encoding, body, gz);
    answers.push([`otlp ${encoding}`, answer]);
    assertOtlpRefusal(answer, encoding, 413, /larger than the limit of 1048576 bytes after gzip decompression/);
  }
  const jl = await jsonLines({ service: 'keep-jsonl' }, body, gz);
  answers.push(['json lines', jl]);
  assertPlainRefusal(jl, 413, /after gzip decompression/);
  expectRejected('VIGIL_ERR_BODY_TOO_LARGE', 5);
  // inflating 200 MiB takes far longer than stopping at 1 MiB; so would the memory
  for (const [name, answer] of answers) assert.ok(answer.ms < 750, `${name}: refused after ${answer.ms.toFixed(0)} ms`);
  const grown = (await residentBytes()) - rssBefore;
  assert.ok(grown < 100 * 1024 * 1024, `resident memory grew by ${(grown / 1048576).toFixed(0)} MiB`);
  await assertHealthy();
});

test('a body over server.max_body_bytes is a 413 naming the limit', async () => {
  const big = Buffer.alloc(MAX_BODY + 1024, 0x20);
  assertPlainRefusal(await lokiJson(big), 413, /larger than server\.max_body_bytes \(1048576 bytes\)/);
  assertPlainRefusal(await lokiProto(big), 413, /larger than server\.max_body_bytes/);
  assertOtlpRefusal(await otlp('json', big), 'json', 413, /larger than server\.max_body_bytes/);
  assertOtlpRefusal(await otlp('protobuf', big), 'protobuf', 413, /larger than server\.max_body_bytes/);
  assertPlainRefusal(await jsonLines({ service: 'keep-jsonl' }, big), 413, /larger than server\.max_body_bytes/);
  expectRejected('VIGIL_ERR_BODY_TOO_LARGE', 5);
  // a snappy block that declares more than the limit is refused before decompressing
  const declared = Buffer.from([0x80, 0x80, 0x80, 0x10, 0x00]); // 32 MiB
  assertPlainRefusal(await lokiProto(declared), 413, /larger than the limit of 1048576 bytes after snappy decompression/);
  expectRejected('VIGIL_ERR_BODY_TOO_LARGE');
  await assertHealthy();
});

test('an unsupported Content-Encoding is a 415 naming the encoding', async () => {
  const br = { 'Content-Encoding': 'br' };
  assertPlainRefusal(await lokiJson('{"streams": []}', br), 415, /unsupported Content-Encoding "br"/);
  assertPlainRefusal(await lokiProto(compressSync(Buffer.alloc(0)), br), 415, /unsupported Content-Encoding "br"/);
  assertOtlpRefusal(await otlp('json', '{}', br), 'json', 415, /unsupported Content-Encoding "br"/);
  assertOtlpRefusal(await otlp('protobuf', Buffer.alloc(0), br), 'protobuf', 415, /unsupported Content-Encoding "br"/);
  assertPlainRefusal(await jsonLines({ service: 'keep-jsonl' }, '{"msg": "x"}', br), 415, /unsupported Content-Encoding "br"/);
  // snappy is only for Loki's protobuf push
  assertPlainRefusal(await lokiJson('{"streams": []}', { 'Content-Encoding': 'snappy' }), 415, /unsupported Content-Encoding "snappy"/);
  assertOtlpRefusal(await otlp('protobuf', Buffer.alloc(0), { 'Content-Encoding': 'snappy' }), 'protobuf', 415, /"snappy"/);
  expectRejected('VIGIL_ERR_ENCODING_UNSUPPORTED', 7);
  await assertHealthy();
});

test('a push without a usable Content-Type is a 415 naming Content-Type', async () => {
  // a Uint8Array body, so fetch adds no Content-Type of its own
  const body = new Uint8Array(Buffer.from(JSON.stringify(lokiBody([{ stream: { service: 'keep-loki-json' }, values: [[String(nsAt(nowMs())), 'no type']] }]))));
  assertPlainRefusal(await send('POST', '/loki/api/v1/push', body), 415, /missing Content-Type/);
  assertOtlpRefusal(await send('POST', '/v1/logs', new Uint8Array(Buffer.from('{}'))), 'protobuf', 415, /unsupported Content-Type/);
  assertOtlpRefusal(await send('POST', '/v1/logs', '{}', { 'Content-Type': 'text/plain' }), 'protobuf', 415, /unsupported Content-Type "text\/plain"/);
  expectRejected('VIGIL_ERR_CONTENT_TYPE', 3);
  await assertHealthy();
});

// ---------------------------------------------------------------- every entry of a push refused

test('too many labels is a 400 naming limits.max_labels_per_stream', async () => {
  const six = { service: 'many', a: '1', b: '2', c: '3', d: '4', e: '5' };
  const message = /too_many_labels: stream has 6 labels, more than limits\.max_labels_per_stream \(5\)/;
  assertPlainRefusal(await lokiJson(lokiBody([{ stream: six, values: [[String(nsAt(nowMs())), 'x']] }])), 400, message);
  const text = `{${Object.entries(six).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
  assertPlainRefusal(await lokiProto(lokiProtoBody([{ labels: text, entries: [{ ms: nowMs(), line: 'x' }] }])), 400, message);
  const resource = {
    'service.name': 'many',
    'deployment.environment.name': 'prod',
    'service.namespace': 'ns',
    'service.instance.id': 'i-1',
    'host.name': 'h',
    'k8s.pod.name': 'p',
  };
  for (const encoding of ['json', 'protobuf'] as const) {
    const answer = await otlp(encoding, otlpBody(encoding, [{ attributes: resource, records: [{ ms: nowMs(), body: 'x' }] }]));
    assertOtlpRefusal(answer, encoding, 400, message);
  }
  assertJsonLinesRefusal(await jsonLines(six, '{"msg": "x"}'), [{ line: 1, reason: 'too_many_labels', message: /max_labels_per_stream/ }]);
  expectRejected('too_many_labels', 5);
  await assertHealthy();
});

test('a too-long label name is a 400 naming limits.max_label_name_length', async () => {
  const name = 'n'.repeat(51);
  const message = /label_name_too_long: label name "n+…" is longer than limits\.max_label_name_length \(50\)/;
  assertPlainRefusal(await lokiJson(lokiBody([{ stream: { service: 'x', [name]: 'v' }, values: [[String(nsAt(nowMs())), 'x']] }])), 400, message);
  assertPlainRefusal(await lokiProto(lokiProtoBody([{ labels: `{service="x", ${name}="v"}`, entries: [{ ms: nowMs(), line: 'x' }] }])), 400, message);
  assertJsonLinesRefusal(await jsonLines({ service: 'x', [name]: 'v' }, '{"msg": "x"}'), [
    { line: 1, reason: 'label_name_too_long', message: /max_label_name_length/ },
  ]);
  expectRejected('label_name_too_long', 3);
  await assertHealthy();
});

test('a too-long label value is a 400 naming limits.max_label_value_length', async () => {
  const value = 'v'.repeat(101);
  const message = /label_value_too_long: value of label "service" is longer than limits\.max_label_value_length \(100\)/;
  assertPlainRefusal(await lokiJson(lokiBody([{ stream: { service: value }, values: [[String(nsAt(nowMs())), 'x']] }])), 400, message);
  assertPlainRefusal(await lokiProto(lokiProtoBody([{ labels: `{service="${value}"}`, entries: [{ ms: nowMs(), line: 'x' }] }])), 400, message);
  for (const encoding of ['json', 'protobuf'] as const) {
    const answer = await otlp(encoding, otlpBody(encoding, [{ attributes: { 'service.name': value }, records: [{ ms: nowMs(), body: 'x' }] }]));
    assertOtlpRefusal(answer, encoding, 400, message);
  }
  assertJsonLinesRefusal(await jsonLines({ service: value }, '{"msg": "x"}'), [{ line: 1, reason: 'label_value_too_long', message: /"service"/ }]);
  expectRejected('label_value_too_long', 5);
  await assertHealthy();
});

test('an invalid label name is a 400 naming the label', async () => {
  for (const name of ['1abc', 'a-b']) {
    const answer = await lokiJson(lokiBody([{ stream: { service: 'x', [name]: 'v' }, values: [[String(nsAt(nowMs())), 'x']] }]));
    assertPlainRefusal(answer, 400, new RegExp(`invalid_label_name: label name "${name}" is invalid`));
    assertJsonLinesRefusal(await jsonLines({ service: 'x', [name]: 'v' }, '{"msg": "x"}'), [
      { line: 1, reason: 'invalid_label_name', message: new RegExp(`"${name}"`) },
    ]);
  }
  expectRejected('invalid_label_name', 4);
  // protobuf label text that does not parse
  for (const [labels, where] of [
    ['{a-b="x"}', /expected "=" at position 2/],
    ['{service="x"', /expected "}"|unterminated/],
    ['service="x"', /expected "\{" at position 0/],
    ['{1abc="x"}', /expected a label name at position 1/],
  ] as const) {
    const answer = await lokiProto(lokiProtoBody([{ labels, entries: [{ ms: nowMs(), line: 'x' }, { ms: nowMs(), line: 'y' }] }]));
    assertPlainRefusal(answer, 400, /^2 entries rejected, 0 accepted:/);
    assert.match(answer.text, /stream 0 entry 0: bad_labels: invalid label set/);
    assert.match(answer.text, /stream 0 entry 1: bad_labels: invalid label set/);
    assert.match(answer.text, where);
  }
  expectRejected('bad_labels', 8);
  // a label value that is not a string in JSON
  assertPlainRefusal(
    await lokiJson(lokiBody([{ stream: { service: 1 as unknown as string }, values: [[String(nsAt(nowMs())), 'x']] }])),
    400,
    /bad_labels: streams\[0\]\.stream: value of "service" must be a string/,
  );
  expectRejected('bad_labels');
  await assertHealthy();
});

test('a line over limits.max_line_bytes is a 400 naming the limit', async () => {
  const message = /line_too_long: line is longer than limits\.max_line_bytes \(1000 bytes\)/;
  assertPlainRefusal(await lokiJson(lokiBody([{ stream: { service: 'keep-loki-json' }, values: [[String(nsAt(nowMs())), longLine('j')]] }])), 400, message);
  assertPlainRefusal(await lokiProto(lokiProtoBody([{ labels: '{service="keep-loki-pb"}', entries: [{ ms: nowMs(), line: longLine('p') }] }])), 400, message);
  // 500 two-byte characters: 500 characters but 1000 bytes is fine, 501 is not
  assertPlainRefusal(
    await lokiJson(lokiBody([{ stream: { service: 'keep-loki-json' }, values: [[String(nsAt(nowMs())), 'é'.repeat(501)]] }])),
    400,
    message,
  );
  for (const encoding of ['json', 'protobuf'] as const) {
    const service = `keep-otlp-${encoding}`;
    const answer = await otlp(encoding, otlpBody(encoding, [{ attributes: { 'service.name': service }, records: [{ ms: nowMs(), body: longLine('o') }] }]));
    assertOtlpRefusal(answer, encoding, 400, message);
  }
  assertJsonLinesRefusal(await jsonLines({ service: 'keep-jsonl' }, JSON.stringify({ msg: longLine('l') })), [
    { line: 1, reason: 'line_too_long', message: /max_line_bytes/ },
  ]);
  expectRejected('line_too_long', 6);
  await assertHealthy();
});

test('non-UTF-8 bytes in a protobuf line are a 400 naming UTF-8', async () => {
  const answer = await lokiProto(lokiProtoBody([{ labels: '{service="keep-loki-pb"}', entries: [{ ms: nowMs(), line: invalidUtf8 }] }]));
  assertPlainRefusal(answer, 400, /stream 0 entry 0: invalid_utf8: line is not valid UTF-8/);
  const otlpAnswer = await otlp('protobuf', otlpProtoBody([{ attributes: { 'service.name': 'keep-otlp-protobuf' }, records: [{ ms: nowMs(), body: invalidUtf8 }] }]));
  assertOtlpRefusal(otlpAnswer, 'protobuf', 400, /invalid_utf8: .*not valid UTF-8/);
  expectRejected('invalid_utf8', 2);
  await assertHealthy();
});

test('a timestamp more than 10 minutes ahead is a 400 naming limits.future_grace', async () => {
  const message = /timestamp_in_future: timestamp \d+ ns is more than limits\.future_grace in the future/;
  assertPlainRefusal(await lokiJson(lokiBody([{ stream: { service: 'keep-loki-json' }, values: [[String(nsAt(future())), 'future']] }])), 400, message);
  assertPlainRefusal(await lokiProto(lokiProtoBody([{ labels: '{service="keep-loki-pb"}', entries: [{ ms: future(), line: 'future' }] }])), 400, message);
  for (const encoding of ['json', 'protobuf'] as const) {
    const service = `keep-otlp-${encoding}`;
    const answer = await otlp(encoding, otlpBody(encoding, [{ attributes: { 'service.name': service }, records: [{ ms: future(), body: 'future' }] }]));
    assertOtlpRefusal(answer, encoding, 400, message);
  }
  assertJsonLinesRefusal(await jsonLines({ service: 'keep-jsonl' }, JSON.stringify({ time: new Date(future()).toISOString(), msg: 'future' })), [
    { line: 1, reason: 'timestamp_in_future', message: /future_grace/ },
  ]);
  expectRejected('timestamp_in_future', 5);
  await assertHealthy();
});

test('a timestamp older than the retention is a 400 naming the retention', async () => {
  const message = /timestamp_too_old: timestamp \d+ ns is older than the standard retention/;
  assertPlainRefusal(await lokiJson(lokiBody([{ stream: { service: 'keep-loki-json' }, values: [[String(nsAt(tooOld())), 'old']] }])), 400, message);
  assertPlainRefusal(await lokiProto(lokiProtoBody([{ labels: '{service="keep-loki-pb"}', entries: [{ ms: tooOld(), line: 'old' }] }])), 400, message);
  for (const encoding of ['json', 'protobuf'] as const) {
    const service = `keep-otlp-${encoding}`;
    const answer = await otlp(encoding, otlpBody(encoding, [{ attributes: { 'service.name': service }, records: [{ ms: tooOld(), body: 'old' }] }]));
    assertOtlpRefusal(answer, encoding, 400, message);
  }
  assertJsonLinesRefusal(await jsonLines({ service: 'keep-jsonl' }, JSON.stringify({ time: new Date(tooOld()).toISOString(), msg: 'old' })), [
    { line: 1, reason: 'timestamp_too_old', message: /retention/ },
  ]);
  expectRejected('timestamp_too_old', 5);
  await assertHealthy();
});

// ---------------------------------------------------------------- mixed batches

test('Loki JSON: a mixed batch is a 400 listing each rejected entry, and the good lines are stored', async () => {
  const t = nowMs() - 30_000;
  const ts = (i: number) => String(nsAt(t + i));
  const answer = await lokiJson(
    lokiBody([
      { stream: { service: 'mixed-loki-json', part: 'a' }, values: [[ts(0), 'a good 1'], [ts(1), longLine('x')], [ts(2), 'a good 2']] },
      // the decoder drops entry 0; entry 2 must still be reported as entry 2
      { stream: { service: 'mixed-loki-json', part: 'b' }, values: [[t * 1e6, 'numeric ts'], [ts(3), 'b good 1'], [String(nsAt(future())), 'future']] },
      { stream: { service: 'mixed-loki-json', 'bad-name': 'x' }, values: [[ts(4), 'bad label']] },
      { stream: { service: 'mixed-loki-json', part: 'd' }, values: [[ts(5), 'd good 1'], [String(nsAt(tooOld())), 'old']] },
    ]),
  );
  assertPlainRefusal(answer, 400, /^5 entries rejected, 4 accepted:\n/);
  assert.deepEqual(listedRejections(answer.text), [
    '0/1 line_too_long',
    '1/0 bad_timestamp',
    '1/2 timestamp_in_future',
    '2/0 invalid_label_name',
    '3/1 timestamp_too_old',
  ]);
  expectRejected('line_too_long');
  expectRejected('bad_timestamp');
  expectRejected('timestamp_in_future');
  expectRejected('invalid_label_name');
  expectRejected('timestamp_too_old');
  await assertStored('{service="mixed-loki-json"}', ['a good 1', 'a good 2', 'b good 1', 'd good 1']);
  await assertHealthy();
});

test('Loki protobuf: a mixed batch is a 400 listing each rejected entry, and the good lines are stored', async () => {
  const t = nowMs() - 30_000;
  const answer = await lokiProto(
    lokiProtoBody([
      { labels: '{service="mixed-loki-pb", part="a"}', entries: [{ ms: t, line: invalidUtf8 }, { ms: t + 1, line: 'a good 1' }, { ms: t + 2, line: longLine('y') }] },
      { labels: '{service="mixed-loki-pb", part=b}', entries: [{ ms: t + 3, line: 'unquoted label value' }] },
      { labels: '{service="mixed-loki-pb", part="c"}', entries: [{ ms: t + 4, line: 'c good 1' }, { ms: tooOld(), line: 'old' }] },
    ]),
  );
  assertPlainRefusal(answer, 400, /^4 entries rejected, 2 accepted:\n/);
  assert.deepEqual(listedRejections(answer.text), ['0/0 invalid_utf8', '0/2 line_too_long', '1/0 bad_labels', '2/1 timestamp_too_old']);
  expectRejected('invalid_utf8');
  expectRejected('line_too_long');
  expectRejected('bad_labels');
  expectRejected('timestamp_too_old');
  await assertStored('{service="mixed-loki-pb"}', ['a good 1', 'c good 1']);
  await assertHealthy();
});

for (const encoding of ['json', 'protobuf'] as const) {
  test(`OTLP ${encoding}: a mixed batch is a 200 with partial_success naming each rejected record, and the good lines are stored`, async () => {
    const t = nowMs() - 30_000;
    const service = `mixed-otlp-${encoding}`;
    const body = otlpBody(encoding, [
      { attributes: { 'service.name': service }, records: [{ ms: t, body: 'good 1' }, { ms: t + 1, body: longLine('z') }, { ms: t + 2, body: 'good 2' }] },
      { attributes: { 'service.name': 'v'.repeat(101) }, records: [{ ms: t + 3, body: 'long service name' }] },
      { attributes: { 'service.name': service, 'host.name': 'h2' }, records: [{ ms: tooOld(), body: 'old' }, { ms: t + 4, body: 'good 3' }] },
    ]);
    const answer = await otlp(encoding, body);
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.contentType, encoding === 'json' ? /^application\/json/ : /^application\/x-protobuf/);
    const reply =
      encoding === 'json'
        ? JSON.parse(answer.text)
        : exportResponseType.toObject(exportResponseType.decode(answer.bytes), { longs: String });
    assert.equal(String(reply.partialSuccess?.rejectedLogRecords), '3', JSON.stringify(reply));
    assert.match(reply.partialSuccess.errorMessage, /^3 entries rejected, 3 accepted:\n/);
    assert.deepEqual(listedRejections(reply.partialSuccess.errorMessage), ['0/1 line_too_long', '1/0 label_value_too_long', '2/0 timestamp_too_old']);
    expectRejected('line_too_long');
    expectRejected('label_value_too_long');
    expectRejected('timestamp_too_old');
    await assertStored(`{service="${service}"}`, ['good 1', 'good 2', 'good 3']);
    await assertHealthy();
  });
}

test('OTLP: a record the decoder drops does not shift the index of a later rejection', async () => {
  const t = nowMs() - 30_000;
  const doc = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'mixed-otlp-shift' } }] },
        scopeLogs: [
          { logRecords: [{ timeUnixNano: 'not a number', body: { stringValue: 'bad time' } }] },
          {
            logRecords: [
              { timeUnixNano: 'x', body: { stringValue: 'bad time' } },
              { timeUnixNano: nsAt(t).toString(), body: { stringValue: 'shift good' } },
              { timeUnixNano: nsAt(t + 1).toString(), body: { stringValue: longLine('s') } },
            ],
          },
        ],
      },
    ],
  };
  const answer = await otlp('json', JSON.stringify(doc));
  assert.equal(answer.status, 200, answer.text);
  const reply = JSON.parse(answer.text);
  assert.deepEqual(listedRejections(reply.partialSuccess.errorMessage), ['0/0 bad_timestamp', '1/0 bad_timestamp', '1/2 line_too_long']);
  expectRejected('bad_timestamp', 2);
  expectRejected('line_too_long');
  await assertStored('{service="mixed-otlp-shift"}', ['shift good']);
});

test('JSON lines: a mixed batch is a 200 listing each rejected line number, and the good lines are stored', async () => {
  const t = nowMs() - 30_000;
  const good = (i: number) => JSON.stringify({ time: new Date(t + i).toISOString(), msg: `good ${i}` });
  const lines = [
    good(1),
    'not json',
    good(2),
    '',
    JSON.stringify({ msg: longLine('q') }),
    '[1, 2]',
    JSON.stringify({ time: new Date(tooOld()).toISOString(), msg: 'old' }),
    JSON.stringify({ time: 'half past nine', msg: 'bad time' }),
    good(3),
  ];
  const answer = await jsonLines({ service: 'mixed-jsonl' }, lines.join('\n'));
  assert.equal(answer.status, 200, answer.text);
  const reply = JSON.parse(answer.text);
  assert.equal(reply.accepted, 3);
  assert.deepEqual(
    reply.rejected.map((r: any) => `${r.line} ${r.reason}`).sort(),
    ['2 malformed_json', '5 line_too_long', '6 not_an_object', '7 timestamp_too_old', '8 bad_timestamp'].sort(),
  );
  for (const r of reply.rejected) assert.ok(typeof r.message === 'string' && r.message.length > 0, JSON.stringify(r));
  assert.match(reply.rejected.find((r: any) => r.line === 8).message, /invalid time "half past nine"/);
  expectRejected('malformed_json');
  expectRejected('line_too_long');
  expectRejected('not_an_object');
  expectRejected('timestamp_too_old');
  expectRejected('bad_timestamp');
  await assertStored('{service="mixed-jsonl"}', [good(1), good(2), good(3)]);
  await assertHealthy();
});

// ---------------------------------------------------------------- tenant and query parameters

test('an invalid X-Scope-OrgID is a 400 naming the header, on pushes and queries', async () => {
  for (const tenant of ['a|b', 'a/b', '..', 'x'.repeat(151)]) {
    const pushed = await lokiJson(lokiBody([{ stream: { service: 'keep-loki-json' }, values: [[String(nsAt(nowMs())), 'bad tenant']] }]), {
      'X-Scope-OrgID': tenant,
    });
    assertPlainRefusal(pushed, 400, /X-Scope-OrgID/);
    const otlpAnswer = await otlp('json', otlpBody('json', [{ attributes: { 'service.name': 'keep-otlp-json' }, records: [{ ms: nowMs(), body: 'bad tenant' }] }]), {
      'X-Scope-OrgID': tenant,
    });
    assertOtlpRefusal(otlpAnswer, 'json', 400, /X-Scope-OrgID/);
    assertPlainRefusal(await jsonLines({ service: 'keep-jsonl' }, '{"msg": "bad tenant"}', { 'X-Scope-OrgID': tenant }), 400, /X-Scope-OrgID/);
    expectRejected('VIGIL_ERR_TENANT_INVALID', 3);
    const q = new URLSearchParams({ query: '{service="keep-loki-json"}' });
    for (const path of ['/loki/api/v1/query_range', '/loki/api/v1/labels', '/loki/api/v1/series?match[]={service="x"}&']) {
      const separator = path.endsWith('&') ? '' : '?';
      assertPlainRefusal(await send('GET', `${path}${separator}${q}`, undefined, { 'X-Scope-OrgID': tenant }), 400, /X-Scope-OrgID/);
    }
  }
  // the multi-tenant form names what is not supported
  assertPlainRefusal(await send('GET', '/loki/api/v1/labels', undefined, { 'X-Scope-OrgID': 'a|b' }), 400, /several tenants \(a\|b\)/);
  await assertHealthy();
});

test('bad query_range parameters are a 400 naming the parameter or the part of the query', async () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ query: '{service="x"}', start: 'yesterday' }, /invalid start "yesterday"/],
    [{ query: '{service="x"}', start: '2024-13-45T00:00:00Z' }, /invalid start "2024-13-45T00:00:00Z"/],
    [{ query: '{service="x"}', end: 'soon' }, /invalid end "soon"/],
    [{ query: '{service="x"}', start: '1700000100', end: '1700000000' }, /end timestamp must not be before .*start/],
    [{ query: '{service="x"}', limit: 'ten' }, /invalid limit "ten"/],
    [{ query: '{service="x"}', limit: '-5' }, /invalid limit "-5"/],
    [{ query: '{service="x"}', limit: '0' }, /invalid limit "0"/],
    [{ query: '{service="x"}', limit: '1000000' }, /limit 1000000 is above the maximum of 5000 \(query\.max_entries_limit\)/],
    [{ query: '{service="x"}', direction: 'sideways' }, /invalid direction "sideways": use forward or backward/],
    [{ query: '{service="x"}', since: 'a while' }, /invalid since "a while"/],
    [{ query: 'count_over_time({service="x"}[5m])', step: 'often' }, /invalid step "often"/],
    [{ query: 'count_over_time({service="x"}[5m])', step: '0' }, /zero or negative query resolution step/],
    [{}, /missing required parameter "query"/],
    [{ query: '{service="x"' }, /parse error at line 1, col \d+: unexpected end of query/],
    [{ query: '{service="x"} |= ' }, /parse error/],
    [{ query: '{service=~"("}' }, /parse error.*\(/],
    [{ query: 'sum by (level) (rate({service="x"}[5x]))' }, /parse error/],
    [{ query: '{service="x"} | pattern "<_>"' }, /unsupported in LogQL: the "pattern" parser/],
    [{ query: '{service="x"} | label_format a=b' }, /unsupported in LogQL: the "label_format" stage/],
  ];
  for (const [params, names] of cases) {
    const answer = await send('GET', `/loki/api/v1/query_range?${new URLSearchParams(params)}`, undefined);
    assertPlainRefusal(answer, 400, names);
  }
  // the instant query names its own parameter
  assertPlainRefusal(await send('GET', `/loki/api/v1/query?${new URLSearchParams({ query: 'count_over_time({service="x"}[5m])', time: 'noon' })}`, undefined), 400, /invalid time "noon"/);
  await assertHealthy();
});

// ---------------------------------------------------------------- afterwards

test('every line accepted before the bad requests is still there, and nothing refused was stored', async () => {
  for (const [query, expected] of kept) await assertStored(query, expected);
  // and nothing from the refused requests reached the streams they named
  const all = await storedLines('{service=~"keep-.+"}');
  assert.equal(all.length, [...kept.values()].flat().length, `unexpected lines: ${JSON.stringify(all)}`);
  await assertHealthy();
});

test('vigil_ingest_rejected_total counts the refusals by reason', async () => {
  const after = await rejectedByReason();
  const delta = (reason: string) => (after.get(reason) ?? 0) - (rejectedBefore.get(reason) ?? 0);
  // a few reasons named explicitly, so a missing one reads plainly
  assert.ok(delta('VIGIL_ERR_BODY_TOO_LARGE') >= 11, `body too large: +${delta('VIGIL_ERR_BODY_TOO_LARGE')}`);
  assert.ok(delta('timestamp_too_old') >= 5, `timestamp too old: +${delta('timestamp_too_old')}`);
  assert.ok(delta('line_too_long') >= 6, `line too long: +${delta('line_too_long')}`);
  assert.ok(delta('timestamp_in_future') >= 5, `timestamp in future: +${delta('timestamp_in_future')}`);
  // and every rejection this file caused is counted exactly once
  const got = Object.fromEntries([...expectedRejections.keys()].sort().map((reason) => [reason, delta(reason)]));
  const want = Object.fromEntries([...expectedRejections.entries()].sort(([a], [b]) => a.localeCompare(b)));
  assert.deepEqual(got, want);
});

// Last, because when it fails the query worker is left reading an old snapshot of the store.
test('a query that fails while running, or stops at its limit, does not hide lines pushed afterwards', async () => {
  const t = nowMs() - 30_000;
  const before = await lokiJson(lokiBody([{ stream: { service: 'snapshot-before' }, values: [1, 2, 3, 4, 5].map((i): LokiEntry => [String(nsAt(t + i)), `line ${i}`]) }]));
  assert.equal(before.status, 204, before.text);
  // stops after one of five lines
  const limited = await queryRange(vigil.url, '{service="snapshot-before"}', { tenant: TENANT, limit: 1 });
  assert.equal(limited.status, 200);
  assert.equal(limited.body.data.result[0].values.length, 1);
  // fails on the first line: a pipeline error is a 400 naming the error label to filter on
  const failed = await send('GET', `/loki/api/v1/query_range?${new URLSearchParams({ query: 'count_over_time({service="snapshot-before"} | json [1m])' })}`, undefined);
  assertPlainRefusal(failed, 400, /pipeline error: 'JSONParserErr'.*__error__/);
  const afterwards = await lokiJson(lokiBody([{ stream: { service: 'snapshot-after' }, values: [[String(nsAt(t + 10)), 'pushed afterwards']] }]));
  assert.equal(afterwards.status, 204, afterwards.text);
  await assertStored('{service="snapshot-after"}', ['pushed afterwards']);
  await assertStored('{service="snapshot-before"}', [1, 2, 3, 4, 5].map((i) => `line ${i}`));
});
