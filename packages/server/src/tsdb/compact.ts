/**
 * Compaction of a finished day file into `<day>.c.db`.
 *
 * The head cuts chunks at 120 samples (30 min at 15 s) so that recent data
 * reaches a day file quickly, and appends them in time order. Once the day
 * is over, those small rows cost more than their samples: a row and an
 * index entry each (about 55 bytes per 120 samples) plus each chunk's 16
 * byte first sample. Compaction re-encodes each series' consecutive chunks
 * into chunks of up to 1,440 samples / 6 h (same Gorilla stream, so the
 * readers do not change) and writes them sorted by series into a new file,
 * with 64 KiB pages when large, where rows of a few KiB pack well.
 *
 * A new file, renamed into place when complete, rather than a rewrite in
 * place: readers see either the old file or the whole new one, and the page
 * size can only be chosen for a new file (not under WAL). Its name differs
 * from the old file's, so a reader's open connection to the old file keeps
 * its own -wal and -shm; the writer deletes the old file a maintain() later.
 *
 * The work is incremental, a time budget per step, so maintain() never holds
 * the writer's thread for long. Chunks written to the old file meanwhile
 * (late samples of that day) are copied as they are when the file is
 * finished; after that the writer writes them to the compacted file.
 */
import Database from 'better-sqlite3';
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ChunkEncoder, decodeChunkInto, type SampleColumns } from './chunk.ts';
import { chunkFileNames, chunkSchema, chunksDir, compactedFileName, dayFileName, dayOf, dayOfFileName, insertChunkSql, isCompactedFileName } from './schema.ts';

/** 6 h at 15 s: payload per sample stops improving past this (bench/tsdb.ts), and a short query decodes at most this much. */
export const MAX_COMPACTED_SAMPLES = 1440;
export const MAX_COMPACTED_SPAN_MS = 6 * 3600_000;
/**
 * 64 KiB pages pack rows of a few KiB with little left over, but a file then
 * costs a few pages (~250 KiB) however small: worth it from a few MiB of
 * source on (bench/tsdb.ts with 20, 100 and 1,000 series). Smaller files keep
 * SQLite's 4 KiB pages, where the larger rows take overflow pages.
 */
const LARGE_PAGE_SIZE = 65536;
const LARGE_PAGES_FROM_BYTES = 8 << 20;
const TMP_SUFFIX = '.tmp';

interface SourceRow {
  series_id: number;
  min_t: number;
  max_t: number;
  count: number;
  data: Buffer;
}

/** What compaction needs of the writer's DayFiles: it reads a day's connection, then retires it. */
export interface DayConnections {
  open(day: number): Database.Database;
  close(day: number): void;
}

/** Compacts the writer's finished days, one maintain() step at a time (main thread). */
export class Compactor {
  private readonly dir: string;
  private readonly budgetMs: number;
  private readonly days: DayConnections;
  private running: DayCompaction | undefined;

  constructor(dir: string, budgetMs: number, days: DayConnections) {
    if (!Number.isFinite(budgetMs) || budgetMs < 0) throw new Error(`tsdb compactionBudgetMs must be a number >= 0, got ${budgetMs}`);
    this.dir = dir;
    this.budgetMs = budgetMs;
    this.days = days;
    // A compaction's scratch file (or its -wal/-shm) left by a crash.
    for (const name of chunkFileNames(dir)) if (/\.tmp(?:-wal|-shm)?$/.test(name)) rmSync(join(chunksDir(dir), name), { force: true });
  }

  /**
   * Deletes the day files replaced in an earlier call, then advances the
   * compaction of the oldest finished day: over, not compacted yet, and no
   * head chunk starting in it (`openDays`). Returns the day file's name once
   * it is compacted.
   */
  maintain(now: number, openDays: Set<number>): string | undefined {
    this.dropReplaced();
    if (this.running === undefined) {
      const day = this.finishedDay(now, openDays);
      if (day === undefined) return undefined;
      this.running = new DayCompaction(this.dir, day, this.days.open(day));
    }
    const compaction = this.running;
    if (!compaction.step(this.budgetMs)) return undefined;
    this.running = undefined;
    try {
      compaction.finish();
    } catch (err) {
      compaction.abandon();
      throw err;
    }
    // Later chunks of that day go to the compacted file (the writer opens it when it exists).
    this.days.close(compaction.day);
    return dayFileName(compaction.day);
  }

  /** Retention is deleting the day: stop compacting it. */
  forgetDay(day: number): void {
    if (this.running?.day !== day) return;
    this.running.abandon();
    this.running = undefined;
  }

  close(): void {
    this.running?.abandon();
    this.running = undefined;
  }

  private finishedDay(now: number, openDays: Set<number>): number | undefined {
    const names = chunkFileNames(this.dir);
    let oldest: number | undefined;
    for (const name of names) {
      const day = dayOfFileName(name);
      if (day === undefined || isCompactedFileName(name) || day >= dayOf(now) || openDays.has(day) || names.has(compactedFileName(day))) continue;
      if (oldest === undefined || day < oldest) oldest = day;
    }
    return oldest;
  }

  /** Day files replaced by their compacted file in an earlier call: readers have moved on by now. */
  private dropReplaced(): void {
    const names = chunkFileNames(this.dir);
    for (const name of names) {
      const day = dayOfFileName(name);
      if (day === undefined || !isCompactedFileName(name) || !names.has(dayFileName(day))) continue;
      // The main file last: while it is there, a crash midway is finished on the next call.
      for (const suffix of ['-wal', '-shm', '']) rmSync(join(chunksDir(this.dir), dayFileName(day) + suffix), { force: true });
    }
  }
}

/** One day file being compacted; `source` is the writer's connection to it. */
class DayCompaction {
  readonly day: number;
  private readonly source: Database.Database;
  private readonly target: string;
  private readonly out: Database.Database;
  private readonly insert: Database.Statement<[number, number, number, number, Uint8Array]>;
  /** Rows up to this rowid are compacted by series; later ones are copied as they are. */
  private readonly lastRowid: number;
  private doneUpTo = -1;
  private cols: SampleColumns = { t: new Float64Array(MAX_COMPACTED_SAMPLES), v: new Float64Array(MAX_COMPACTED_SAMPLES) };

  constructor(dir: string, day: number, source: Database.Database) {
    this.day = day;
    this.source = source;
    this.target = join(chunksDir(dir), compactedFileName(day));
    const tmp = this.target + TMP_SUFFIX;
    rmSync(tmp, { force: true });
    this.out = new Database(tmp);
    const sourceBytes = (source.pragma('page_count', { simple: true }) as number) * (source.pragma('page_size', { simple: true }) as number);
    if (sourceBytes >= LARGE_PAGES_FROM_BYTES) this.out.pragma(`page_size = ${LARGE_PAGE_SIZE}`);
    // A scratch file until renamed: a crash leaves it to be deleted, so nothing to journal.
    this.out.pragma('journal_mode = OFF');
    this.out.pragma('synchronous = OFF');
    this.out.exec(chunkSchema);
    this.insert = this.out.prepare(insertChunkSql);
    this.lastRowid = (source.prepare('SELECT coalesce(max(rowid), 0) AS n FROM chunks').get() as { n: number }).n;
  }

  /** Compacts whole series until budgetMs is spent (at least one); true when every series is done. */
  step(budgetMs: number): boolean {
    const started = performance.now();
    const rows = this.source
      .prepare<[number, number], SourceRow>(
        'SELECT series_id, min_t, max_t, count, data FROM chunks WHERE series_id > ? AND rowid <= ? ORDER BY series_id, min_t',
      )
      .iterate(this.doneUpTo, this.lastRowid);
    let series: SourceRow[] = [];
    const flush = (): void => {
      this.compactSeries(series);
      this.doneUpTo = series[0].series_id;
      series = [];
    };
    this.out.transaction(() => {
      for (const row of rows) {
        if (series.length > 0 && row.series_id !== series[0].series_id) {
          flush();
          if (performance.now() - started >= budgetMs) return; // leaving the loop closes the statement
        }
        series.push(row);
      }
      if (series.length > 0) flush();
      this.doneUpTo = Infinity;
    })();
    return this.doneUpTo === Infinity;
  }

  /** Copies the rows written since the start and renames the file into place (durably). */
  finish(): void {
    const late = this.source.prepare<[number], SourceRow>('SELECT series_id, min_t, max_t, count, data FROM chunks WHERE rowid > ?');
    this.out.transaction(() => {
      for (const r of late.iterate(this.lastRowid)) this.insert.run(r.series_id, r.min_t, r.max_t, r.count, r.data);
    })();
    // The writer may write late chunks to it, and readers open it, like any day file.
    this.out.pragma('journal_mode = WAL');
    this.out.close();
    const tmp = this.target + TMP_SUFFIX;
    fsyncPath(tmp);
    renameSync(tmp, this.target);
    fsyncPath(dirname(this.target));
  }

  abandon(): void {
    if (this.out.open) this.out.close();
    rmSync(this.target + TMP_SUFFIX, { force: true });
  }

  /** One series' chunks (by min_t) re-encoded into as few chunks as the limits allow. */
  private compactSeries(rows: SourceRow[]): void {
    const seriesId = rows[0].series_id;
    const enc = new ChunkEncoder();
    let lastT = -Infinity;
    try {
      for (const row of rows) {
        if (this.cols.t.length < row.count) this.cols = { t: new Float64Array(row.count), v: new Float64Array(row.count) };
        const n = decodeChunkInto(row.data, row.count, this.cols, 0);
        for (let i = 0; i < n; i++) {
          const t = this.cols.t[i];
          if (t <= lastT) continue; // samples are strictly increasing; never write one twice
          if (enc.count >= MAX_COMPACTED_SAMPLES || (enc.count > 0 && t - enc.minT >= MAX_COMPACTED_SPAN_MS)) {
            this.insert.run(seriesId, enc.minT, enc.maxT, enc.count, enc.bytes());
            enc.clear(); // empty for the next chunk
          }
          enc.append(t, this.cols.v[i]);
          lastT = t;
        }
      }
      if (enc.count > 0) this.insert.run(seriesId, enc.minT, enc.maxT, enc.count, enc.bytes());
    } finally {
      enc.release();
    }
  }
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
