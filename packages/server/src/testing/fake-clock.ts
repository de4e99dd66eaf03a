/** A clock driven by hand, for every stage's time-dependent tests (rules, dispatch, on-call, scrapes, retention…). */
import type { Clock } from '../clock.ts';

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
