/**
 * The metrics data model every stage agrees on: scrape, remote write and
 * OTLP produce series of samples; the TSDB stores them; PromQL reads them.
 */
import type { LabelMatcher } from '../logql/source.ts';

/** Label set including `__name__`. */
export type SeriesLabels = Record<string, string>;

export interface Sample {
  /** Unix milliseconds. */
  t: number;
  v: number;
}

export interface Series {
  labels: SeriesLabels;
  /** Sorted by time, oldest first. */
  samples: Sample[];
}

/**
 * The bit pattern Prometheus uses for a staleness marker (a NaN that is not
 * the NaN arithmetic produces): written when a series or target disappears.
 */
export const STALE_NAN_BITS = 0x7ff0000000000002n;

const scratch = new DataView(new ArrayBuffer(8));

export function staleNaN(): number {
  scratch.setBigUint64(0, STALE_NAN_BITS);
  return scratch.getFloat64(0);
}

export function isStaleNaN(value: number): boolean {
  if (!Number.isNaN(value)) return false;
  scratch.setFloat64(0, value);
  return scratch.getBigUint64(0) === STALE_NAN_BITS;
}

/**
 * Many series' samples in columns, as remote write decodes them (no object
 * per sample): series i owns samples start[i] .. start[i + 1] - 1 of t and v.
 */
export interface SampleBatch {
  labels: SeriesLabels[];
  /** labels.length + 1 offsets into t and v. */
  start: Uint32Array;
  t: Float64Array;
  v: Float64Array;
}

export function toSampleBatch(series: Series[]): SampleBatch {
  let n = 0;
  for (const s of series) n += s.samples.length;
  const batch: SampleBatch = { labels: series.map((s) => s.labels), start: new Uint32Array(series.length + 1), t: new Float64Array(n), v: new Float64Array(n) };
  let k = 0;
  series.forEach((s, i) => {
    batch.start[i] = k;
    for (const { t, v } of s.samples) {
      batch.t[k] = t;
      batch.v[k++] = v;
    }
  });
  batch.start[series.length] = k;
  return batch;
}

export function fromSampleBatch(batch: SampleBatch): Series[] {
  return batch.labels.map((labels, i) => {
    const samples: Sample[] = [];
    for (let k = batch.start[i]; k < batch.start[i + 1]; k++) samples.push({ t: batch.t[k], v: batch.v[k] });
    return { labels, samples };
  });
}

/** What ingest needs: durable when it returns (accepted samples survive kill -9). */
export interface SampleAppender {
  append(tenant: string, series: Series[]): void;
  appendBatch(tenant: string, batch: SampleBatch): void;
}

/** A series' samples as two index-aligned columns (no object per sample). */
export interface SeriesColumns {
  labels: SeriesLabels;
  /** Unix ms, ascending. */
  t: Float64Array;
  v: Float64Array;
}

/** A series' samples as columns (for queriers without selectColumns, and tests). */
export function seriesColumns({ labels, samples }: Series): SeriesColumns {
  const cols = { labels, t: new Float64Array(samples.length), v: new Float64Array(samples.length) };
  samples.forEach((s, i) => {
    cols.t[i] = s.t;
    cols.v[i] = s.v;
  });
  return cols;
}

/** What PromQL needs: synchronous, it runs in a query worker. */
export interface SeriesQuerier {
  /** Series matching all matchers with their samples in [startMs, endMs], oldest first. */
  select(matchers: LabelMatcher[], startMs: number, endMs: number): Series[];
  /**
   * What select() returns, as columns: what PromQL reads when a querier has
   * it, since queries read millions of samples. Label objects may be shared
   * between calls and must not be changed.
   */
  selectColumns?(matchers: LabelMatcher[], startMs: number, endMs: number): SeriesColumns[];
  labelNames(matchers: LabelMatcher[], startMs: number, endMs: number): string[];
  labelValues(name: string, matchers: LabelMatcher[], startMs: number, endMs: number): string[];
}
