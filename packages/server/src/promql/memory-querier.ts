/** An in-memory SeriesQuerier for tests, the conformance runner and benchmarks. */
import type { LabelMatcher } from '../logql/index.ts';
import { compileMatchers } from '../logql/index.ts';
import { seriesColumns, type Sample, type Series, type SeriesColumns, type SeriesLabels, type SeriesQuerier } from '../tsdb/model.ts';
import { labelsKey } from './labels.ts';

export class MemoryQuerier implements SeriesQuerier {
  private readonly series = new Map<string, Series>();
  /** Each series' samples as columns, built on first select after a change. */
  private readonly columns = new Map<string, SeriesColumns>();

  /** Adds samples; appends keep each series sorted by time (a later sample at the same time replaces). */
  add(labels: SeriesLabels, samples: Sample[]): void {
    const key = labelsKey(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels: { ...labels }, samples: [] }));
    const byT = new Map(s.samples.map((x) => [x.t, x]));
    for (const x of samples) byT.set(x.t, { t: x.t, v: x.v });
    s.samples = [...byT.values()].sort((a, b) => a.t - b.t);
    this.columns.delete(key);
  }

  clear(): void {
    this.series.clear();
    this.columns.clear();
  }

  selectColumns(matchers: LabelMatcher[], startMs: number, endMs: number): SeriesColumns[] {
    const test = compileMatchers(matchers);
    const out: SeriesColumns[] = [];
    for (const [key, s] of this.series) {
      if (!test(s.labels)) continue;
      let cols = this.columns.get(key);
      if (cols === undefined) this.columns.set(key, (cols = seriesColumns(s)));
      const t = cols.t;
      const lo = firstIndex(t.length, (i) => t[i] >= startMs);
      const hi = firstIndex(t.length, (i) => t[i] > endMs);
      if (hi > lo) out.push({ labels: s.labels, t: cols.t.subarray(lo, hi), v: cols.v.subarray(lo, hi) });
    }
    return out;
  }

  select(matchers: LabelMatcher[], startMs: number, endMs: number): Series[] {
    const test = compileMatchers(matchers);
    const out: Series[] = [];
    for (const s of this.series.values()) {
      if (!test(s.labels)) continue;
      const lo = firstIndex(s.samples.length, (i) => s.samples[i].t >= startMs);
      const hi = firstIndex(s.samples.length, (i) => s.samples[i].t > endMs);
      if (hi > lo) out.push({ labels: s.labels, samples: s.samples.slice(lo, hi) });
    }
    return out;
  }

  labelNames(matchers: LabelMatcher[], startMs: number, endMs: number): string[] {
    const names = new Set<string>();
    for (const s of this.select(matchers, startMs, endMs)) for (const n of Object.keys(s.labels)) names.add(n);
    return [...names].sort();
  }

  labelValues(name: string, matchers: LabelMatcher[], startMs: number, endMs: number): string[] {
    const values = new Set<string>();
    for (const s of this.select(matchers, startMs, endMs)) if (Object.hasOwn(s.labels, name)) values.add(s.labels[name]);
    return [...values].sort();
  }
}

/** The first index in [0, n) where `after` holds (it holds from some index on), or n. */
function firstIndex(n: number, after: (i: number) => boolean): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

