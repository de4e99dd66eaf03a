/**
 * Byte cells cut from shared slabs, for the head's open chunks. A typed array
 * over 64 bytes is its own off-heap allocation with its own ArrayBuffer and
 * backing-store bookkeeping, several hundred bytes of RSS beside the bytes
 * themselves; 100k open chunks each holding one cost more than all the rest
 * of a head series.
 *
 * Cells come in size classes a half step apart (16, 24, 32, 48, 64…: a cell
 * wastes a fifth of itself on average, against a third for powers of two;
 * 120-sample chunks are mostly 250–320 bytes), each class carving its own slabs.
 * A freed cell goes on its class' free list for the next chunk. A slab whose
 * cells are all free is dropped: open chunks grow in step (every series gets
 * a sample each scrape), so when they move up a class the slabs of the one
 * below empty out, and keeping them would hold every class at its peak.
 *
 * A cell is named by a number, its address: slab id * SLAB_BYTES + offset.
 * Slab ids are never reused, so an address left on a free list by a dropped
 * slab is recognised and skipped.
 */

const CELL_SIZES = [16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096];
export const MIN_CELL_BYTES = CELL_SIZES[0];
/** Larger buffers (long compacted chunks) are not worth pooling. */
export const MAX_CELL_BYTES = CELL_SIZES[CELL_SIZES.length - 1];
/** Large enough to be mapped lazily (untouched cells take no RSS) and freed whole. */
const SLAB_BYTES = 256 * 1024;

interface Slab {
  bytes: Uint8Array;
  /** Cells handed out and not freed. */
  live: number;
  /** Cells cut so far (from offset 0 on). */
  carved: number;
}

interface SizeClass {
  size: number;
  free: number[];
  /** Addresses on `free` whose slab was dropped. */
  stale: number;
  /** The slab new cells are cut from when `free` is empty. */
  carving: number;
}

const slabs = new Map<number, Slab>();
let nextSlabId = 0;
const classes: SizeClass[] = CELL_SIZES.map((size) => ({
  size,
  free: [],
  stale: 0,
  carving: -1,
}));
let cellsInUse = 0;
let bytesInUse = 0;

/** The size of the smallest class that holds `bytes` (≤ MAX_CELL_BYTES). */
export function cellSizeFor(bytes: number): number {
  return classFor(bytes).size;
}

function classFor(bytes: number): SizeClass {
  const c = classes.find((k) => k.size >= bytes);
  if (c === undefined) throw new RangeError(`no cell holds ${bytes} bytes (at most ${MAX_CELL_BYTES})`);
  return c;
}

function slabIdOf(address: number): number {
  return Math.floor(address / SLAB_BYTES);
}

/** A zeroed cell of `size` bytes (a class size, from cellSizeFor). */
export function allocCell(size: number): number {
  const c = classFor(size);
  cellsInUse++;
  bytesInUse += c.size;
  for (let address = c.free.pop(); address !== undefined; address = c.free.pop()) {
    const slab = slabs.get(slabIdOf(address));
    if (slab === undefined) {
      c.stale--;
      continue;
    }
    slab.live++;
    const offset = cellOffset(address);
    slab.bytes.fill(0, offset, offset + size);
    return address;
  }
  let slab = slabs.get(c.carving);
  if (slab === undefined || (slab.carved + 1) * size > SLAB_BYTES) {
    c.carving = nextSlabId++;
    slab = { bytes: new Uint8Array(SLAB_BYTES), live: 0, carved: 0 };
    slabs.set(c.carving, slab);
  }
  slab.live++;
  return c.carving * SLAB_BYTES + slab.carved++ * size;
}

/** Returns a cell from allocCell(size); it must not be used afterwards. */
export function freeCell(address: number, size: number): void {
  const c = classFor(size);
  const id = slabIdOf(address);
  const slab = slabs.get(id)!;
  cellsInUse--;
  bytesInUse -= c.size;
  c.free.push(address);
  if (--slab.live > 0 || id === c.carving) return;
  slabs.delete(id);
  c.stale += slab.carved;
  if (c.stale > c.free.length / 2) dropStale(c);
}

function dropStale(c: SizeClass): void {
  c.free = c.free.filter((address) => slabs.has(slabIdOf(address)));
  c.stale = 0;
}

/** The slab holding the cell: its bytes are at cellOffset(address) .. + size. */
export function cellSlab(address: number): Uint8Array {
  return slabs.get(slabIdOf(address))!.bytes;
}

export function cellOffset(address: number): number {
  return address % SLAB_BYTES;
}

/** For tests and memory figures. */
export function cellStats(): { cellsInUse: number; bytesInUse: number; slabs: number; slabBytes: number } {
  return { cellsInUse, bytesInUse, slabs: slabs.size, slabBytes: slabs.size * SLAB_BYTES };
}
