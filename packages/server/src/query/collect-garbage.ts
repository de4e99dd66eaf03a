/**
 * A full garbage collection once the heap has grown by a threshold since the
 * last one, for query workers. A large query leaves its garbage (chunk rows,
 * decoded columns, the JSON reply: ~150 MB for one selector over 100k
 * series) resident in an idle worker: V8 runs no major GC until the heap
 * grows again, which may be never. The worker calls this when idle, so the
 * pause (tens of ms) delays no query.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

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
