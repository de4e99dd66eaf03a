/**
 * One copy of each label value. 100k series share a few `job`, `instance`
 * or `le` values, and each copy costs ~40 bytes of heap (20 MB on the main
 * thread at 100k series). Bounded: past `maxValues` distinct values it starts
 * over, as high-cardinality values gain nothing from it.
 */
import type { SeriesLabels } from './model.ts';

export class LabelValueInterner {
  private readonly values = new Map<string, string>();

  constructor(private readonly maxValues = 200_000) {}

  /** Replaces each value of `labels`, in place, by the first copy seen; returns `labels`. */
  intern(labels: SeriesLabels): SeriesLabels {
    if (this.values.size >= this.maxValues) this.values.clear();
    for (const name in labels) {
      const value = labels[name];
      const known = this.values.get(value);
      if (known === undefined) this.values.set(value, value);
      else labels[name] = known;
    }
    return labels;
  }

  clear(): void {
    this.values.clear();
  }
}
