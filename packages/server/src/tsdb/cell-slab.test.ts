import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocCell, cellOffset, cellSizeFor, cellSlab, cellStats, freeCell, MAX_CELL_BYTES, MIN_CELL_BYTES } from './cell-slab.ts';

const SLAB_BYTES = 256 * 1024;

function cellBytes(address: number, size: number): Uint8Array {
  return cellSlab(address).subarray(cellOffset(address), cellOffset(address) + size);
}

test('sizes round up to the next class', () => {
  assert.equal(cellSizeFor(1), MIN_CELL_BYTES);
  assert.equal(cellSizeFor(64), 64);
  assert.equal(cellSizeFor(65), 96);
  assert.equal(cellSizeFor(97), 128);
  assert.equal(cellSizeFor(1025), 1536);
  assert.equal(cellSizeFor(MAX_CELL_BYTES), MAX_CELL_BYTES);
  assert.throws(() => cellSizeFor(MAX_CELL_BYTES + 1), RangeError);
});

test('live cells never overlap, across classes and slabs', () => {
  const cells: { address: number; size: number; fill: number }[] = [];
  for (let i = 0; i < 3000; i++) {
    const size = cellSizeFor(1 + ((i * 37) % MAX_CELL_BYTES));
    const address = allocCell(size);
    const fill = (i % 251) + 1;
    cellBytes(address, size).fill(fill);
    cells.push({ address, size, fill });
  }
  for (const { address, size, fill } of cells) {
    assert.ok(cellBytes(address, size).every((b) => b === fill), `cell ${address} was written over`);
  }
  for (const { address, size } of cells) freeCell(address, size);
});

test('a reused cell comes back zeroed', () => {
  const first = allocCell(128);
  cellBytes(first, 128).fill(0xff);
  freeCell(first, 128);
  const again = allocCell(128);
  assert.equal(again, first, 'the freed cell is the next one handed out');
  assert.ok(cellBytes(again, 128).every((b) => b === 0));
  freeCell(again, 128);
});

test('a slab whose cells are all freed is dropped, and its addresses are not handed out again', () => {
  const size = 1024;
  const perSlab = SLAB_BYTES / size;
  const before = cellStats();
  const cells = Array.from({ length: perSlab * 4 }, () => allocCell(size));
  assert.equal(cellStats().cellsInUse, before.cellsInUse + cells.length);
  const bySlab = new Map<number, number[]>();
  for (const address of cells) {
    const id = Math.floor(address / SLAB_BYTES);
    bySlab.set(id, [...(bySlab.get(id) ?? []), address]);
  }
  const [a, b, c] = [...bySlab.values()].filter((slab) => slab.length === perSlab);
  const slabsInUse = cellStats().slabs;
  // Most of b and c freed first, then all of a: a's addresses lie on top of the free list.
  for (const address of [...b.slice(1), ...c.slice(1), ...a]) freeCell(address, size);
  assert.equal(cellStats().slabs, slabsInUse - 1, 'the emptied slab is dropped');
  const dropped = new Set(a);
  const next = Array.from({ length: perSlab * 2 }, () => allocCell(size));
  for (const address of next) assert.ok(!dropped.has(address), `address ${address} of a dropped slab handed out`);
  const live = [...cells.filter((address) => !a.includes(address) && !b.slice(1).includes(address) && !c.slice(1).includes(address)), ...next];
  for (const address of live) cellBytes(address, size).fill(7);
  for (const address of live) freeCell(address, size);
  assert.equal(cellStats().cellsInUse, before.cellsInUse);
  assert.ok(cellStats().slabs <= before.slabs + 1, 'only the slab being carved is kept');
});
