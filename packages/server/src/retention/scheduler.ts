/**
 * Runs the retention pass at start and then every interval. Time comes from
 * an injected clock so tests need not wait.
 */
import type { Category } from '../store/record.ts';
import type { Partition } from '../store/sqlite/partitions.ts';
import type { Clock } from '../clock.ts';

export interface RetentionStore {
  dropExpired(nowMs: number, retentionMs: Record<Category, number>): Partition[];
}

export function startRetention(
  store: RetentionStore,
  retentionMs: Record<Category, number>,
  intervalMs: number,
  clock: Clock,
  onDropped: (partitions: Partition[]) => void,
): { stop(): void } {
  const pass = () => {
    const dropped = store.dropExpired(clock.now(), retentionMs);
    if (dropped.length > 0) onDropped(dropped);
  };
  pass();
  return clock.setInterval(pass, intervalMs);
}
