import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { compressSync } from 'snappy';
import { isVigilError, type ErrorCode } from '../errors.ts';
import { decodeBody, snappyDecompress } from './body.ts';

const MiB = 1024 * 1024;
const limits = { maxBytes: 10 * MiB };
const text = Buffer.from('{"streams":[]}'.repeat(100));

function vigil(code: ErrorCode, message?: RegExp) {
  return (err: unknown) => {
    assert.ok(isVigilError(err), String(err));
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  };
}

describe('decodeBody', () => {
  it('passes identity bodies through', () => {
    assert.equal(decodeBody(text, undefined, limits), text);
    assert.equal(decodeBody(text, '', limits), text);
    assert.equal(decodeBody(text, 'identity', limits), text);
  });

  it('limits identity bodies too', () => {
    assert.throws(() => decodeBody(text, undefined, { maxBytes: 10 }), vigil('VIGIL_ERR_BODY_TOO_LARGE', /limit of 10 bytes/));
  });

  it('inflates gzip, case-insensitively', () => {
    assert.deepEqual(decodeBody(gzipSync(text), 'gzip', limits), text);
    assert.deepEqual(decodeBody(gzipSync(text), ' GZIP ', limits), text);
    assert.deepEqual(decodeBody(gzipSync(text), 'x-gzip', limits), text);
  });

  it('inflates deflate, zlib-wrapped or raw', () => {
    assert.deepEqual(decodeBody(deflateSync(text), 'deflate', limits), text);
    assert.deepEqual(decodeBody(deflateRawSync(text), 'deflate', limits), text);
  });

  it('undoes stacked encodings last-applied first', () => {
    assert.deepEqual(decodeBody(gzipSync(deflateSync(text)), 'deflate, gzip', limits), text);
  });

  it('accepts a body exactly at the limit', () => {
    assert.deepEqual(decodeBody(gzipSync(text), 'gzip', { maxBytes: text.length }), text);
    assert.throws(() => decodeBody(gzipSync(text), 'gzip', { maxBytes: text.length - 1 }), vigil('VIGIL_ERR_BODY_TOO_LARGE'));
  });

  it('stops a gzip bomb at the limit, quickly', () => {
    const bomb = gzipSync(Buffer.alloc(200 * MiB), { level: 1 });
    const started = performance.now();
    assert.throws(
      () => decodeBody(bomb, 'gzip', limits),
      vigil('VIGIL_ERR_BODY_TOO_LARGE', /limit of 10485760 bytes after gzip/),
    );
    assert.ok(performance.now() - started < 500, 'inflating stopped at the cap');
  });

  it('stops a deflate bomb at the limit', () => {
    const bomb = deflateRawSync(Buffer.alloc(50 * MiB), { level: 1 });
    assert.throws(() => decodeBody(bomb, 'deflate', { maxBytes: MiB }), vigil('VIGIL_ERR_BODY_TOO_LARGE'));
  });

  it('names the encoding of corrupt data', () => {
    assert.throws(() => decodeBody(text, 'gzip', limits), vigil('VIGIL_ERR_BODY_MALFORMED', /not valid gzip/));
    assert.throws(() => decodeBody(gzipSync(text).subarray(0, 20), 'gzip', limits), vigil('VIGIL_ERR_BODY_MALFORMED', /gzip/));
    assert.throws(() => decodeBody(Buffer.from([0xff, 0xff]), 'deflate', limits), vigil('VIGIL_ERR_BODY_MALFORMED', /deflate/));
  });

  it('names an unknown encoding', () => {
    assert.throws(() => decodeBody(text, 'br', limits), vigil('VIGIL_ERR_ENCODING_UNSUPPORTED', /"br"/));
    assert.throws(() => decodeBody(text, 'gzip, zstd', limits), vigil('VIGIL_ERR_ENCODING_UNSUPPORTED', /"zstd"/));
  });

  it('treats snappy as the caller asks', () => {
    const packed = compressSync(text);
    assert.throws(() => decodeBody(packed, 'snappy', limits), vigil('VIGIL_ERR_ENCODING_UNSUPPORTED', /snappy/));
    assert.equal(decodeBody(packed, 'snappy', limits, { snappy: 'passthrough' }), packed);
    assert.deepEqual(decodeBody(packed, 'snappy', limits, { snappy: 'decompress' }), text);
  });
});

describe('snappyDecompress', () => {
  it('decompresses a snappy block', () => {
    assert.deepEqual(snappyDecompress(compressSync(text), limits.maxBytes), text);
    assert.deepEqual(snappyDecompress(compressSync(Buffer.alloc(0)), 10), Buffer.alloc(0));
  });

  it('refuses from the declared length, before decompressing', () => {
    // Declares 200 MiB, then nothing: only the header was looked at.
    const header = Buffer.from([0x80, 0x80, 0x80, 0x64]);
    assert.throws(() => snappyDecompress(header, limits.maxBytes), vigil('VIGIL_ERR_BODY_TOO_LARGE', /snappy/));
    const real = compressSync(Buffer.alloc(11 * MiB));
    assert.throws(() => snappyDecompress(real, limits.maxBytes), vigil('VIGIL_ERR_BODY_TOO_LARGE'));
  });

  it('reports a corrupt body as malformed snappy', () => {
    // A copy tag pointing before the start of the output.
    assert.throws(() => snappyDecompress(Buffer.from([5, 1, 2, 3]), limits.maxBytes), vigil('VIGIL_ERR_BODY_MALFORMED', /snappy/));
    // Declares 100 bytes, holds a 3-byte literal.
    assert.throws(() => snappyDecompress(Buffer.from([100, 0x08, 0x61, 0x62, 0x63]), 1000), vigil('VIGIL_ERR_BODY_MALFORMED', /snappy/));
    assert.throws(() => snappyDecompress(text, limits.maxBytes), vigil('VIGIL_ERR_BODY_MALFORMED', /snappy/));
    assert.throws(() => snappyDecompress(Buffer.alloc(0), 10), vigil('VIGIL_ERR_BODY_MALFORMED', /length header/));
    assert.throws(() => snappyDecompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 10), vigil('VIGIL_ERR_BODY_MALFORMED'));
  });
});
