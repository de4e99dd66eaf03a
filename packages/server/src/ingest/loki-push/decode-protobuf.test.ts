import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compressSync } from 'snappy';
import { isVigilError } from '../../errors.ts';
import { snappyDecompress } from '../body.ts';
import { ProtoWriter } from '../protobuf-writer.ts';
import { encodeWith, lokiPushType, writeLokiPush } from '../testing.ts';
import { decodeLokiProtobuf } from './decode-protobuf.ts';

describe('decodeLokiProtobuf', () => {
  it('round-trips a body from our writer', () => {
    const body = writeLokiPush([
      {
        labels: '{job="api", level="info"}',
        entries: [
          { seconds: 1570818238, nanos: 123, line: 'log line 1' },
          { seconds: 1570818239, line: 'log line 2 ✓', metadata: { trace_id: '0242ac120002', user: 'x' } },
        ],
      },
      { labels: '{job="db"}', entries: [{ seconds: 1, line: '' }] },
    ]);
    assert.deepEqual(decodeLokiProtobuf(body), {
      request: {
        streams: [
          {
            labels: { job: 'api', level: 'info' },
            entries: [
              { tsNs: 1570818238000000123n, line: 'log line 1' },
              { tsNs: 1570818239000000000n, line: 'log line 2 ✓', metadata: { trace_id: '0242ac120002', user: 'x' } },
            ],
          },
          { labels: { job: 'db' }, entries: [{ tsNs: 1000000000n, line: '' }] },
        ],
      },
      rejected: [],
    });
  });

  it('reads what protobufjs encodes from push.proto, through snappy', () => {
    const PushRequest = lokiPushType();
    const body = encodeWith(PushRequest, {
      format: 'loki',
      streams: [
        {
          labels: '{app="web", env="prod"}',
          hash: 12345,
          entries: [
            {
              timestamp: { seconds: 1700000000, nanos: 999999999 },
              line: 'GET /health 200',
              structuredMetadata: [{ name: 'trace_id', value: 'abc' }],
              parsed: [{ name: 'ignored', value: 'yes' }],
            },
            { timestamp: { seconds: 1700000001 }, line: 'second' },
          ],
        },
      ],
    });
    const { request, rejected } = decodeLokiProtobuf(snappyDecompress(compressSync(body), 1 << 20));
    assert.deepEqual(rejected, []);
    assert.deepEqual(request.streams, [
      {
        labels: { app: 'web', env: 'prod' },
        entries: [
          { tsNs: 1700000000999999999n, line: 'GET /health 200', metadata: { trace_id: 'abc' } },
          { tsNs: 1700000001000000000n, line: 'second' },
        ],
      },
    ]);
  });

  it('agrees with protobufjs on random pushes', () => {
    const PushRequest = lokiPushType();
    const entry = fc.record({
      seconds: fc.integer({ min: 0, max: 4_000_000_000 }),
      nanos: fc.integer({ min: 0, max: 999_999_999 }),
      line: fc.string({ unit: 'grapheme', maxLength: 40 }),
      metadata: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 8 }), { maxKeys: 3, noNullPrototype: true }),
    });
    const stream = fc.record({
      labels: fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,6}$/), fc.string({ unit: 'grapheme', maxLength: 10 }), { minKeys: 1, maxKeys: 4, noNullPrototype: true }),
      entries: fc.array(entry, { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(stream, { maxLength: 4 }), (streams) => {
        const body = encodeWith(PushRequest, {
          streams: streams.map((s) => ({
            labels: `{${Object.entries(s.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`,
            entries: s.entries.map((e) => ({
              timestamp: { seconds: e.seconds, nanos: e.nanos },
              line: e.line,
              structuredMetadata: Object.entries(e.metadata).map(([name, value]) => ({ name, value })),
            })),
          })),
        });
        const { request, rejected } = decodeLokiProtobuf(body);
        assert.deepEqual(rejected, []);
        assert.deepEqual(
          request.streams,
          streams.map((s) => ({
            labels: s.labels,
            entries: s.entries.map((e) => ({
              tsNs: BigInt(e.seconds) * 1_000_000_000n + BigInt(e.nanos),
              line: e.line,
              ...(Object.keys(e.metadata).length > 0 ? { metadata: e.metadata } : {}),
            })),
          })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a truncated body with the byte offset', () => {
    const body = writeLokiPush([{ labels: '{a="b"}', entries: [{ seconds: 1, line: 'hello world' }] }]);
    assert.throws(
      () => decodeLokiProtobuf(body.subarray(0, body.length - 3)),
      (err: unknown) => isVigilError(err) && err.code === 'VIGIL_ERR_BODY_MALFORMED' && /at byte \d+$/.test(err.message),
    );
    for (let n = 1; n < body.length; n++) {
      assert.throws(() => decodeLokiProtobuf(body.subarray(0, n)), (err: unknown) => isVigilError(err), `prefix ${n}`);
    }
  });

  it('refuses random bytes only with VigilErrors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        try {
          decodeLokiProtobuf(Buffer.from(bytes));
        } catch (err) {
          assert.ok(isVigilError(err) && err.code === 'VIGIL_ERR_BODY_MALFORMED', String(err));
        }
      }),
    );
  });

  it('rejects only the entry whose line is not UTF-8', () => {
    const body = writeLokiPush([
      {
        labels: '{a="b"}',
        entries: [
          { seconds: 1, line: 'fine' },
          { seconds: 2, line: Buffer.from([0x61, 0xff, 0x62]) },
          { seconds: 3, line: 'also fine', metadata: { k: 'v' } },
        ],
      },
    ]);
    const { request, rejected } = decodeLokiProtobuf(body);
    assert.deepEqual(request.streams[0].entries.map((e) => e.line), ['fine', 'also fine']);
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0].entry, 1);
    assert.equal(rejected[0].reason, 'invalid_utf8');
    assert.match(rejected[0].message, /line is not valid UTF-8 \(byte \d+\)/);
  });

  it('rejects an entry whose metadata is not UTF-8', () => {
    const w = new ProtoWriter().message(1, (s) =>
      s.string(1, '{a="b"}').message(2, (e) => e.string(2, 'x').message(3, (p) => p.string(1, 'k').bytes(2, Buffer.from([0xc0, 0x80])))),
    );
    const { request, rejected } = decodeLokiProtobuf(w.finish());
    assert.deepEqual(request.streams, []);
    assert.equal(rejected[0].reason, 'invalid_utf8');
    assert.match(rejected[0].message, /structured metadata/);
  });

  it('rejects invalid timestamps per entry', () => {
    const body = writeLokiPush([
      { labels: '{a="b"}', entries: [{ seconds: 1, nanos: 1_000_000_000, line: 'x' }, { seconds: 300_000_000_000, line: 'y' }, { seconds: 0, line: 'epoch' }] },
    ]);
    const { request, rejected } = decodeLokiProtobuf(body);
    assert.deepEqual(rejected.map((r) => [r.entry, r.reason]), [[0, 'bad_timestamp'], [1, 'bad_timestamp']]);
    assert.deepEqual(request.streams[0].entries, [{ tsNs: 0n, line: 'epoch' }]);
  });

  it('rejects every entry of a stream with unparsable labels, once each', () => {
    const body = writeLokiPush([
      { labels: '{a=b}', entries: [{ seconds: 1, line: 'x' }, { seconds: 1, nanos: 2_000_000_000, line: 'y' }] },
      { labels: '{a="ok"}', entries: [{ seconds: 1, line: 'z' }] },
    ]);
    const { request, rejected } = decodeLokiProtobuf(body);
    assert.deepEqual(rejected.map((r) => [r.stream, r.entry, r.reason]), [[0, 0, 'bad_labels'], [0, 1, 'bad_labels']]);
    assert.match(rejected[0].message, /invalid label set "\{a=b\}"/);
    assert.deepEqual(request.streams.map((s) => s.labels), [{ a: 'ok' }]);
  });

  it('accepts labels after the entries and skips unknown fields', () => {
    const w = new ProtoWriter()
      .string(2, 'loki')
      .message(1, (s) =>
        s
          .uint(3, 99)
          .message(2, (e) => e.uint(15, 1).message(1, (t) => t.uint(1, 5)).string(2, 'late labels').fixed32(9, 7))
          .string(1, '{x="y"}'),
      );
    assert.deepEqual(decodeLokiProtobuf(w.finish()).request.streams, [{ labels: { x: 'y' }, entries: [{ tsNs: 5_000_000_000n, line: 'late labels' }] }]);
  });

  it('decodes an empty body as an empty push', () => {
    assert.deepEqual(decodeLokiProtobuf(Buffer.alloc(0)), { request: { streams: [] }, rejected: [] });
  });
});
