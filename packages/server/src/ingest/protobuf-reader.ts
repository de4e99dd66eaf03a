/**
 * A small protobuf wire-format reader for the ingest hot path.
 *
 * Decoders walk a message with `tag()` and read each field with the matching
 * method; nested messages are read in place with `enter()`/`leave()`, which
 * narrow `limit` so no read can cross the end of the message being decoded.
 * Nothing is allocated per field except the values returned (strings,
 * bigints): unlike generated decoders, no object is built per message.
 */
import { isUtf8 } from 'node:buffer';
import { VigilError } from '../errors.ts';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

type Utf8Slice = (this: Buffer, start: number, end: number) => string;

/**
 * Buffer's own UTF-8 slicer, which toString('utf8', start, end) calls after
 * argument checks that cost more than decoding a 200-byte line. It is not in
 * Node's typings, hence the lookup with a toString fallback.
 */
const utf8Slice: Utf8Slice =
  (Buffer.prototype as unknown as { utf8Slice?: Utf8Slice }).utf8Slice ??
  function (this: Buffer, start: number, end: number) {
    return this.toString('utf8', start, end);
  };

/** Groups are only skipped, never decoded; the cap guards the call stack. */
const MAX_GROUP_DEPTH = 64;

export class ProtoReader {
  readonly buf: Buffer;
  pos: number;
  /** End of the message being read; `enter()` narrows it, `leave()` restores it. */
  limit: number;
  /** Where the last string that failed UTF-8 validation started. */
  badUtf8At = -1;
  // The two 32-bit halves of the last varint read by readVarint().
  private lo = 0;
  private hi = 0;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.limit = end;
  }

  done(): boolean {
    return this.pos >= this.limit;
  }

  /** Throws VIGIL_ERR_BODY_MALFORMED naming the byte offset. */
  fail(what: string, at: number = this.pos): never {
    throw new VigilError('VIGIL_ERR_BODY_MALFORMED', `malformed protobuf body: ${what} at byte ${at}`);
  }

  /** Reads a field key: `(fieldNumber << 3) | wireType`. */
  tag(): number {
    const at = this.pos;
    const tag = this.uint32();
    if (tag >>> 3 === 0) this.fail('field number 0', at);
    const wire = tag & 7;
    if (wire > WIRE_I32) this.fail(`invalid wire type ${wire}`, at);
    return tag;
  }

  uint32(): number {
    const pos = this.pos;
    if (pos < this.limit) {
      const b = this.buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    this.readVarint();
    return this.lo;
  }

  /** Negative int32 values are sent as 10-byte varints; the low 32 bits hold them. */
  int32(): number {
    return this.uint32() | 0;
  }

  bool(): boolean {
    this.readVarint();
    return this.lo !== 0 || this.hi !== 0;
  }

  /** int64 as a number; exact while |value| < 2^53, which callers check if it matters. */
  int64Number(): number {
    // Fast path for values below 2^35 (5 bytes), which covers Unix seconds.
    const buf = this.buf;
    const pos = this.pos;
    if (this.limit - pos >= 5) {
      for (let i = 0, value = 0, scale = 1; i < 5; i++, scale *= 128) {
        const b = buf[pos + i];
        value += (b & 0x7f) * scale;
        if (b < 0x80) {
          this.pos = pos + i + 1;
          return value;
        }
      }
    }
    this.readVarint();
    return (this.hi | 0) * 4294967296 + this.lo;
  }

  uint64(): bigint {
    this.readVarint();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  int64(): bigint {
    return BigInt.asIntN(64, this.uint64());
  }

  fixed32(): number {
    const at = this.advance(4);
    return this.buf.readUInt32LE(at);
  }

  fixed64(): bigint {
    const at = this.advance(8);
    return this.buf.readBigUInt64LE(at);
  }

  double(): number {
    const at = this.advance(8);
    return this.buf.readDoubleLE(at);
  }

  /** Reads a length prefix and returns the start of the payload; `pos` moves past it. */
  skipBytes(): number {
    const n = this.length();
    const start = this.pos;
    this.pos = start + n;
    return start;
  }

  /** Copies nothing: the returned view shares memory with the body. */
  bytes(): Buffer {
    const start = this.skipBytes();
    return this.buf.subarray(start, this.pos);
  }

  hex(): string {
    const start = this.skipBytes();
    return this.buf.toString('hex', start, this.pos);
  }

  base64(): string {
    const start = this.skipBytes();
    return this.buf.toString('base64', start, this.pos);
  }

  /** A UTF-8 string; invalid UTF-8 makes the whole body malformed. */
  string(): string {
    const s = this.tryString();
    if (s === undefined) this.fail('invalid UTF-8 in a string field', this.badUtf8At);
    return s;
  }

  /**
   * A UTF-8 string, or undefined when it is not valid UTF-8 (see
   * `badUtf8At`), so a decoder can reject one entry and keep the batch.
   */
  tryString(): string | undefined {
    const start = this.skipBytes();
    const end = this.pos;
    if (start === end) return '';
    const s = utf8Slice.call(this.buf, start, end);
    // toString() replaces bad sequences with U+FFFD; only then is the slower
    // exact check needed, since a valid body may also contain U+FFFD itself.
    if (s.indexOf('\uFFFD') !== -1 && !isUtf8(this.buf.subarray(start, end))) {
      this.badUtf8At = start;
      return undefined;
    }
    return s;
  }

  /** Starts reading an embedded message; pass the result to `leave()`. */
  enter(): number {
    const n = this.length();
    const saved = this.limit;
    this.limit = this.pos + n;
    return saved;
  }

  /** Ends an embedded message: skips what the caller did not read, restores the outer limit. */
  leave(saved: number): void {
    this.pos = this.limit;
    this.limit = saved;
  }

  /** Skips the value of an unknown field. */
  skip(tag: number): void {
    this.skipValue(tag, 0);
  }

  private skipValue(tag: number, depth: number): void {
    switch (tag & 7) {
      case WIRE_VARINT:
        this.readVarint();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.skipBytes();
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      case WIRE_SGROUP:
        this.skipGroup(tag >>> 3, depth + 1);
        return;
      default:
        this.fail(`unexpected end-group for field ${tag >>> 3}`);
    }
  }

  private skipGroup(field: number, depth: number): void {
    if (depth > MAX_GROUP_DEPTH) this.fail('groups nested too deeply');
    for (;;) {
      if (this.done()) this.fail(`unterminated group for field ${field}`);
      const tag = this.tag();
      if ((tag & 7) === WIRE_EGROUP) {
        if (tag >>> 3 !== field) this.fail(`end-group for field ${tag >>> 3} inside group ${field}`);
        return;
      }
      this.skipValue(tag, depth);
    }
  }

  /** Checks that n bytes remain and returns where they start. */
  private advance(n: number): number {
    const at = this.pos;
    if (this.limit - at < n) this.fail(`truncated ${n}-byte field`, at);
    this.pos = at + n;
    return at;
  }

  private length(): number {
    const at = this.pos;
    let n: number;
    if (at < this.limit && this.buf[at] < 0x80) {
      n = this.buf[at];
      this.pos = at + 1;
    } else {
      this.readVarint();
      if (this.hi !== 0) this.fail('length prefix too large', at);
      n = this.lo;
    }
    if (n > this.limit - this.pos) this.fail(`length ${n} runs past the end of the message`, at);
    return n;
  }

  /** Reads a varint of up to 10 bytes into lo/hi. */
  private readVarint(): void {
    const buf = this.buf;
    const limit = this.limit;
    const at = this.pos;
    let pos = at;
    let lo = 0;
    let hi = 0;
    let b: number;
    // Bytes 0-3 carry bits 0-27.
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= limit) this.fail('truncated varint', at);
      b = buf[pos++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(pos, lo, 0);
    }
    // Byte 4 straddles the halves: bits 28-31 and 32-34.
    if (pos >= limit) this.fail('truncated varint', at);
    b = buf[pos++];
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) return this.setVarint(pos, lo, hi);
    // Bytes 5-9 carry bits 35-63.
    for (let shift = 3; shift < 32; shift += 7) {
      if (pos >= limit) this.fail('truncated varint', at);
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(pos, lo, hi);
    }
    this.fail('varint longer than 10 bytes', at);
  }

  private setVarint(pos: number, lo: number, hi: number): void {
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }
}
