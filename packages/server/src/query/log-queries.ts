/**
 * The Loki query API's operations against a LogSource, answering in Loki's
 * JSON shapes. Runs inside a query worker (see worker.ts); tests call it
 * directly.
 */
import type { Labels } from '../ingest/model.ts';
import { evalInstant, evalMetric, isMetricQuery, parseLogql, selectLogs } from '../logql/index.ts';
import { VigilError } from '../errors.ts';
import type { Direction, LabelMatcher } from '../logql/source.ts';
import type { SqliteLogReader } from '../store/sqlite/log-reader.ts';

export interface RangeQuery {
  query: string;
  startNs: bigint;
  endNs: bigint;
  stepNs: bigint;
  limit: number;
  direction: Direction;
  /** Grafana's `categorize-labels`: metadata and parsed labels kept apart. */
  categorizeLabels: boolean;
}

export interface InstantQuery {
  query: string;
  timeNs: bigint;
  limit: number;
  direction: Direction;
}

export interface LabelQuery {
  startNs: bigint;
  endNs: bigint;
  /** Optional stream selector restricting which streams count. */
  query?: string;
}

type LokiValue = [string, string] | [string, string, Record<string, Labels>];

export function queryRange(source: SqliteLogReader, q: RangeQuery): unknown {
  const expr = parseLogql(q.query);
  if (isMetricQuery(expr)) {
    const matrix = evalMetric(expr, source, { startNs: q.startNs, endNs: q.endNs, stepNs: q.stepNs });
    return success({
      resultType: 'matrix',
      result: matrix.series.map((s) => ({
        metric: s.labels,
        values: s.points.map(([ms, v]) => [ms / 1000, formatValue(v)]),
      })),
    });
  }
  const streams = selectLogs(expr, source, {
    startNs: q.startNs,
    endNs: q.endNs,
    limit: q.limit,
    direction: q.direction,
  });
  const result = streams.streams.map((stream) => ({
    stream: q.categorizeLabels ? withoutParsed(stream.labels, stream.entries[0]?.parsed) : stream.labels,
    values: stream.entries.map((entry): LokiValue => {
      const ts = entry.tsNs.toString();
      if (!q.categorizeLabels) return [ts, entry.line];
      const extra: Record<string, Labels> = {};
      if (Object.keys(entry.metadata).length > 0) extra.structuredMetadata = entry.metadata;
      if (Object.keys(entry.parsed).length > 0) extra.parsed = entry.parsed;
      return [ts, entry.line, extra];
    }),
  }));
  const data: Record<string, unknown> = { resultType: 'streams', result };
  if (q.categorizeLabels) data.encodingFlags = ['categorize-labels'];
  return success(data);
}

export function queryInstant(source: SqliteLogReader, q: InstantQuery): unknown {
  const expr = parseLogql(q.query);
  if (!isMetricQuery(expr)) {
    throw new VigilError(
      'VIGIL_ERR_QUERY_PARAM',
      'log queries are not supported as instant queries; use /loki/api/v1/query_range',
    );
  }
  const vector = evalInstant(expr, source, { timeNs: q.timeNs });
  return success({
    resultType: 'vector',
    result: vector.samples.map((s) => ({ metric: s.labels, value: [s.tsMs / 1000, formatValue(s.value)] })),
  });
}

export function labelNames(source: SqliteLogReader, q: LabelQuery): unknown {
  const names = new Set<string>();
  for (const labels of activeStreams(source, q)) for (const name of Object.keys(labels)) names.add(name);
  return { status: 'success', data: [...names].sort() };
}

export function labelValues(source: SqliteLogReader, q: LabelQuery & { name: string }): unknown {
  const values = new Set<string>();
  for (const labels of activeStreams(source, q)) if (labels[q.name] !== undefined) values.add(labels[q.name]);
  return { status: 'success', data: [...values].sort() };
}

export function series(source: SqliteLogReader, q: { startNs: bigint; endNs: bigint; match: string[] }): unknown {
  const selectors = q.match.filter((m) => m.trim() !== '{}');
  const found = new Map<string, Labels>();
  const queries = selectors.length === 0 ? [undefined] : selectors;
  for (const query of queries) {
    for (const labels of activeStreams(source, { startNs: q.startNs, endNs: q.endNs, query })) {
      found.set(JSON.stringify(labels), labels);
    }
  }
  return { status: 'success', data: [...found.values()] };
}

function activeStreams(source: SqliteLogReader, q: LabelQuery): Labels[] {
  const streams = q.query ? source.matchStreams(selectorMatchers(q.query)) : source.allStreams();
  const active = source.activeStreamIds(
    streams.map((s) => s.id),
    q.startNs,
    q.endNs,
  );
  return streams.filter((s) => active.has(s.id)).map((s) => s.labels);
}

function selectorMatchers(query: string): LabelMatcher[] {
  const expr = parseLogql(query);
  if (isMetricQuery(expr)) {
    throw new VigilError('VIGIL_ERR_QUERY_PARAM', `expected a stream selector such as {service="api"}, got a metric query: ${query}`);
  }
  return expr.selector;
}

/**
 * With categorize-labels, `stream` holds only the stream's own labels, as in
 * Loki. Without it, Loki would merge each line's metadata into the labels and
 * split every stream line by line; Vigil leaves metadata out instead (see
 * docs/reference/loki-api.md).
 */
function withoutParsed(labels: Labels, parsed: Labels | undefined): Labels {
  if (!parsed || Object.keys(parsed).length === 0) return labels;
  const own: Labels = {};
  for (const [key, value] of Object.entries(labels)) if (!(key in parsed)) own[key] = value;
  return own;
}

function success(data: Record<string, unknown>): unknown {
  return { status: 'success', data: { ...data, stats: {} } };
}

/** Prometheus' number format: +Inf, -Inf, NaN, otherwise the shortest exact form. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
