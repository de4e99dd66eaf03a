/** Test doubles for scraping: a clock driven by hand and an appender that records. */
import type { Clock } from '../clock.ts';
import { isStaleNaN, type SampleAppender, type Series, type SeriesLabels } from '../tsdb/model.ts';

interface FakeTimer {
  fn: () => void;
  ms: number;
  next: number;
  stopped: boolean;
}

export class FakeClock implements Clock {
  private t: number;
  private timers: FakeTimer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setInterval(fn: () => void, ms: number): { stop(): void } {
    const timer: FakeTimer = { fn, ms: Math.max(1, ms), next: this.t + Math.max(1, ms), stopped: false };
    this.timers.push(timer);
    return {
      stop: () => {
        timer.stopped = true;
        this.timers = this.timers.filter((x) => x !== timer);
      },
    };
  }

  /** Moves time forward, firing each due timer at its own time, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let due: FakeTimer | undefined;
      for (const timer of this.timers) if (timer.next <= end && (!due || timer.next < due.next)) due = timer;
      if (!due) break;
      this.t = due.next;
      due.next += due.ms;
      due.fn();
    }
    this.t = end;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}

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
