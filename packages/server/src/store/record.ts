/**
 * A log line as the store keeps it: normalised, validated and redacted.
 * Every store (SQLite now, ClickHouse later) takes and gives these.
 */
import type { Labels } from '../ingest/model.ts';

export const severities = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type Severity = (typeof severities)[number];

/** Retention classes: security and audit lines are kept longer. */
export const categories = ['standard', 'security', 'audit'] as const;
export type Category = (typeof categories)[number];

/** Per-line fields with their own column, searchable without reading lines. */
export const indexedFields = ['request_id', 'trace_id', 'span_id', 'event', 'principal', 'status', 'duration_ms'] as const;
export type IndexedField = (typeof indexedFields)[number];

export interface LogRecord {
  tsNs: bigint;
  line: string;
  severity?: Severity;
  category: Category;
  /** Values of the indexed fields found in the line or its metadata. */
  fields: Partial<Record<IndexedField, string>>;
  /** Any other structured metadata the sender attached. */
  metadata?: Labels;
}

export interface StreamBatch {
  /** Stream labels, already validated. */
  labels: Labels;
  records: LogRecord[];
}

export interface AppendResult {
  lines: number;
  bytes: number;
}

/** What the ingest side needs from a log store. */
export interface LogAppender {
  /** Durable when it returns: accepted data survives a crash right after. */
  append(tenant: string, batches: StreamBatch[]): AppendResult;
}

export function isCategory(value: string): value is Category {
  return (categories as readonly string[]).includes(value);
}
