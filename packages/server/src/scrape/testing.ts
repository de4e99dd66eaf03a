/** Test doubles for scraping: an appender that records. */
import { fromSampleBatch, isStaleNaN, type SampleAppender, type SampleBatch, type Series, type SeriesLabels } from '../tsdb/model.ts';

export interface RecordedSample {
  tenant: string;
  labels: SeriesLabels;
  t: number;
  v: number;
}

export class MemoryAppender implements SampleAppender {
  readonly batches: { tenant: string; series: Series[] }[] = [];

  append(tenant: string, series: Series[]): void {
    // Copied by hand: structuredClone and double arrays do not keep the stale NaN's bits.
    this.batches.push({ tenant, series: series.map((s) => ({ labels: { ...s.labels }, samples: s.samples.map((x) => ({ t: x.t, v: x.v })) })) });
  }

  appendBatch(tenant: string, batch: SampleBatch): void {
    this.append(tenant, fromSampleBatch(batch));
  }

  /** Every sample, flattened, in write order. */
  samples(): RecordedSample[] {
    return this.batches.flatMap((b) => b.series.flatMap((s) => s.samples.map((x) => ({ tenant: b.tenant, labels: s.labels, t: x.t, v: x.v }))));
  }

  /** Samples whose labels include all of `match`. */
  find(match: SeriesLabels): RecordedSample[] {
    return this.samples().filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v));
  }

  /** Values of one series (all labels given exactly, or a subset), stale markers shown as 'stale'. */
  values(match: SeriesLabels): (number | 'stale')[] {
    return this.find(match).map((s) => (isStaleNaN(s.v) ? 'stale' : s.v));
  }

  clear(): void {
    this.batches.length = 0;
  }
}
