/**
 * A full garbage collection once the heap has grown by a threshold since the
 * last one, for query workers and the idle main thread. A large query leaves its garbage (chunk rows,
 * decoded columns, the JSON reply: ~150 MB for one selector over 100k
 * series) resident in an idle worker: V8 runs no major GC until the heap
 * grows again, which may be never. The worker calls this when idle, so the
 * pause (tens of ms) delays no query.
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Clock } from './clock.ts';
import { returnFreeMemory } from './return-free-memory.ts';

/** Returns a function to call between queries; it collects when the heap grew by `growthBytes`. */
export function collectorAfterGrowth(growthBytes: number): () => void {
  const gc = exposeGc();
  let heapAfterCollection = usedHeap();
  return () => {
    if (usedHeap() - heapAfterCollection < growthBytes) return;
    gc();
    heapAfterCollection = usedHeap();
  };
}

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

/**
 * `gc` without --expose-gc on the command line (which every user starting
 * Vigil would have to pass): the flag is set just long enough for a fresh
 * context to get `gc`, then unset, so no other code sees it.
 */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  return gc;
}

/**
 * For the main thread: every `everyMs`, if the event loop was nearly idle
 * over the interval, collects (as above, past 64 MB of growth) and returns
 * the process' free malloc memory to the system, so both land between bursts
 * of ingest rather than in one. The return covers every thread: a worker's
 * freed Buffers reach malloc only when V8's sweeper gets to them, after its
 * collection, and remote-write decoding and SQLite free without one.
 */
export function collectGarbageWhenIdle(clock: Clock, everyMs = 1_000): { stop(): void } {
  const collect = collectorAfterGrowth(64 * 1024 * 1024);
  let previous = performance.eventLoopUtilization();
  return clock.setInterval(() => {
    const current = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(current, previous).utilization;
    previous = current;
    if (busy >= 0.05) return;
    collect();
    returnFreeMemory(); // well under 1 ms when there is little to return
  }, everyMs);
}
