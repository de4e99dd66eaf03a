/**
 * Log lines live in one SQLite file per (retention class, UTC day), so that
 * retention deletes whole files and a ClickHouse store can map the same
 * scheme onto its partitions.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { categories, type Category } from '../record.ts';

export const dayNs = 86_400_000_000_000n;
const dayMs = 86_400_000;

export interface Partition {
  category: Category;
  /** Days since the Unix epoch, UTC. */
  day: number;
  path: string;
}

export function dayOfNs(tsNs: bigint): number {
  return Number(tsNs / dayNs);
}

export function partitionPath(dataDir: string, category: Category, day: number): string {
  return join(dataDir, 'logs', category, `${new Date(day * dayMs).toISOString().slice(0, 10)}.db`);
}

const fileName = /^(\d{4}-\d{2}-\d{2})\.db$/;

/** Every partition on disk, oldest day first. */
export function listPartitions(dataDir: string): Partition[] {
  const found: Partition[] = [];
  for (const category of categories) {
    const dir = join(dataDir, 'logs', category);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const match = fileName.exec(name);
      if (!match) continue;
      found.push({ category, day: Date.parse(match[1]) / dayMs, path: join(dir, name) });
    }
  }
  return found.sort((a, b) => a.day - b.day);
}

/** Partitions that may hold lines with startNs <= ts < endNs. */
export function partitionsInRange(dataDir: string, startNs: bigint, endNs: bigint): Partition[] {
  const first = dayOfNs(startNs);
  const last = dayOfNs(endNs - 1n);
  return listPartitions(dataDir).filter((p) => p.day >= first && p.day <= last);
}
