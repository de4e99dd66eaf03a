/**
 * Function signatures, as Prometheus' parser/functions.go declares them:
 * what the type checker needs. `optional` counts trailing arguments that may
 * be left out; `variadic` means the last type repeats without limit.
 */
import type { ValueType } from './ast.ts';

export interface FunctionType {
  args: ValueType[];
  returns: ValueType;
  optional?: number;
  variadic?: boolean;
}

const v = (...args: ValueType[]): FunctionType => ({ args, returns: 'vector' });
const VEC1 = v('vector');
const RANGE1 = v('matrix');
const DATE = { args: ['vector'], returns: 'vector', optional: 1 } as FunctionType;

export const FUNCTION_TYPES: Record<string, FunctionType> = {
  abs: VEC1, ceil: VEC1, floor: VEC1, exp: VEC1, sqrt: VEC1, ln: VEC1, log2: VEC1, log10: VEC1, sgn: VEC1,
  deg: VEC1, rad: VEC1, sin: VEC1, cos: VEC1, tan: VEC1, asin: VEC1, acos: VEC1, atan: VEC1,
  sinh: VEC1, cosh: VEC1, tanh: VEC1, asinh: VEC1, acosh: VEC1, atanh: VEC1,
  absent: VEC1, timestamp: VEC1, sort: VEC1, sort_desc: VEC1,
  histogram_count: VEC1, histogram_sum: VEC1, histogram_avg: VEC1, histogram_stddev: VEC1, histogram_stdvar: VEC1,
  histogram_quantile: v('scalar', 'vector'),
  histogram_fraction: v('scalar', 'scalar', 'vector'),
  histogram_quantiles: { args: ['vector', 'string', 'scalar'], returns: 'vector', variadic: true },
  absent_over_time: RANGE1, present_over_time: RANGE1, avg_over_time: RANGE1, count_over_time: RANGE1,
  last_over_time: RANGE1, first_over_time: RANGE1, max_over_time: RANGE1, min_over_time: RANGE1,
  sum_over_time: RANGE1, stddev_over_time: RANGE1, stdvar_over_time: RANGE1, mad_over_time: RANGE1,
  ts_of_first_over_time: RANGE1, ts_of_last_over_time: RANGE1, ts_of_max_over_time: RANGE1, ts_of_min_over_time: RANGE1,
  changes: RANGE1, resets: RANGE1, delta: RANGE1, deriv: RANGE1, idelta: RANGE1, increase: RANGE1,
  irate: RANGE1, rate: RANGE1,
  quantile_over_time: v('scalar', 'matrix'),
  predict_linear: v('matrix', 'scalar'),
  double_exponential_smoothing: v('matrix', 'scalar', 'scalar'),
  clamp: v('vector', 'scalar', 'scalar'),
  clamp_max: v('vector', 'scalar'),
  clamp_min: v('vector', 'scalar'),
  day_of_month: DATE, day_of_week: DATE, day_of_year: DATE, days_in_month: DATE,
  hour: DATE, minute: DATE, month: DATE, year: DATE,
  label_join: { args: ['vector', 'string', 'string', 'string'], returns: 'vector', variadic: true, optional: 1 },
  label_replace: v('vector', 'string', 'string', 'string', 'string'),
  round: { args: ['vector', 'scalar'], returns: 'vector', optional: 1 },
  sort_by_label: { args: ['vector', 'string'], returns: 'vector', variadic: true, optional: 1 },
  sort_by_label_desc: { args: ['vector', 'string'], returns: 'vector', variadic: true, optional: 1 },
  info: { args: ['vector', 'vector'], returns: 'vector', optional: 1 },
  pi: { args: [], returns: 'scalar' },
  time: { args: [], returns: 'scalar' },
  start: { args: [], returns: 'scalar' },
  end: { args: [], returns: 'scalar' },
  range: { args: [], returns: 'scalar' },
  step: { args: [], returns: 'scalar' },
  min_of: { args: ['scalar', 'scalar'], returns: 'scalar' },
  max_of: { args: ['scalar', 'scalar'], returns: 'scalar' },
  scalar: { args: ['vector'], returns: 'scalar' },
  vector: { args: ['scalar'], returns: 'vector' },
};

/** Functions that Vigil does not evaluate yet. */
export const UNSUPPORTED_FUNCTIONS: Record<string, string> = {
  start_timestamp: 'start timestamps',
};

export function typeName(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}
