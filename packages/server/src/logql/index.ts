/**
 * Vigil's LogQL: parse a query, then evaluate it against a LogSource.
 *
 *   const expr = parseLogql('sum by (app) (rate({env="prod"} |= "error" [5m]))');
 *   isMetricQuery(expr) ? evalMetric(expr, source, { startNs, endNs, stepNs })
 *                       : selectLogs(expr, source, { startNs, endNs, limit, direction });
 */
export { parseLogql } from './parse.ts';
export { isMetricQuery } from './ast.ts';
export type {
  LogqlExpr,
  LogQuery,
  MetricExpr,
  Stage,
  LabelFilter,
  RangeAggregation,
  VectorAggregation,
  BinaryExpr,
  NumberLiteral,
  Grouping,
} from './ast.ts';
export { selectLogs } from './select-logs.ts';
export type { StreamsResult, StreamEntry, SelectOptions } from './select-logs.ts';
export { evalMetric, evalInstant, MAX_STEPS } from './metric.ts';
export type { MatrixResult, VectorResult, MetricOptions } from './metric.ts';
export { compileSafeRegex, compileRegex, MAX_REGEX_LENGTH } from './regex.ts';
export { compileMatchers, matchesLabels } from './matchers.ts';
export { MemoryLogSource } from './memory-source.ts';
export type { MemoryStream, MemoryEntry } from './memory-source.ts';
export { countableFields } from './source.ts';
export type {
  LogSource,
  LabelMatcher,
  MatchOp,
  StreamRef,
  Direction,
  ScanOptions,
  LogRow,
  CountOptions,
  CountRow,
} from './source.ts';
