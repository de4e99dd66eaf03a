/** An in-memory SeriesQuerier for tests, the conformance runner and benchmarks. */
import type { LabelMatcher } from '../logql/index.ts';
import { compileMatchers } from '../logql/index.ts';
import { seriesColumns, type Sample, type Series, type SeriesLabels, type SeriesQuerier } from '../tsdb/model.ts';
import { detectReset, type FloatHistogram } from './histogram.ts';
import { labelsKey } from './labels.ts';
import type { HistogramSeriesColumns } from './values.ts';

/** A sample that may be a native histogram (then `v` is ignored). */
export type MemorySample = Sample & { h?: FloatHistogram };

export class MemoryQuerier implements SeriesQuerier {
  private readonly series = new Map<string, Series & { samples: MemorySample[] }>();
  /** Each series' samples as columns, built on first select after a change. */
  private readonly columns = new Map<string, HistogramSeriesColumns>();

  /** Adds samples; appends keep each series sorted by time (a later sample at the same time replaces). */
  add(labels: SeriesLabels, samples: MemorySample[]): void {
    const key = labelsKey(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels: { ...labels }, samples: [] }));
    const byT = new Map<number, MemorySample>(s.samples.map((x) => [x.t, x]));
    for (const x of samples) byT.set(x.t, x.h ? { t: x.t, v: 0, h: x.h } : { t: x.t, v: x.v });
    s.samples = [...byT.values()].sort((a, b) => a.t - b.t);
    this.columns.delete(key);
  }

  clear(): void {
    this.series.clear();
    this.columns.clear();
  }

  selectColumns(matchers: LabelMatcher[], startMs: number, endMs: number): HistogramSeriesColumns[] {
    const test = compileMatchers(matchers);
    const out: HistogramSeriesColumns[] = [];
    for (const [key, s] of this.series) {
      if (!test(s.labels)) continue;
      let cols = this.columns.get(key);
      if (cols === undefined) this.columns.set(key, (cols = columnsOf(s)));
      const t = cols.t;
      const lo = firstIndex(t.length, (i) => t[i] >= startMs);
      const hi = firstIndex(t.length, (i) => t[i] > endMs);
      if (hi <= lo) continue;
      const part: HistogramSeriesColumns = { labels: s.labels, t: cols.t.subarray(lo, hi), v: cols.v.subarray(lo, hi) };
      if (cols.h) part.h = cols.h.slice(lo, hi);
      out.push(part);
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

function columnsOf(s: { labels: SeriesLabels; samples: MemorySample[] }): HistogramSeriesColumns {
  const cols: HistogramSeriesColumns = seriesColumns(s);
  if (s.samples.some((x) => x.h)) cols.h = storedHints(s.samples.map((x) => x.h));
  return cols;
}

/**
 * Counter-reset hints as Prometheus' TSDB gives them back: a histogram
 * right after another one, without a hint of its own, reads as a reset or
 * as no reset, whichever its counts say (the TSDB cuts a chunk at a reset).
 */
function storedHints(h: (FloatHistogram | undefined)[]): (FloatHistogram | undefined)[] {
  return h.map((cur, i) => {
    const prev = h[i - 1];
    if (!cur || !prev || cur.hint !== 'unknown') return cur;
    return { ...cur, hint: detectReset(cur, prev) ? 'reset' : 'not_reset' };
  });
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

