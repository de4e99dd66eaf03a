/**
 * Event-loop lag: a loop blocked by CPU work or sync I/O answers every
 * request late, which a dependency check cannot see. One
 * monitorEventLoopDelay histogram is started for the whole process (it is a
 * cheap libuv timer) and shared by every lag check.
 *
 * Each run reads the delay since the previous run and resets the histogram,
 * so the figure is "over the last polling interval". Several lag checks (or
 * several pollers of one) split the samples between them.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { HealthCheckFn } from './run-check.ts';

export interface EventLoopLagOptions {
  /** Fail when the delay percentile exceeds this, ms. */
  maxLagMs: number;
  /** Which percentile of the delay is compared; default 99. */
  percentile?: number;
}

/** Sampling period of the histogram, ms. */
const RESOLUTION_MS = 10;
let histogram: IntervalHistogram | undefined;

function sharedHistogram(): IntervalHistogram {
  if (!histogram) {
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
  }
  return histogram;
}

const toMs = (ns: number) => Math.round((ns / 1e6) * 10) / 10;

export function eventLoopLagCheck(options: EventLoopLagOptions): HealthCheckFn {
  const { maxLagMs, percentile = 99 } = options ?? ({} as EventLoopLagOptions);
  if (typeof maxLagMs !== 'number' || !(maxLagMs > 0)) throw new TypeError(`eventLoopLagCheck maxLagMs must be a positive number, got ${String(maxLagMs)}`);
  if (!(percentile > 0 && percentile <= 100)) throw new TypeError(`eventLoopLagCheck percentile must be in (0, 100], got ${String(percentile)}`);
  const h = sharedHistogram();
  return async () => {
    if (h.count === 0) return { samples: 0 };
    const lag = toMs(h.percentile(percentile));
    const details = { [`p${percentile}_ms`]: lag, max_ms: toMs(h.max), mean_ms: toMs(h.mean), samples: h.count };
    h.reset();
    if (lag > maxLagMs) throw new Error(`event loop delay p${percentile} ${lag} ms over the last interval, above ${maxLagMs} ms`);
    return details;
  };
}
