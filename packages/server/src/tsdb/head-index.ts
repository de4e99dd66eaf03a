/**
 * The writer's head series by tenant and label set. Keyed by a 30-bit hash
 * of the canonical labels rather than by the canonical string itself: the
 * strings cost ~190 bytes a series (19 MB of the main thread's heap at 100k
 * series). Label sets whose hashes collide share a bucket and are told apart
 * by comparing their labels.
 */
import type { SeriesLabels } from './model.ts';

export class HeadIndex<T extends { labels: SeriesLabels }> {
  private readonly byTenant = new Map<string, Map<number, T | T[]>>();

  constructor(private readonly hash: (canonical: string) => number = hashCanonical) {}

  get(tenant: string, canonical: string, labels: SeriesLabels): T | undefined {
    const bucket = this.byTenant.get(tenant)?.get(this.hash(canonical));
    if (bucket === undefined) return undefined;
    if (!Array.isArray(bucket)) return sameLabels(bucket.labels, labels) ? bucket : undefined;
    return bucket.find((series) => sameLabels(series.labels, labels));
  }

  /** Adds a series whose label set is not in the index yet. */
  add(tenant: string, canonical: string, series: T): void {
    let buckets = this.byTenant.get(tenant);
    if (buckets === undefined) this.byTenant.set(tenant, (buckets = new Map()));
    const key = this.hash(canonical);
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, series);
    else if (Array.isArray(bucket)) bucket.push(series);
    else buckets.set(key, [bucket, series]);
  }

  delete(tenant: string, canonical: string, series: T): void {
    const buckets = this.byTenant.get(tenant);
    const key = this.hash(canonical);
    const bucket = buckets?.get(key);
    if (bucket === undefined) return;
    if (!Array.isArray(bucket)) {
      if (bucket === series) buckets!.delete(key);
      return;
    }
    const rest = bucket.filter((s) => s !== series);
    buckets!.set(key, rest.length === 1 ? rest[0] : rest);
  }

  clear(): void {
    this.byTenant.clear();
  }

  *values(): IterableIterator<T> {
    for (const buckets of this.byTenant.values()) {
      for (const bucket of buckets.values()) {
        if (Array.isArray(bucket)) yield* bucket;
        else yield bucket;
      }
    }
  }
}

/** FNV-1a over the UTF-16 units, folded to 30 bits: V8 keeps such keys as small integers, not boxed numbers. */
export function hashCanonical(canonical: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < canonical.length; i++) h = Math.imul(h ^ canonical.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 30)) & 0x3fffffff;
}

/** The same own keys with the same values: what equal canonical labels mean. */
function sameLabels(a: SeriesLabels, b: SeriesLabels): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k] || !Object.hasOwn(b, k)) return false;
  return true;
}
