/** DDL for the SQLite store. Column order matters to the prepared statements. */
export const pragmas = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000'];

export const indexSchema = `
CREATE TABLE IF NOT EXISTS streams (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  labels TEXT NOT NULL,
  UNIQUE (tenant, labels)
);
`;

/**
 * One row per line. ts is Unix ns (fits in SQLite's int64); severity is 1..5
 * (DEBUG..CRITICAL); size is the line's length in bytes. The index on
 * (ts, stream, severity, size) covers metric queries without line filters,
 * so counting never reads the rows themselves.
 */
export const partitionSchema = `
CREATE TABLE IF NOT EXISTS lines (
  ts INTEGER NOT NULL,
  stream INTEGER NOT NULL,
  severity INTEGER,
  request_id TEXT,
  trace_id TEXT,
  span_id TEXT,
  event TEXT,
  principal TEXT,
  status TEXT,
  duration_ms TEXT,
  metadata TEXT,
  size INTEGER NOT NULL,
  line TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lines_ts ON lines (ts, stream, severity, size);
`;

export const lineColumns =
  'ts, stream, severity, request_id, trace_id, span_id, event, principal, status, duration_ms, metadata, size, line';
