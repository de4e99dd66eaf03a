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
 * One row per line. severity is 1..5 (DEBUG..CRITICAL) so counts by
 * severity need no line reads; ts is Unix ns (fits in SQLite's int64).
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
  line TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lines_ts ON lines (ts);
`;

export const lineColumns =
  'ts, stream, severity, request_id, trace_id, span_id, event, principal, status, duration_ms, metadata, line';
