import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { exposeGc } from './collect-garbage.ts';
import { returnFreeMemory } from './return-free-memory.ts';

const MB = 1024 * 1024;

test('gives the pages of freed Buffers back, where malloc alone keeps them', async () => {
  const gc = exposeGc();
  // 128 MB of 2 KB Buffers; every 32nd stays alive, so no free run reaches the arena's top.
  let buffers: Buffer[] = Array.from({ length: 64 * 1024 }, () => Buffer.alloc(2048, 1));
  const survivors = buffers.filter((_, i) => i % 32 === 31);
  buffers = [];
  gc();
  await sleep(200); // V8 frees ArrayBuffer memory on a background sweeper after the collection
  const before = process.memoryUsage.rss();
  returnFreeMemory();
  const after = process.memoryUsage.rss();
  assert.ok(before - after > 64 * MB, `RSS ${Math.round(before / MB)} MB -> ${Math.round(after / MB)} MB`);
  assert.equal(survivors.length, 2048);
});
