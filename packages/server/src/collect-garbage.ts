/**
 * Full garbage collections at quiet moments. Query workers collect once the
 * heap has grown by a threshold since the last one: a large query leaves its
 * garbage (chunk rows, decoded columns, the JSON reply: ~150 MB for one
 * selector over 100k series) resident in an idle worker, as V8 runs no major
 * GC until the heap grows again, which may be never. The worker calls this
 * when idle, so the pause (tens of ms) delays no query. The main thread has
 * its own rule (collectGarbageWhenIdle).
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Clock } from './clock.ts';
import { returnFreeMemory } from './return-free-memory.ts';

/**
 * Returns a function to call between queries; it collects when the heap and
 * the thread's ArrayBuffers (SQLite blobs, sample columns) grew by `growthBytes`.
 */
export function collectorAfterGrowth(growthBytes: number): () => void {
  const gc = exposeGc();
  let afterCollection = usedMemory();
  return () => {
    if (usedMemory() - afterCollection < growthBytes) return;
    gc();
    afterCollection = usedMemory();
  };
}

function usedMemory(): number {
  return getHeapStatistics().used_heap_size + process.memoryUsage().arrayBuffers;
}

/**
 * `gc` without --expose-gc on the command line (which every user starting
 * Vigil would have to pass): the flag is set just long enough for a fresh
 * context to get `gc`, then unset, so no other code sees it.
 */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  return gc;
}

/**
 * For the main thread, checked every `everyMs`: once the event loop has been
 * nearly idle for `idleTicks` checks in a row after being busy, one full
 * collection. By then V8 sees a low allocation rate and also shrinks the
 * young generation, which a burst of ingest grows to 32 MB that otherwise
 * stay resident. Every idle check returns the process' free malloc memory to
 * the system: a worker's freed Buffers reach malloc only when V8's sweeper
 * gets to them, after its collection, and remote-write decoding and SQLite
 * free memory without one. Both land between bursts, never in one.
 */
export function collectGarbageWhenIdle(
  clock: Clock,
  { everyMs = 1_000, idleTicks = 5, isIdle = eventLoopWasIdle() }: { everyMs?: number; idleTicks?: number; isIdle?: () => boolean } = {},
): { stop(): void } {
  const gc = exposeGc();
  let idleInARow = 0; // starting counts as busy: start-up leaves garbage too
  return clock.setInterval(() => {
    if (!isIdle()) {
      idleInARow = 0;
      return;
    }
    if (++idleInARow === idleTicks) gc();
    returnFreeMemory(); // well under 1 ms when there is little to return
  }, everyMs);
}

/** True when the event loop was busy less than 5% of the time since the last call. */
function eventLoopWasIdle(): () => boolean {
  let previous = performance.eventLoopUtilization();
  return () => {
    const current = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(current, previous).utilization;
    previous = current;
    return busy < 0.05;
  };
}
