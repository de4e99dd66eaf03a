/**
 * Functions over instant vectors that map each sample on its own: math,
 * clamping, rounding and the date functions.
 */
import { goRound } from './math.ts';

export type SampleFn = (v: number, params: number[]) => number;

const date = (read: (d: Date) => number): SampleFn => (v) => {
  if (!Number.isFinite(v)) return NaN;
  return read(new Date(Math.trunc(v * 1000)));
};

export const SAMPLE_FUNCTIONS: Record<string, SampleFn> = {
  abs: Math.abs, ceil: Math.ceil, floor: Math.floor, exp: Math.exp, sqrt: Math.sqrt,
  ln: Math.log, log2: Math.log2, log10: Math.log10,
  sgn: (v) => (v > 0 ? 1 : v < 0 ? -1 : v),
  deg: (v) => (v * 180) / Math.PI, rad: (v) => (v * Math.PI) / 180,
  sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh, asinh: Math.asinh, acosh: Math.acosh, atanh: Math.atanh,
  clamp: (v, [min, max]) => Math.max(min, Math.min(max, v)),
  clamp_min: (v, [min]) => (Number.isNaN(min) ? NaN : Math.max(min, v)),
  clamp_max: (v, [max]) => (Number.isNaN(max) ? NaN : Math.min(max, v)),
  round: (v, [toNearest = 1]) => {
    // Division by the inverse keeps precision for nearest < 1, as Prometheus does.
    const inverse = 1 / toNearest;
    return Math.floor(v * inverse + 0.5) / inverse;
  },
  minute: date((d) => d.getUTCMinutes()),
  hour: date((d) => d.getUTCHours()),
  month: date((d) => d.getUTCMonth() + 1),
  year: date((d) => d.getUTCFullYear()),
  day_of_month: date((d) => d.getUTCDate()),
  day_of_week: date((d) => d.getUTCDay()),
  day_of_year: date((d) => {
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    return Math.floor((d.getTime() - start) / 86_400_000) + 1;
  }),
  days_in_month: date((d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()),
};

/** Functions whose result keeps the metric name. */
export const SAMPLE_KEEPS_NAME: ReadonlySet<string> = new Set([]);

export { goRound };
