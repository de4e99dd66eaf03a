import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { exposeGc } from '../collect-garbage.ts';
import { LabelValueInterner } from './intern.ts';

const gc = exposeGc();

/** Heap kept by 20,000 label sets whose `path` values are equal 1 KB strings, each built separately. */
function heapKept(intern: (labels: Record<string, string>) => Record<string, string>): number {
  gc();
  const before = getHeapStatistics().used_heap_size;
  const kept = Array.from({ length: 20_000 }, (_, i) => intern({ path: Buffer.alloc(1024, '/').toString('latin1'), id: String(i) }));
  gc();
  const bytes = getHeapStatistics().used_heap_size - before;
  assert.equal(kept.length, 20_000);
  return bytes;
}

test('equal values share one copy: 20,000 copies of a 1 KB value cost what one does', () => {
  const interner = new LabelValueInterner();
  const interned = heapKept((labels) => interner.intern(labels));
  const copies = heapKept((labels) => labels);
  assert.ok(copies > 18 * 1024 * 1024, `each copy costs its kilobyte: ${copies}`);
  assert.ok(interned < 6 * 1024 * 1024, `kept ${interned} bytes`);
});

test('values are unchanged, and the label set is interned in place', () => {
  const interner = new LabelValueInterner();
  interner.intern({ job: 'api' });
  const labels = { job: 'api', instance: 'host:9100' };
  assert.equal(interner.intern(labels), labels);
  assert.deepEqual(labels, { job: 'api', instance: 'host:9100' });
});

test('past its bound it starts over and still returns every value', () => {
  const interner = new LabelValueInterner(2);
  interner.intern({ a: 'x', b: 'y' });
  assert.deepEqual(interner.intern({ a: 'z', b: 'x' }), { a: 'z', b: 'x' });
});
