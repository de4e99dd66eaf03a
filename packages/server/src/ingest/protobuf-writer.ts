/**
 * A minimal protobuf writer. Production code only encodes small replies with
 * it (OTLP responses, google.rpc.Status); tests use it to build request
 * bodies byte by byte, including deliberately broken ones.
 */
import { WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './protobuf-reader.ts';

export class ProtoWriter {
  private buf = Buffer.allocUnsafe(256);
  private pos = 0;

  /** Raw bytes, for tests that need exact (or invalid) encodings. */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** Unsigned varint; negative numbers and bigints are written as 64-bit two's complement. */
  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
    return this;
  }

  uint(field: number, value: number | bigint): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  fixed32(field: number, value: number): this {
    this.tag(field, WIRE_I32).reserve(4);
    this.pos = this.buf.writeUInt32LE(value >>> 0, this.pos);
    return this;
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, WIRE_I64).reserve(8);
    this.pos = this.buf.writeBigUInt64LE(BigInt.asUintN(64, value), this.pos);
    return this;
  }

  double(field: number, value: number): this {
    this.tag(field, WIRE_I64).reserve(8);
    this.pos = this.buf.writeDoubleLE(value, this.pos);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    return this.tag(field, WIRE_LEN).varint(value.length).raw(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** An embedded message written by `build` into a fresh writer. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
