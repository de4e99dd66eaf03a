/** The operations a query worker runs, by name: one table for the worker and for in-process calls. */
import type { SqliteLogReader } from '../store/sqlite/log-reader.ts';
import { labelNames, labelValues, queryInstant, queryRange, series } from './log-queries.ts';

export const operations = {
  query_range: queryRange,
  query: queryInstant,
  labels: labelNames,
  label_values: labelValues,
  series,
} satisfies Record<string, (source: SqliteLogReader, args: never) => unknown>;

export type OperationName = keyof typeof operations;
export type OperationArgs<N extends OperationName> = Parameters<(typeof operations)[N]>[1];
