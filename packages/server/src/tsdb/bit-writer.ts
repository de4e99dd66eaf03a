import { allocCell, cellOffset, cellSizeFor, cellSlab, freeCell, MAX_CELL_BYTES } from './cell-slab.ts';

const TWO32 = 4294967296;
/** A writer's own buffer (past the largest cell size), or none yet. */
const NO_CELL = -1;
const EMPTY = new Uint8Array(0);

/**
 * The bit stream under a chunk encoder (chunk.ts), most significant bit
 * first. It writes into a cell of the shared slabs (cell-slab.ts), moving to
 * a cell of the next size as it fills; past the largest size, into a buffer
 * of its own.
 *
 * The head's writers forget the bytes their owner has stored
 * (dropComplete): they then hold only the stream's last, partial byte and
 * what is written after it, a few bytes instead of the whole open chunk.
 */
export class BitWriter {
  /** The slab holding the cell, or the writer's own buffer. */
  private buf: Uint8Array = EMPTY;
  private off = 0;
  private cap = 0;
  private cell = NO_CELL;
  /** Bits written to the stream, forgotten bytes included. */
  private bits = 0;
  /** Leading bytes of the stream no longer held: buf[off] is the stream's byte `dropped`. */
  private dropped = 0;

  /** Writes the low n bits of value (n ≤ 32), most significant first. */
  write(value: number, n: number): void {
    if (n === 0) return;
    const need = ((this.bits + n + 7) >>> 3) + 1 - this.dropped;
    if (need > this.cap) this.grow(need);
    const buf = this.buf;
    const off = this.off - this.dropped;
    let bits = this.bits;
    while (n > 0) {
      const free = 8 - (bits & 7);
      const take = free < n ? free : n;
      const chunk = (value >>> (n - take)) & ((1 << take) - 1);
      buf[off + (bits >>> 3)] |= chunk << (free - take);
      n -= take;
      bits += take;
    }
    this.bits = bits;
  }

  bit(b: number): void {
    this.write(b, 1);
  }

  /** A signed integer (|x| < 2^53) as 64-bit two's complement. */
  int64(x: number): void {
    const hi = Math.floor(x / TWO32);
    this.write(hi >>> 0, 32);
    this.write(x - hi * TWO32, 32);
  }

  /** The whole stream; only while no byte was dropped. */
  bytes(): Uint8Array {
    if (this.dropped > 0) throw new Error(`the stream's first ${this.dropped} bytes were dropped`);
    return this.held();
  }

  /** The bytes from the first one not dropped (`droppedBytes`) to the end, the partial last byte included. */
  held(): Uint8Array {
    return this.buf.subarray(this.off, this.off + ((this.bits + 7) >>> 3) - this.dropped);
  }

  get droppedBytes(): number {
    return this.dropped;
  }

  /** Forgets the complete bytes (their owner has stored them); writing goes on from the partial last byte. */
  dropComplete(): void {
    const complete = this.bits >>> 3;
    if (complete === this.dropped) return;
    const partial = (this.bits & 7) === 0 ? 0 : this.buf[this.off + complete - this.dropped];
    const bits = this.bits;
    this.release();
    this.bits = bits;
    this.dropped = complete;
    if ((bits & 7) !== 0) {
      this.grow(2);
      this.buf[this.off] = partial;
    }
  }

  /** Gives the cell back; the writer is empty afterwards. */
  release(): void {
    if (this.cell !== NO_CELL) freeCell(this.cell, this.cap);
    this.buf = EMPTY;
    this.off = 0;
    this.cap = 0;
    this.cell = NO_CELL;
    this.bits = 0;
    this.dropped = 0;
  }

  /** Empties the writer, keeping the cell (zeroed) when the bytes filled half of it or more. */
  clear(): void {
    const used = ((this.bits + 7) >>> 3) - this.dropped;
    if (this.cell === NO_CELL || used * 2 < this.cap) {
      this.release();
      return;
    }
    this.buf.fill(0, this.off, this.off + used);
    this.bits = 0;
    this.dropped = 0;
  }

  /** Moves the bytes to the next cell size that holds `need` bytes; past the largest, to a buffer twice as large. */
  private grow(need: number): void {
    const pooled = need <= MAX_CELL_BYTES;
    const cap = pooled ? cellSizeFor(need) : Math.max(need, this.cap * 2);
    const cell = pooled ? allocCell(cap) : NO_CELL;
    const buf = pooled ? cellSlab(cell) : new Uint8Array(cap);
    const off = pooled ? cellOffset(cell) : 0;
    buf.set(this.held(), off);
    const { bits, dropped } = this;
    this.release();
    this.buf = buf;
    this.off = off;
    this.cap = cap;
    this.cell = cell;
    this.bits = bits;
    this.dropped = dropped;
  }
}
