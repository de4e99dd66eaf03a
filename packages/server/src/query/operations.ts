/** The operations a query worker runs, by name: one table for the worker and for in-process calls. */
import type { SqliteLogReader } from '../store/sqlite/log-reader.ts';
import type { SeriesQuerier } from '../tsdb/index.ts';
import { labelNames, labelValues, queryInstant, queryRange, series } from './log-queries.ts';
import { promLabelValues, promLabels, promQuery, promQueryRange, promSeries } from './metric-queries.ts';
import { ruleInstant } from './rule-queries.ts';

/** A tenant's view of the stores, built lazily inside the worker. */
export interface QuerySources {
  logs(): SqliteLogReader;
  metrics(): SeriesQuerier;
}

const onLogs =
  <A>(fn: (source: SqliteLogReader, args: A) => unknown) =>
  (sources: QuerySources, args: A) =>
    fn(sources.logs(), args);

const onMetrics =
  <A>(fn: (querier: SeriesQuerier, args: A) => unknown) =>
  (sources: QuerySources, args: A) =>
    fn(sources.metrics(), args);

export const operations = {
  query_range: onLogs(queryRange),
  query: onLogs(queryInstant),
  labels: onLogs(labelNames),
  label_values: onLogs(labelValues),
  series: onLogs(series),
  prom_query: onMetrics(promQuery),
  prom_query_range: onMetrics(promQueryRange),
  prom_series: onMetrics(promSeries),
  prom_labels: onMetrics(promLabels),
  prom_label_values: onMetrics(promLabelValues),
  rule_instant: ruleInstant,
};

export type OperationName = keyof typeof operations;
export type OperationArgs<N extends OperationName> = Parameters<(typeof operations)[N]>[1];
