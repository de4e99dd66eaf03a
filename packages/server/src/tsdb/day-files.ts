/**
 * The writer's connections to the day files: `chunks/<YYYY-MM-DD>.db`, or
 * the day's compacted `<day>.c.db` once it exists. Closed chunks are written
 * here; retention deletes whole days.
 */
import type Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chunkFileNames, chunkSchema, chunksDir, compactedFileName, dayFileName, dayOf, dayOfFileName, insertChunkSql, openWritable } from './schema.ts';

export interface ClosedChunk {
  seriesId: number;
  minT: number;
  maxT: number;
  count: number;
  data: Uint8Array;
}

export class DayFiles {
  private readonly dbs = new Map<number, Database.Database>();

  constructor(private readonly dir: string) {}

  /** The day's compacted file when there is one (its original is about to be deleted), else the day file. */
  open(day: number): Database.Database {
    let db = this.dbs.get(day);
    if (db === undefined) {
      const compacted = join(chunksDir(this.dir), compactedFileName(day));
      db = openWritable(existsSync(compacted) ? compacted : join(chunksDir(this.dir), dayFileName(day)), chunkSchema);
      this.dbs.set(day, db);
    }
    return db;
  }

  close(day: number): void {
    this.dbs.get(day)?.close();
    this.dbs.delete(day);
  }

  closeAll(): void {
    for (const db of this.dbs.values()) db.close();
    this.dbs.clear();
  }

  /** Each day's chunks to its file, a transaction per day. */
  writeByDay(byDay: Map<number, ClosedChunk[]>): void {
    for (const [day, chunks] of byDay) this.write(day, chunks);
  }

  /** In one transaction; a chunk already there (same series and start) is kept. */
  private write(day: number, chunks: ClosedChunk[]): void {
    const db = this.open(day);
    const insert = db.prepare<[number, number, number, number, Uint8Array]>(insertChunkSql);
    db.transaction(() => {
      for (const c of chunks) insert.run(c.seriesId, c.minT, c.maxT, c.count, c.data);
    })();
  }

  /** The series' chunk that starts at minT, if its day file has it. */
  chunk(seriesId: number, minT: number): { max_t: number; count: number; data: Buffer } | undefined {
    return this.open(dayOf(minT))
      .prepare<[number, number], { max_t: number; count: number; data: Buffer }>('SELECT max_t, count, data FROM chunks WHERE series_id = ? AND min_t = ?')
      .get(seriesId, minT);
  }

  /** Deletes the files of the days before `oldestKept`, calling `onDrop` for each; returns the days' file names. */
  dropBefore(oldestKept: number, onDrop: (day: number) => void): string[] {
    const dropped: string[] = [];
    for (const name of chunkFileNames(this.dir)) {
      const day = dayOfFileName(name);
      if (day === undefined || day >= oldestKept) continue;
      onDrop(day);
      this.close(day);
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(chunksDir(this.dir), name + suffix), { force: true });
      if (!dropped.includes(dayFileName(day))) dropped.push(dayFileName(day)); // a day, compacted or not
    }
    return dropped;
  }
}
