/**
 * The LogQL engine's view of the SQLite store, for one tenant. Used inside
 * query worker threads, each with its own read-only connections.
 */
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels } from '../../ingest/model.ts';
import type {
  CountOptions,
  CountRow,
  LabelMatcher,
  LogRow,
  LogSource,
  ScanOptions,
  StreamRef,
} from '../../logql/source.ts';
import { indexedFields, severities, type Category } from '../record.ts';
import { compileMatchers } from '../../logql/index.ts';
import { openReadonly } from './open.ts';
import { partitionsInRange, type Partition } from './partitions.ts';
import { lineColumns } from './schema.ts';

/** Read-only connections shared by every reader in one worker. */
export class ReadConnections {
  private readonly open = new Map<string, Database.Database>();

  constructor(readonly dataDir: string) {}

  index(): Database.Database | undefined {
    return this.get(join(this.dataDir, 'index.db'));
  }

  /** undefined while the writer is still creating the file. */
  get(path: string): Database.Database | undefined {
    const cached = this.open.get(path);
    if (cached) {
      if (existsSync(path)) return cached;
      cached.close(); // dropped by retention
      this.open.delete(path);
      return undefined;
    }
    try {
      const db = openReadonly(path);
      db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
      this.open.set(path, db);
      return db;
    } catch {
      return undefined;
    }
  }

  close(): void {
    for (const db of this.open.values()) db.close();
    this.open.clear();
  }
}

export class SqliteLogReader implements LogSource {
  constructor(
    private readonly connections: ReadConnections,
    private readonly tenant: string,
  ) {}

  allStreams(): StreamRef[] {
    const db = this.connections.index();
    if (!db) return [];
    const rows = db.prepare('SELECT id, labels FROM streams WHERE tenant = ?').all(this.tenant) as {
      id: number;
      labels: string;
    }[];
    return rows.map((row) => ({ id: row.id, labels: JSON.parse(row.labels) as Labels }));
  }

  matchStreams(matchers: LabelMatcher[]): StreamRef[] {
    const matches = compileMatchers(matchers);
    return this.allStreams().filter((stream) => matches(stream.labels));
  }

  /** Streams with at least one line in [startNs, endNs). */
  activeStreamIds(streamIds: number[], startNs: bigint, endNs: bigint): Set<number> {
    const active = new Set<number>();
    const ids = JSON.stringify(streamIds);
    for (const partition of partitionsInRange(this.connections.dataDir, startNs, endNs)) {
      const db = this.connections.get(partition.path);
      if (!db || !hasLines(db)) continue;
      const statement = db.prepare(
        'SELECT DISTINCT stream FROM lines WHERE ts >= ? AND ts < ? AND stream IN (SELECT value FROM json_each(?))',
      );
      for (const row of statement.all(startNs, endNs, ids) as { stream: number }[]) active.add(row.stream);
    }
    return active;
  }

  *scan(options: ScanOptions): Iterable<LogRow> {
    if (options.streamIds.length === 0 || options.endNs <= options.startNs) return;
    const byDay = groupByDay(partitionsInRange(this.connections.dataDir, options.startNs, options.endNs));
    const days = [...byDay.keys()].sort((a, b) => (options.direction === 'forward' ? a - b : b - a));
    for (const day of days) {
      const sources = byDay.get(day)!.map((partition) => this.scanPartition(partition, options));
      yield* mergeByTime(sources, options.direction);
    }
  }

  *count(options: CountOptions): Iterable<CountRow> {
    if (options.streamIds.length === 0 || options.buckets <= 0) return;
    const endNs = options.originNs + options.bucketNs * BigInt(options.buckets);
    const bySeverity = options.groupFields.includes('severity');
    const ids = JSON.stringify(options.streamIds);
    for (const partition of partitionsInRange(this.connections.dataDir, options.originNs + 1n, endNs + 1n)) {
      const db = this.connections.get(partition.path);
      if (!db || !hasLines(db)) continue;
      const rows =
        options.buckets <= maxBucketQueries
          ? countBucketByBucket(db, options, ids, bySeverity)
          : countInOneQuery(db, options, ids, bySeverity, endNs);
      for (const row of rows) {
        const fieldValues = options.groupFields.map((field) =>
          field === 'category' ? partition.category : row.severity ? severities[row.severity - 1] : '',
        );
        yield { streamId: row.stream, fieldValues, bucket: row.bucket, count: row.count, bytes: row.bytes };
      }
    }
  }

  private *scanPartition(partition: Partition, options: ScanOptions): Iterable<LogRow> {
    const db = this.connections.get(partition.path);
    if (!db || !hasLines(db)) return;
    const order = options.direction === 'forward' ? 'ASC' : 'DESC';
    const filters = options.contains.map(() => ' AND instr(line, ?) > 0').join('');
    const statement = db
      .prepare(
        `SELECT ${lineColumns} FROM lines INDEXED BY lines_ts WHERE ts >= ? AND ts < ? ` +
          `AND stream IN (SELECT value FROM json_each(?))${filters} ORDER BY ts ${order}, rowid ${order}`,
      )
      .raw(true)
      .safeIntegers(true);
    const rows = statement.iterate(
      options.startNs,
      options.endNs,
      JSON.stringify(options.streamIds),
      ...options.contains,
    ) as Iterable<unknown[]>;
    for (const row of rows) yield toLogRow(row, partition.category);
  }
}

interface BucketRow {
  stream: number;
  severity: number | null;
  bucket: number;
  count: number;
  bytes: number;
}

/**
 * Up to this many buckets, one small query per bucket: each groups a few
 * hundred index entries, which is faster than one GROUP BY that must sort
 * every line of the range.
 */
const maxBucketQueries = 20_000;

function* countBucketByBucket(db: Database.Database, o: CountOptions, ids: string, bySeverity: boolean): Iterable<BucketRow> {
  const filters = o.contains.map(() => ' AND instr(line, ?) > 0').join('');
  const statement = db.prepare(
    `SELECT stream, ${bySeverity ? 'severity' : 'NULL'} AS severity, count(*) AS count, sum(size) AS bytes ` +
      `FROM lines INDEXED BY lines_ts WHERE ts > ? AND ts <= ? AND stream IN (SELECT value FROM json_each(?))${filters} ` +
      `GROUP BY stream, 2`,
  );
  for (let bucket = 0; bucket < o.buckets; bucket++) {
    const from = o.originNs + o.bucketNs * BigInt(bucket);
    for (const row of statement.all(from, from + o.bucketNs, ids, ...o.contains) as Omit<BucketRow, 'bucket'>[]) {
      yield { ...row, bucket };
    }
  }
}

function countInOneQuery(db: Database.Database, o: CountOptions, ids: string, bySeverity: boolean, endNs: bigint): BucketRow[] {
  const filters = o.contains.map(() => ' AND instr(line, ?) > 0').join('');
  // ts > origin, so (ts - origin - 1) / bucket is never negative and truncation is floor.
  const statement = db.prepare(
    `SELECT stream, ${bySeverity ? 'severity' : 'NULL'} AS severity, (ts - ? - 1) / ? AS bucket, ` +
      `count(*) AS count, sum(size) AS bytes FROM lines INDEXED BY lines_ts ` +
      `WHERE ts > ? AND ts <= ? AND stream IN (SELECT value FROM json_each(?))${filters} GROUP BY bucket, stream, 2`,
  );
  return statement.all(o.originNs, o.bucketNs, o.originNs, endNs, ids, ...o.contains) as BucketRow[];
}

function hasLines(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'lines'").get() !== undefined;
}

function toLogRow(row: unknown[], category: Category): LogRow {
  const fields: Labels = row[10] === null ? {} : (JSON.parse(row[10] as string) as Labels);
  const severity = row[2] as bigint | null;
  if (severity !== null) fields.severity = severities[Number(severity) - 1];
  fields.category = category;
  for (let i = 0; i < indexedFields.length; i++) {
    const value = row[3 + i];
    if (value !== null) fields[indexedFields[i]] = value as string;
  }
  return { tsNs: row[0] as bigint, streamId: Number(row[1]), line: row[12] as string, fields };
}

function groupByDay(partitions: Partition[]): Map<number, Partition[]> {
  const byDay = new Map<number, Partition[]>();
  for (const partition of partitions) {
    const list = byDay.get(partition.day) ?? [];
    list.push(partition);
    byDay.set(partition.day, list);
  }
  return byDay;
}

/** Merges a few time-ordered sources (one per retention class) into one. */
function* mergeByTime(sources: Iterable<LogRow>[], direction: ScanOptions['direction']): Iterable<LogRow> {
  const iterators = sources.map((source) => source[Symbol.iterator]());
  const heads = iterators.map((it) => it.next());
  const before = direction === 'forward' ? (a: bigint, b: bigint) => a < b : (a: bigint, b: bigint) => a > b;
  try {
    for (;;) {
      let pick = -1;
      for (let i = 0; i < heads.length; i++) {
        if (heads[i].done) continue;
        if (pick === -1 || before((heads[i].value as LogRow).tsNs, (heads[pick].value as LogRow).tsNs)) pick = i;
      }
      if (pick === -1) return;
      yield heads[pick].value as LogRow;
      heads[pick] = iterators[pick].next();
    }
  } finally {
    // a query that stops at its limit must close every cursor, or the
    // connection keeps reading an old snapshot of the partition
    for (const it of iterators) it.return?.();
  }
}
