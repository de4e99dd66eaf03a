/**
 * Vigil's PromQL: parse a query, evaluate it over a SeriesQuerier.
 *
 *   const expr = parsePromql('sum by (job) (rate(http_requests_total[5m]))');
 *   evalRange(expr, querier, startMs, endMs, stepMs)  // → { resultType: 'matrix', result }
 *   formatPromApi(evalInstant(expr, querier, nowMs)) // → the HTTP API's `data`
 */
export { parsePromql } from './parse.ts';
export type { Expr, ValueType, BinaryOp, AggregateOp, VectorSelector, MatrixSelector, Subquery, Call, Aggregate, Binary } from './ast.ts';
export { evalInstant, evalRange } from './engine.ts';
export type { EvalOptions, QueryAnnotations, QueryResult, InstantSample, MatrixSeries } from './engine.ts';
export { formatPromApi, formatPromApiJson } from './format.ts';
export type { PromApiData } from './format.ts';
export { formatValue } from './literals.ts';
export { MemoryQuerier } from './memory-querier.ts';
