/**
 * Gives the pages that malloc holds free back to the operating system, as
 * Go's scavenger does for Prometheus. glibc keeps memory freed by a thread
 * in that thread's arena and returns only the arena's top: after a query
 * over 100k series, ~100 MB of freed SQLite rows and Buffers stayed in the
 * process' RSS. `malloc_trim(0)` also releases the free pages in the middle
 * of every arena. Node has no binding for it, so it is called through koffi
 * (a foreign-function library shipped prebuilt); where libc has no
 * malloc_trim (musl, macOS), or koffi has no binary for the platform, this
 * is a no-op.
 */
import { createRequire } from 'node:module';

let mallocTrim: ((pad: number) => number) | null | undefined;

/** Returns free malloc pages to the system; the call takes a few ms with hundreds of MB free. */
export function returnFreeMemory(): void {
  if (mallocTrim === undefined) mallocTrim = loadMallocTrim();
  mallocTrim?.(0);
}

function loadMallocTrim(): ((pad: number) => number) | null {
  try {
    // Loaded here, not imported: a platform koffi has no binary for must still start Vigil.
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    return koffi.load(null).func('int malloc_trim(size_t pad)') as (pad: number) => number;
  } catch {
    return null;
  }
}
