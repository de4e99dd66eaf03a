import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isVigilError } from '../errors.ts';
import { ProtoReader, WIRE_EGROUP, WIRE_LEN, WIRE_SGROUP, WIRE_VARINT } from './protobuf-reader.ts';
import { ProtoWriter } from './protobuf-writer.ts';

function malformedAt(offset: number) {
  return (err: unknown) => {
    assert.ok(isVigilError(err), String(err));
    assert.equal(err.code, 'VIGIL_ERR_BODY_MALFORMED');
    assert.match(err.message, new RegExp(`at byte ${offset}$`));
    return true;
  };
}

function reader(bytes: number[] | Buffer): ProtoReader {
  return new ProtoReader(Buffer.from(bytes));
}

describe('ProtoReader scalars', () => {
  it('reads one- and multi-byte varints', () => {
    const r = reader(new ProtoWriter().varint(0).varint(127).varint(128).varint(300).varint(0xffffffff).finish());
    assert.deepEqual([r.uint32(), r.uint32(), r.uint32(), r.uint32(), r.uint32()], [0, 127, 128, 300, 0xffffffff]);
    assert.ok(r.done());
  });

  it('round-trips any uint64 and int64', () => {
    fc.assert(
      fc.property(fc.bigInt(0n, 2n ** 64n - 1n), fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), (u, s) => {
        const r = reader(new ProtoWriter().varint(u).varint(s).finish());
        assert.equal(r.uint64(), u);
        assert.equal(r.int64(), s);
      }),
    );
  });

  it('reads negative int32 sent as a 10-byte varint', () => {
    const bytes = new ProtoWriter().varint(-2).finish();
    assert.equal(bytes.length, 10);
    assert.equal(reader(bytes).int32(), -2);
  });

  it('reads any safe int64 as a number, mid-buffer and at the very end', () => {
    fc.assert(
      fc.property(fc.bigInt(-(2n ** 53n) + 1n, 2n ** 53n - 1n), (v) => {
        const r = reader(new ProtoWriter().varint(v).varint(v).finish());
        assert.equal(r.int64Number(), Number(v));
        assert.equal(r.int64Number(), Number(v));
        assert.ok(r.done());
      }),
    );
  });

  it('reads int64 as a number, negative included', () => {
    const r = reader(new ProtoWriter().varint(1_700_000_000).varint(-5).varint(2 ** 40).finish());
    assert.deepEqual([r.int64Number(), r.int64Number(), r.int64Number()], [1_700_000_000, -5, 2 ** 40]);
  });

  it('reads bool, fixed32, fixed64 and double', () => {
    const w = new ProtoWriter().bool(1, true).fixed32(2, 0xdeadbeef).fixed64(3, 2n ** 64n - 2n).double(4, -1.5);
    const r = reader(w.finish());
    assert.equal(r.tag(), 0x08);
    assert.equal(r.bool(), true);
    r.tag();
    assert.equal(r.fixed32(), 0xdeadbeef);
    r.tag();
    assert.equal(r.fixed64(), 2n ** 64n - 2n);
    r.tag();
    assert.equal(r.double(), -1.5);
  });

  it('rejects truncated and over-long varints with the offset', () => {
    assert.throws(() => reader([0x80, 0x80]).uint32(), malformedAt(0));
    assert.throws(() => reader([0xff]).uint64(), malformedAt(0));
    assert.throws(() => reader(Array(11).fill(0xff)).uint64(), malformedAt(0));
  });

  it('rejects truncated fixed fields', () => {
    assert.throws(() => reader([1, 2, 3]).fixed32(), malformedAt(0));
    assert.throws(() => reader([1, 2, 3, 4, 5, 6, 7]).fixed64(), malformedAt(0));
  });
});

describe('ProtoReader strings and bytes', () => {
  it('reads UTF-8 strings, including a real U+FFFD', () => {
    const r = reader(new ProtoWriter().string(1, 'héllo ✓').string(2, 'a\uFFFDb').string(3, '').finish());
    r.tag();
    assert.equal(r.string(), 'héllo ✓');
    r.tag();
    assert.equal(r.string(), 'a\uFFFDb');
    r.tag();
    assert.equal(r.string(), '');
  });

  it('reports invalid UTF-8 with the offset of the string', () => {
    const body = new ProtoWriter().string(1, 'ok').bytes(2, Buffer.from([0x61, 0xc3, 0x28])).finish();
    const r = reader(body);
    r.tag();
    r.string();
    r.tag();
    assert.equal(r.tryString(), undefined);
    assert.equal(r.badUtf8At, 6);
    const again = reader(body);
    again.tag();
    again.string();
    again.tag();
    assert.throws(() => again.string(), malformedAt(6));
  });

  it('rejects overlong encodings and lone surrogates', () => {
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      assert.equal(reader([bad.length, ...bad]).tryString(), undefined);
    }
  });

  it('rejects a length that runs past the end', () => {
    const r = reader([0x0a, 0x05, 0x61]);
    assert.throws(() => r.skip(r.tag()), malformedAt(1));
  });

  it('reads bytes as hex and base64', () => {
    const r = reader([2, 0xab, 0x01, 2, 0xff, 0x00]);
    assert.equal(r.hex(), 'ab01');
    assert.equal(r.base64(), '/wA=');
  });
});

describe('ProtoReader messages', () => {
  it('keeps reads inside an embedded message', () => {
    // Outer field 1 claims 2 bytes, but its inner string claims 3.
    const r = reader([0x0a, 0x02, 0x0a, 0x03, 0x61, 0x62, 0x63]);
    r.tag();
    r.enter();
    r.tag();
    assert.throws(() => r.string(), malformedAt(3));
  });

  it('leave() skips what was not read and restores the outer limit', () => {
    const body = new ProtoWriter()
      .message(1, (m) => m.uint(1, 5).string(2, 'skipped'))
      .uint(2, 7)
      .finish();
    const r = reader(body);
    r.tag();
    const saved = r.enter();
    r.tag();
    assert.equal(r.uint32(), 5);
    r.leave(saved);
    assert.equal(r.tag(), 0x10);
    assert.equal(r.uint32(), 7);
    assert.ok(r.done());
  });

  it('skips every wire type, groups included', () => {
    const w = new ProtoWriter()
      .uint(1, 300)
      .fixed64(2, 1n)
      .string(3, 'x')
      .fixed32(4, 1)
      .tag(5, WIRE_SGROUP)
      .uint(1, 1)
      .tag(6, WIRE_SGROUP)
      .tag(6, WIRE_EGROUP)
      .tag(5, WIRE_EGROUP)
      .uint(9, 42);
    const r = reader(w.finish());
    for (let i = 0; i < 5; i++) r.skip(r.tag());
    assert.equal(r.tag(), (9 << 3) | WIRE_VARINT);
    assert.equal(r.uint32(), 42);
  });

  it('rejects field number 0, wire types 6 and 7, and stray end-groups', () => {
    assert.throws(() => reader([0x02, 0x00]).tag(), malformedAt(0));
    assert.throws(() => reader([0x0e]).tag(), malformedAt(0));
    assert.throws(() => reader([0x0f]).tag(), malformedAt(0));
    assert.throws(() => reader([0x0c]).skip(reader([0x0c]).tag()), /end-group/);
  });

  it('rejects a group closed by another field', () => {
    const w = new ProtoWriter().tag(5, WIRE_SGROUP).tag(6, WIRE_EGROUP);
    const r = reader(w.finish());
    assert.throws(() => r.skip(r.tag()), /inside group 5/);
  });

  it('never reads out of bounds on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const r = reader(Buffer.from(bytes));
        try {
          while (!r.done()) {
            const tag = r.tag();
            if ((tag & 7) === WIRE_LEN && tag % 2 === 0) r.tryString();
            else r.skip(tag);
          }
        } catch (err) {
          assert.ok(isVigilError(err), String(err));
        }
        assert.ok(r.pos <= bytes.length);
      }),
    );
  });
});
