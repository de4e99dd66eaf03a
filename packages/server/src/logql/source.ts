/**
 * What the LogQL engine needs from a log store. The SQLite store implements
 * it (store/sqlite), tests use an in-memory one. A ClickHouse store would
 * implement the same two or three calls. Synchronous on purpose: queries
 * run in a worker thread that owns its own read connection.
 */
import type { Labels } from '../ingest/model.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

export interface StreamRef {
  id: number;
  labels: Labels;
}

export type Direction = 'forward' | 'backward';

export interface ScanOptions {
  streamIds: number[];
  /** Inclusive lower bound, Unix ns. */
  startNs: bigint;
  /** Exclusive upper bound, Unix ns. */
  endNs: bigint;
  direction: Direction;
  /**
   * Case-sensitive substrings every returned line must contain (from `|=`
   * filters). A hint the store may use to filter early; the engine still
   * applies its own filters, so a store may ignore it.
   */
  contains: string[];
}

export interface LogRow {
  streamId: number;
  tsNs: bigint;
  line: string;
  /**
   * Per-line fields: the recognised ones (severity, category, request_id,
   * trace_id, span_id, event, principal, status, duration_ms) when present,
   * and the sender's structured metadata. Usable in label filters and
   * `by`/`without` like Loki's structured metadata.
   */
  fields: Labels;
}

export interface CountOptions {
  streamIds: number[];
  /** Lines are counted in buckets k = 0..buckets-1 covering (originNs + k*bucketNs, originNs + (k+1)*bucketNs]. */
  originNs: bigint;
  bucketNs: bigint;
  /** Number of buckets. */
  buckets: number;
  contains: string[];
  /** Recognised per-line fields to group by besides the stream (e.g. ['severity']). */
  groupFields: string[];
}

export interface CountRow {
  streamId: number;
  /** Values of CountOptions.groupFields, in order; '' when a line lacks the field. */
  fieldValues: string[];
  /** Bucket index k. */
  bucket: number;
  count: number;
  bytes: number;
}

/** Fields a store indexes and can group counts by without reading lines. */
export const countableFields = ['severity', 'category'] as const;

export interface LogSource {
  matchStreams(matchers: LabelMatcher[]): StreamRef[];
  /**
   * Rows of all the given streams merged in time order (ascending for
   * forward, descending for backward), read lazily: the engine stops
   * iterating once it has `limit` entries, and relies on that order to keep
   * the newest/oldest ones.
   */
  scan(options: ScanOptions): Iterable<LogRow>;
  /**
   * Optional pushdown for metric queries without parsers: per-bucket line
   * counts and byte sums computed inside the store.
   */
  count?(options: CountOptions): Iterable<CountRow>;
}
