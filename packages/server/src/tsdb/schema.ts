/**
 * On-disk layout of the metrics store (the why is in writer.ts and querier.ts):
 *
 *   <dir>/index.db                 series, postings, head_chunks + head_log (the head's WAL)
 *   <dir>/chunks/<YYYY-MM-DD>.db   closed chunks whose first sample is on that UTC day
 *   <dir>/chunks/<YYYY-MM-DD>.c.db the same day compacted once it is over (compact.ts);
 *                                  it replaces the .db file, which is deleted a maintain() later
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DAY_MS = 86_400_000;

export const indexSchema = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  labels TEXT NOT NULL,          -- canonical JSON: keys sorted
  last_t INTEGER,                -- last sample time once the open chunk was flushed
  last_v BLOB,                   -- its value's 8 bytes (NaN bits kept)
  UNIQUE (tenant, labels)
);
CREATE TABLE IF NOT EXISTS postings (
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  series_id INTEGER NOT NULL,
  PRIMARY KEY (tenant, name, value, series_id)
) WITHOUT ROWID;
-- Samples accepted since head_chunks was last written: one row per append,
-- (series id, t, v) as float64 triplets. Emptied by each head flush.
CREATE TABLE IF NOT EXISTS head_log (
  seq INTEGER PRIMARY KEY,
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS head_chunks (
  series_id INTEGER PRIMARY KEY,
  min_t INTEGER NOT NULL,
  max_t INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);
`;

// A rowid table: chunks are appended in roughly time order, so pages fill
// completely (a WITHOUT ROWID table keyed by series would take inserts all
// over the tree and leave pages about a third empty). The unique index finds
// a series' chunks and makes re-flushing a chunk after a crash a no-op
// (INSERT OR IGNORE); (series_id, min_t) is unique since a series' samples
// are strictly increasing, so max_t is not indexed (the querier filters on
// it from the row). Files made with the older (series_id, min_t, max_t)
// index keep it and read the same.
export const chunkSchema = `
CREATE TABLE IF NOT EXISTS chunks (
  series_id INTEGER NOT NULL,
  min_t INTEGER NOT NULL,
  max_t INTEGER NOT NULL,
  count INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS chunks_series ON chunks (series_id, min_t);
`;

/** A chunk already there (same series and start) is kept. */
export const insertChunkSql = 'INSERT OR IGNORE INTO chunks (series_id, min_t, max_t, count, data) VALUES (?, ?, ?, ?, ?)';

/** The same connection settings as the log store: WAL, one writer, mapped reads. */
export { openDatabase as openWritable, openReadonly } from '../store/sqlite/open.ts';

export function indexPath(dir: string): string {
  return join(dir, 'index.db');
}

export function chunksDir(dir: string): string {
  return join(dir, 'chunks');
}

/** The names in the chunks directory (none before the first chunk is written). */
export function chunkFileNames(dir: string): Set<string> {
  try {
    return new Set(readdirSync(chunksDir(dir)));
  } catch {
    return new Set();
  }
}

export function dayOf(t: number): number {
  return Math.floor(t / DAY_MS);
}

export function dayFileName(day: number): string {
  return `${new Date(day * DAY_MS).toISOString().slice(0, 10)}.db`;
}

export function compactedFileName(day: number): string {
  return `${new Date(day * DAY_MS).toISOString().slice(0, 10)}.c.db`;
}

export function isCompactedFileName(name: string): boolean {
  return name.endsWith('.c.db');
}

/** The day a chunk file (as written or compacted) holds, or undefined for other files (-wal, -shm, strays). */
export function dayOfFileName(name: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\.c)?\.db$/.exec(name);
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms / DAY_MS;
}

/** Canonical label JSON: keys sorted, so one label set has one spelling. */
export function canonicalLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += `${JSON.stringify(keys[i])}:${JSON.stringify(labels[keys[i]])}`;
  }
  return `${out}}`;
}

const bitsView = new DataView(new ArrayBuffer(8));

export function valueToBlob(v: number): Buffer {
  bitsView.setFloat64(0, v);
  return Buffer.from(new Uint8Array(bitsView.buffer).slice());
}

export function blobToValue(b: Uint8Array): number {
  new Uint8Array(bitsView.buffer).set(b);
  return bitsView.getFloat64(0);
}
