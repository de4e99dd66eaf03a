import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError } from '../../errors.ts';
import { decodeLokiJson } from './decode-json.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

function malformed(text?: RegExp) {
  return (err: unknown) => {
    assert.ok(isVigilError(err), String(err));
    assert.equal(err.code, 'VIGIL_ERR_BODY_MALFORMED');
    if (text) assert.match(err.message, text);
    return true;
  };
}

describe('decodeLokiJson', () => {
  it('decodes the API example', () => {
    const { request, rejected } = decodeLokiJson(
      json({
        streams: [
          {
            stream: { job: 'api', level: 'info' },
            values: [
              ['1570818238000000000', 'log line 1'],
              ['1570818239000000000', 'log line 2', { trace_id: '0242ac120002' }],
            ],
          },
        ],
      }),
    );
    assert.deepEqual(rejected, []);
    assert.deepEqual(request, {
      streams: [
        {
          labels: { job: 'api', level: 'info' },
          entries: [
            { tsNs: 1570818238000000000n, line: 'log line 1' },
            { tsNs: 1570818239000000000n, line: 'log line 2', metadata: { trace_id: '0242ac120002' } },
          ],
        },
      ],
    });
  });

  it('keeps all 64 bits of the timestamp and accepts the categorised metadata form', () => {
    const { request } = decodeLokiJson(
      json({ streams: [{ stream: { a: 'b' }, values: [['9223372036854775807', 'x', { structuredMetadata: { k: 'v' }, parsed: { p: 'q' } }]] }] }),
    );
    assert.deepEqual(request.streams[0].entries[0], { tsNs: 9223372036854775807n, line: 'x', metadata: { k: 'v' } });
  });

  it('rejects a number timestamp but keeps the rest of the batch', () => {
    const { request, rejected } = decodeLokiJson(
      json({ streams: [{ stream: { a: 'b' }, values: [[1570818238000000000, 'bad'], ['1', 'good']] }] }),
    );
    assert.deepEqual(request.streams[0].entries, [{ tsNs: 1n, line: 'good' }]);
    assert.equal(rejected.length, 1);
    assert.deepEqual({ ...rejected[0], message: undefined }, { stream: 0, entry: 0, reason: 'bad_timestamp', message: undefined });
    assert.match(rejected[0].message, /streams\[0\]\.values\[0\]: timestamp must be a string.*number/);
  });

  it('rejects non-integer and out-of-range timestamp strings', () => {
    for (const ts of ['1.5', '', ' 1', '1e9', '9223372036854775808', 'now']) {
      const { rejected } = decodeLokiJson(json({ streams: [{ stream: {}, values: [[ts, 'x']] }] }));
      assert.equal(rejected[0]?.reason, 'bad_timestamp', ts);
    }
  });

  it('rejects a non-string line', () => {
    const { request, rejected } = decodeLokiJson(json({ streams: [{ stream: { a: 'b' }, values: [['1', { msg: 'x' }], ['2', 42]] }] }));
    assert.deepEqual(request.streams, []);
    assert.deepEqual(rejected.map((r) => [r.entry, r.reason]), [[0, 'bad_line'], [1, 'bad_line']]);
  });

  it('rejects nested or non-string metadata', () => {
    const { request, rejected } = decodeLokiJson(
      json({ streams: [{ stream: { a: 'b' }, values: [['1', 'x', { a: { b: 'c' } }], ['2', 'y', { n: 1 }], ['3', 'z', ['k']], ['4', 'ok', {}]] }] }),
    );
    assert.deepEqual(rejected.map((r) => [r.entry, r.reason]), [[0, 'bad_metadata'], [1, 'bad_metadata'], [2, 'bad_metadata']]);
    assert.match(rejected[0].message, /value of "a" must be a string, got an object/);
    assert.deepEqual(request.streams[0].entries, [{ tsNs: 4n, line: 'ok', metadata: {} }]);
  });

  it('rejects malformed entries', () => {
    const { rejected } = decodeLokiJson(json({ streams: [{ stream: { a: 'b' }, values: [['1'], 'x', ['1', 'a', {}, 'extra']] }] }));
    assert.deepEqual(rejected.map((r) => r.reason), ['bad_entry', 'bad_entry', 'bad_entry']);
  });

  it('rejects every entry of a stream with bad labels, with indexes from the body', () => {
    const { request, rejected } = decodeLokiJson(
      json({
        streams: [
          { stream: { a: 'b' }, values: [['1', 'kept']] },
          { stream: { a: 1 }, values: [['1', 'x'], ['2', 'y']] },
          { stream: 'nope', values: [['1', 'z']] },
        ],
      }),
    );
    assert.equal(request.streams.length, 1);
    assert.deepEqual(rejected.map((r) => [r.stream, r.entry, r.reason]), [[1, 0, 'bad_labels'], [1, 1, 'bad_labels'], [2, 0, 'bad_labels']]);
  });

  it('refuses a body without a streams array', () => {
    assert.throws(() => decodeLokiJson(json({})), malformed(/"streams" array/));
    assert.throws(() => decodeLokiJson(json({ streams: {} })), malformed(/"streams" array/));
    assert.throws(() => decodeLokiJson(json([])), malformed(/"streams" array/));
    assert.throws(() => decodeLokiJson(json({ streams: [1] })), malformed(/streams\[0\] is not an object/));
    assert.throws(() => decodeLokiJson(json({ streams: [{ stream: {}, values: 'x' }] })), malformed(/streams\[0\]\.values/));
  });

  it('refuses a body that is not JSON or not UTF-8', () => {
    assert.throws(() => decodeLokiJson(Buffer.from('{"streams": [')), malformed(/not valid JSON/));
    assert.throws(() => decodeLokiJson(Buffer.alloc(0)), malformed(/not valid JSON/));
    assert.throws(() => decodeLokiJson(Buffer.from([0x7b, 0xff, 0x7d])), malformed(/UTF-8/));
  });

  it('accepts an empty push', () => {
    assert.deepEqual(decodeLokiJson(json({ streams: [] })), { request: { streams: [] }, rejected: [] });
    assert.deepEqual(decodeLokiJson(json({ streams: [{ stream: { a: 'b' }, values: [] }] })).request.streams, []);
  });
});
