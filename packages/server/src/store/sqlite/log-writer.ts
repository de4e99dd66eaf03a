/**
 * The single writer of the embedded log store. Runs on the main thread:
 * each append is one transaction per touched partition, committed before the
 * push is answered, so accepted lines survive kill -9 (WAL, synchronous=NORMAL).
 */
import type Database from 'better-sqlite3';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppendResult, Category, LogAppender, LogRecord, StreamBatch } from '../record.ts';
import { severities } from '../record.ts';
import { openDatabase } from './open.ts';
import { dayOfNs, listPartitions, partitionPath, type Partition } from './partitions.ts';
import { indexSchema, lineColumns, partitionSchema } from './schema.ts';
import { StreamIndex } from './stream-index.ts';

export interface LogStoreOptions {
  dataDir: string;
  maxStreamsPerTenant: number;
}

interface Row {
  stream: number;
  record: LogRecord;
}

interface OpenPartition {
  db: Database.Database;
  insert: (rows: Row[]) => void;
}

const severityCode = new Map(severities.map((name, i) => [name, i + 1]));

/** Rows per INSERT statement: one call per 64 lines costs far less than 64 calls. */
const rowsPerInsert = 64;
const columnCount = lineColumns.split(',').length;

function insertSql(rows: number): string {
  const row = `(${Array(columnCount).fill('?').join(',')})`;
  return `INSERT INTO lines (${lineColumns}) VALUES ${Array(rows).fill(row).join(',')}`;
}

function pushValues(values: unknown[], { stream, record }: Row): void {
  const f = record.fields;
  values.push(
    record.tsNs,
    stream,
    record.severity ? severityCode.get(record.severity) : null,
    f.request_id ?? null,
    f.trace_id ?? null,
    f.span_id ?? null,
    f.event ?? null,
    f.principal ?? null,
    f.status ?? null,
    f.duration_ms ?? null,
    record.metadata ? JSON.stringify(record.metadata) : null,
    Buffer.byteLength(record.line),
    record.line,
  );
}

export class SqliteLogStore implements LogAppender {
  readonly dataDir: string;
  private readonly index: Database.Database;
  private readonly streams: StreamIndex;
  private readonly partitions = new Map<string, OpenPartition>();

  constructor(options: LogStoreOptions) {
    this.dataDir = options.dataDir;
    this.index = openDatabase(this.indexPath, indexSchema);
    this.streams = new StreamIndex(this.index, options.maxStreamsPerTenant);
  }

  get indexPath(): string {
    return join(this.dataDir, 'index.db');
  }

  /** Resolves stream ids first (may throw on the stream limit), then writes. */
  append(tenant: string, batches: StreamBatch[]): AppendResult {
    const byPartition = new Map<string, Row[]>();
    let bytes = 0;
    let lines = 0;
    for (const batch of batches) {
      if (batch.records.length === 0) continue;
      const stream = this.streams.idFor(tenant, batch.labels);
      for (const record of batch.records) {
        const key = `${record.category}/${dayOfNs(record.tsNs)}`;
        let rows = byPartition.get(key);
        if (!rows) byPartition.set(key, (rows = []));
        rows.push({ stream, record });
        bytes += record.line.length;
        lines++;
      }
    }
    for (const [key, rows] of byPartition) this.partition(key).insert(rows);
    return { lines, bytes };
  }

  /** Checks the store still accepts writes (disk full, read-only mount…). */
  isWritable(): boolean {
    try {
      this.index.prepare('BEGIN IMMEDIATE').run();
      this.index.prepare('ROLLBACK').run();
      return true;
    } catch {
      return false;
    }
  }

  /** Deletes partitions whose whole day is older than the class's retention. */
  dropExpired(nowMs: number, retentionMs: Record<Category, number>): Partition[] {
    const dropped: Partition[] = [];
    for (const partition of listPartitions(this.dataDir)) {
      const dayEndMs = (partition.day + 1) * 86_400_000;
      if (dayEndMs > nowMs - retentionMs[partition.category]) continue;
      const key = `${partition.category}/${partition.day}`;
      this.partitions.get(key)?.db.close();
      this.partitions.delete(key);
      for (const suffix of ['', '-wal', '-shm']) rmSync(partition.path + suffix, { force: true });
      dropped.push(partition);
    }
    return dropped;
  }

  /** Bytes on disk per kind, for /metrics. */
  diskUsage(): { index: number; logs: number; partitions: number } {
    const size = (path: string) => {
      let total = 0;
      for (const suffix of ['', '-wal']) {
        try {
          total += statSync(path + suffix).size;
        } catch {
          // a missing WAL file is normal after a checkpoint
        }
      }
      return total;
    };
    const partitions = listPartitions(this.dataDir);
    return {
      index: size(this.indexPath),
      logs: partitions.reduce((sum, p) => sum + size(p.path), 0),
      partitions: partitions.length,
    };
  }

  get streamCount(): number {
    return this.streams.size;
  }

  close(): void {
    for (const { db } of this.partitions.values()) db.close();
    this.partitions.clear();
    this.index.close();
  }

  private partition(key: string): OpenPartition {
    const open = this.partitions.get(key);
    if (open) return open;
    const [category, day] = key.split('/');
    const db = openDatabase(partitionPath(this.dataDir, category as Category, Number(day)), partitionSchema);
    const insertOne = db.prepare(insertSql(1));
    const insertMany = db.prepare(insertSql(rowsPerInsert));
    const values: unknown[] = [];
    const insert = db.transaction((rows: Row[]) => {
      let i = 0;
      for (; i + rowsPerInsert <= rows.length; i += rowsPerInsert) {
        values.length = 0;
        for (let k = i; k < i + rowsPerInsert; k++) pushValues(values, rows[k]);
        insertMany.run(values);
      }
      for (; i < rows.length; i++) {
        values.length = 0;
        pushValues(values, rows[i]);
        insertOne.run(values);
      }
    });
    const opened = { db, insert };
    this.partitions.set(key, opened);
    return opened;
  }
}
