/** An in-memory SeriesQuerier for tests, the conformance runner and benchmarks. */
import type { LabelMatcher } from '../logql/index.ts';
import { compileMatchers } from '../logql/index.ts';
import type { Sample, Series, SeriesLabels, SeriesQuerier } from '../tsdb/model.ts';
import { labelsKey } from './labels.ts';

export class MemoryQuerier implements SeriesQuerier {
  private readonly series = new Map<string, Series>();

  /** Adds samples; appends keep each series sorted by time (a later sample at the same time replaces). */
  add(labels: SeriesLabels, samples: Sample[]): void {
    const key = labelsKey(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels: { ...labels }, samples: [] }));
    const byT = new Map(s.samples.map((x) => [x.t, x]));
    for (const x of samples) byT.set(x.t, { t: x.t, v: x.v });
    s.samples = [...byT.values()].sort((a, b) => a.t - b.t);
  }

  clear(): void {
    this.series.clear();
  }

  select(matchers: LabelMatcher[], startMs: number, endMs: number): Series[] {
    const test = compileMatchers(matchers);
    const out: Series[] = [];
    for (const s of this.series.values()) {
      if (!test(s.labels)) continue;
      const lo = lowerBound(s.samples, startMs);
      let hi = lo;
      while (hi < s.samples.length && s.samples[hi].t <= endMs) hi++;
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

function lowerBound(samples: Sample[], t: number): number {
  let lo = 0, hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
