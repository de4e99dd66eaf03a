import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pragmas } from './schema.ts';

export function openDatabase(path: string, schema: string): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  for (const pragma of pragmas) db.pragma(pragma);
  db.exec(schema);
  return db;
}

/** Read-only connection for query workers; WAL lets it read while the writer writes. */
export function openReadonly(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  // scans read whole partitions: map them instead of a read() per page
  db.pragma('mmap_size = 1073741824');
  return db;
}
