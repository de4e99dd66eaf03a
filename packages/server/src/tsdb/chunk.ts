/**
 * Gorilla-style XOR chunks, as in Prometheus' `chunkenc.XORChunk`:
 * timestamps as delta-of-delta in variable-width buckets, values as the XOR
 * with the previous value, writing only the meaningful bits. Float bits are
 * handled as two 32-bit halves (no BigInt on the hot path), so every bit
 * pattern round-trips exactly: NaN payloads (staleness markers), ±Inf, -0.
 *
 * Layout (bit stream, big-endian bit order):
 *   t0: 64 bits (two's complement), v0: 64 raw bits;
 *   then per sample: dod of the timestamp (the first delta is a dod against 0)
 *     '0'                 dod = 0
 *     '10'   + 14 bits    -8191..8192
 *     '110'  + 17 bits    -65535..65536
 *     '1110' + 20 bits    -524287..524288
 *     '1111' + 64 bits    anything else
 *   and the value: '0' same bits; '10' + bits inside the previous window;
 *   '11' + 5 bits leading zeros + 6 bits length (0 means 64) + the bits.
 * The sample count is kept beside the bytes (the stored row, the head).
 */
import { BitWriter } from './bit-writer.ts';
import type { Sample } from './model.ts';

/** Prometheus' target: 120 samples is where compression stops improving. */
export const MAX_SAMPLES_PER_CHUNK = 120;
/** A chunk spans at most this much time (a 2 h head block). */
export const MAX_CHUNK_SPAN_MS = 2 * 3600 * 1000;

const TWO32 = 4294967296;
/** A new XOR window's header: 5 bits of leading zeros and 6 of length. */
const WINDOW_HEADER_BITS = 11;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// The encoder keeps the previous value's halves signed: int32 fields are
// small integers, held in the object, where uint32 ones would each be a boxed double.
const i32 = new Int32Array(f64.buffer);
// Float64Array shares the platform's byte order; index the halves accordingly.
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

/**
 * Decoding reads the stream as big-endian 32-bit words (copied into a scratch
 * array padded with zero words), so any n ≤ 32 bits is at most two word reads
 * and a shift, instead of a loop per byte.
 */
let words = new Uint32Array(64);

function loadWords(data: Uint8Array): void {
  const n = data.length;
  const need = (n >>> 2) + 2;
  if (words.length < need) words = new Uint32Array(Math.max(need, words.length * 2));
  const full = n & ~3;
  let w = 0;
  for (let i = 0; i < full; i += 4) {
    words[w++] = ((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0;
  }
  let last = 0;
  for (let i = full, shift = 24; i < n; i++, shift -= 8) last |= data[i] << shift;
  words[w++] = last >>> 0;
  words[w] = 0;
}

/** The n bits (1 ≤ n ≤ 32) at bit position pos of `words`, unsigned. */
function bitsAt(pos: number, n: number): number {
  const i = pos >>> 5;
  const off = pos & 31;
  const head = off === 0 ? words[i] : ((words[i] << off) | (words[i + 1] >>> (32 - off))) >>> 0;
  return n === 32 ? head : head >>> (32 - n);
}

function truncated(pos: number): never {
  throw new Error(`chunk truncated at bit ${pos}`);
}

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Writes the `n` (1..64) low bits of the 64-bit value hi:lo. */
function writeBits64(w: BitWriter, hi: number, lo: number, n: number): void {
  if (n > 32) {
    w.write(hi, n - 32);
    w.write(lo, 32);
  } else {
    w.write(lo, n);
  }
}

/** An open chunk being appended to. Samples must come in increasing time order (the head checks). */
export class ChunkEncoder {
  private readonly w = new BitWriter();
  count = 0;
  minT = 0;
  maxT = 0;
  private delta = 0;
  private hi = 0;
  private lo = 0;
  private leading = 0xff;
  private trailing = 0;

  append(t: number, v: number): void {
    const w = this.w;
    f64[0] = v;
    const hi = i32[HI];
    const lo = i32[LO];
    if (this.count === 0) {
      w.int64(t);
      w.write(hi, 32);
      w.write(lo, 32);
      this.minT = t;
    } else {
      const delta = t - this.maxT;
      const dod = delta - this.delta;
      if (dod === 0) w.bit(0);
      else if (dod >= -8191 && dod <= 8192) {
        w.write(0b10, 2);
        w.write(dod & 0x3fff, 14);
      } else if (dod >= -65535 && dod <= 65536) {
        w.write(0b110, 3);
        w.write(dod & 0x1ffff, 17);
      } else if (dod >= -524287 && dod <= 524288) {
        w.write(0b1110, 4);
        w.write(dod & 0xfffff, 20);
      } else {
        w.write(0b1111, 4);
        w.int64(dod);
      }
      this.delta = delta;
      this.writeValue(hi, lo);
    }
    this.hi = hi;
    this.lo = lo;
    this.maxT = t;
    this.count++;
  }

  private writeValue(hi: number, lo: number): void {
    const w = this.w;
    const xh = (hi ^ this.hi) >>> 0;
    const xl = (lo ^ this.lo) >>> 0;
    if (xh === 0 && xl === 0) {
      w.bit(0);
      return;
    }
    w.bit(1);
    let leading = clz64(xh, xl);
    const trailing = ctz64(xh, xl);
    if (leading > 31) leading = 31; // 5 bits
    // The previous window is reused only while it wastes no more bits than a
    // new window's header costs (5 + 6): Prometheus reuses it whenever the
    // bits fit, and a window widened once by an outlier then costs every
    // later sample of a long chunk. Only the encoder decides; the stream
    // reads the same.
    const waste = leading - this.leading + trailing - this.trailing;
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing && waste <= WINDOW_HEADER_BITS) {
      w.bit(0);
      const n = 64 - this.leading - this.trailing;
      const [sh, sl] = shiftRight64(xh, xl, this.trailing);
      writeBits64(w, sh, sl, n);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    w.bit(1);
    w.write(leading, 5);
    const n = 64 - leading - trailing;
    w.write(n & 63, 6); // 64 is written as 0
    const [sh, sl] = shiftRight64(xh, xl, trailing);
    writeBits64(w, sh, sl, n);
  }

  /** The encoded bytes so far (a view: copy before the next append or release() if kept); only while none was forgotten. */
  bytes(): Uint8Array {
    return this.w.bytes();
  }

  /** Leading bytes of the chunk the encoder no longer holds (forgetStored). */
  get forgottenBytes(): number {
    return this.w.droppedBytes;
  }

  /** The bytes from `forgottenBytes` on: the chunk's last, partial byte and what follows it (a view, as bytes()). */
  heldBytes(): Uint8Array {
    return this.w.held();
  }

  /** Forgets the chunk's complete bytes, which the caller has stored: the head holds a few bytes per series, not its chunk. */
  forgetStored(): void {
    this.w.dropComplete();
  }

  /**
   * Gives the bytes' cell back to the shared pool; the encoder is empty
   * afterwards, as if new. An encoder dropped without it keeps its cell
   * until the process ends.
   */
  release(): void {
    this.w.release();
    this.restart();
  }

  /**
   * Empties the encoder for a series' next chunk. The cell is kept when this
   * chunk filled half of it or more: the next chunk is likely as large, and
   * growing again would copy it through every smaller size, the head's
   * series (which grow in step) holding cells of two sizes at once.
   */
  clear(): void {
    this.w.clear();
    this.restart();
  }

  private restart(): void {
    this.count = 0;
    this.minT = 0;
    this.maxT = 0;
    this.delta = 0;
    this.hi = 0;
    this.lo = 0;
    this.leading = 0xff;
    this.trailing = 0;
  }
}

function shiftRight64(hi: number, lo: number, n: number): [number, number] {
  if (n === 0) return [hi, lo];
  if (n >= 32) return [0, hi >>> (n - 32)];
  return [hi >>> n, ((lo >>> n) | (hi << (32 - n))) >>> 0];
}

/** Decodes `count` samples; `out` collects them (optionally only those in [minT, maxT]). */
export function decodeChunk(
  data: Uint8Array,
  count: number,
  out: Sample[] = [],
  minT = -Infinity,
  maxT = Infinity,
): Sample[] {
  const cols = { t: new Float64Array(count), v: new Float64Array(count) };
  const n = decodeChunkInto(data, count, cols, 0, minT, maxT);
  for (let i = 0; i < n; i++) out.push({ t: cols.t[i], v: cols.v[i] });
  return out;
}

/** Sample columns: times (ms) and values, index-aligned. */
export interface SampleColumns {
  t: Float64Array;
  v: Float64Array;
}

/**
 * Decodes `count` samples into `cols` from index `at` on (the arrays must
 * have room for `at + count`), keeping only those in [minT, maxT]; returns
 * the index after the last one written. Columns, not one object per sample:
 * queries decode millions of samples and the objects were most of their GC.
 */
export function decodeChunkInto(
  data: Uint8Array,
  count: number,
  cols: SampleColumns,
  at: number,
  minT = -Infinity,
  maxT = Infinity,
): number {
  if (count === 0) return at;
  const ts = cols.t;
  const vs = cols.v;
  let o = at;
  loadWords(data);
  const end = data.length * 8;
  if (end < 128) truncated(end < 64 ? 0 : 64);
  let t = (bitsAt(0, 32) | 0) * TWO32 + bitsAt(32, 32);
  let hi = bitsAt(64, 32);
  let lo = bitsAt(96, 32);
  let pos = 128;
  let delta = 0;
  let leading = 0;
  let trailing = 0;
  if (t >= minT && t <= maxT) {
    u32[HI] = hi;
    u32[LO] = lo;
    ts[o] = t;
    vs[o++] = f64[0];
  }
  for (let i = 1; i < count; i++) {
    // Timestamp: the prefix is the count of leading 1 bits (at most 4).
    if (pos + 1 > end) truncated(pos);
    const peek = bitsAt(pos, 32);
    if (peek >>> 31 === 0) {
      pos += 1;
    } else {
      const ones = Math.clz32(~peek);
      let dod: number;
      if (ones === 1) {
        if (pos + 16 > end) truncated(pos + 2);
        const raw = (peek >>> 16) & 0x3fff;
        dod = raw > 8192 ? raw - 16384 : raw;
        pos += 16;
      } else if (ones === 2) {
        if (pos + 20 > end) truncated(pos + 3);
        const raw = (peek >>> 12) & 0x1ffff;
        dod = raw > 65536 ? raw - 131072 : raw;
        pos += 20;
      } else if (ones === 3) {
        if (pos + 24 > end) truncated(pos + 4);
        const raw = (peek >>> 8) & 0xfffff;
        dod = raw > 524288 ? raw - 1048576 : raw;
        pos += 24;
      } else {
        if (pos + 68 > end) truncated(pos + 4);
        dod = (bitsAt(pos + 4, 32) | 0) * TWO32 + bitsAt(pos + 36, 32);
        pos += 68;
      }
      delta += dod;
    }
    t += delta;
    // Value.
    if (pos + 1 > end) truncated(pos);
    const vpeek = bitsAt(pos, 32);
    if (vpeek >>> 31 === 0) {
      pos += 1;
    } else {
      if (pos + 2 > end) truncated(pos + 1);
      if ((vpeek >>> 30) & 1) {
        if (pos + 13 > end) truncated(pos + 2);
        leading = (vpeek >>> 25) & 31;
        let n = (vpeek >>> 19) & 63;
        if (n === 0) n = 64;
        trailing = 64 - leading - n;
        pos += 13;
      } else {
        pos += 2;
      }
      const n = 64 - leading - trailing;
      if (pos + n > end) truncated(pos);
      let xh: number;
      let xl: number;
      if (n > 32) {
        xh = bitsAt(pos, n - 32);
        xl = bitsAt(pos + n - 32, 32);
      } else {
        xh = 0;
        xl = bitsAt(pos, n);
      }
      pos += n;
      // Shift the n bits back left by `trailing`.
      if (trailing === 0) {
        hi = (hi ^ xh) >>> 0;
        lo = (lo ^ xl) >>> 0;
      } else if (trailing >= 32) {
        hi = (hi ^ (xl << (trailing - 32))) >>> 0;
      } else {
        hi = (hi ^ ((xh << trailing) | (xl >>> (32 - trailing)))) >>> 0;
        lo = (lo ^ (xl << trailing)) >>> 0;
      }
    }
    if (t > maxT) break;
    if (t >= minT) {
      u32[HI] = hi;
      u32[LO] = lo;
      ts[o] = t;
      vs[o++] = f64[0];
    }
  }
  return o;
}

/** Encodes samples (in increasing time order) into one chunk. */
export function encodeChunk(samples: Sample[]): { data: Uint8Array; count: number } {
  const enc = new ChunkEncoder();
  for (const s of samples) enc.append(s.t, s.v);
  const chunk = { data: enc.bytes().slice(), count: enc.count };
  enc.release();
  return chunk;
}
