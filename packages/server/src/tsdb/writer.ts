/**
 * The metrics store's single writer (main thread): series index, head and
 * chunk files. Implements SampleAppender.
 *
 * The head keeps one open chunk per active series in memory. Its WAL is the
 * `head_chunks` table: every append rewrites the open chunk of each touched
 * series in one transaction before append() returns (WAL mode,
 * synchronous=NORMAL, as the log store: a 2xx survives kill -9). So query
 * workers read recent samples from the same table, with no shared memory,
 * and a restart decodes the rows back into encoders.
 *
 * A chunk is cut at 120 samples, 2 h, or the UTC day boundary; the closed
 * chunk is written to `chunks/<day>.db` (committed) before the head row is
 * replaced, so a reader that sees the new head row also sees the old chunk.
 * A crash in between leaves the chunk in both places; replay and readers
 * de-duplicate (samples are strictly increasing per series).
 */
import type Database from 'better-sqlite3';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkEncoder, decodeChunk, MAX_CHUNK_SPAN_MS, MAX_SAMPLES_PER_CHUNK } from './chunk.ts';
import { formatSeries, TsdbAppendError, type SampleRejection } from './errors.ts';
import { defaultTsdbLimits, type TsdbLimits } from './limits.ts';
import type { SampleAppender, Series, SeriesLabels } from './model.ts';
import {
  blobToValue,
  canonicalLabels,
  chunkSchema,
  chunksDir,
  dayFileName,
  dayOf,
  dayOfFileName,
  DAY_MS,
  indexPath,
  indexSchema,
  openWritable,
  valueToBlob,
} from './schema.ts';

export interface TsdbOptions {
  /** The store's directory, e.g. `data/metrics`. */
  dir: string;
  /** Whole days of chunks kept (default 30); older day files are deleted. */
  retentionDays?: number;
  limits?: Partial<TsdbLimits>;
  /**
   * A series with no sample newer than `now - idleMs` has its open chunk
   * flushed by maintain() and stops counting as active (default 1 h).
   */
  idleMs?: number;
  /** Unix ms; injected by tests. */
  now?: () => number;
}

interface HeadSeries {
  id: number;
  tenant: string;
  labels: SeriesLabels;
  enc: ChunkEncoder;
  /** Last accepted sample (also when the open chunk is empty after a flush). */
  lastT: number;
  lastV: number;
}

interface ClosedChunk {
  seriesId: number;
  minT: number;
  maxT: number;
  count: number;
  data: Uint8Array;
}

const valueBits = new DataView(new ArrayBuffer(16));
function sameBits(a: number, b: number): boolean {
  valueBits.setFloat64(0, a);
  valueBits.setFloat64(8, b);
  return valueBits.getBigUint64(0) === valueBits.getBigUint64(8);
}

export class TsdbWriter implements SampleAppender {
  readonly dir: string;
  readonly limits: Readonly<TsdbLimits>;
  readonly retentionDays: number;
  private readonly idleMs: number;
  private readonly now: () => number;
  private readonly index: Database.Database;
  private readonly dayDbs = new Map<number, Database.Database>();
  /** tenant + '\0' + canonical labels → series. */
  private readonly head = new Map<string, HeadSeries>();
  private readonly activePerTenant = new Map<string, number>();
  /**
   * tenant → frozen label object → series. A frozen object cannot change, so
   * its identity names one label set: decoders that share frozen label
   * objects between requests (remote write) skip the canonical key. Cleared
   * whenever a series leaves the head.
   */
  private byLabelObject = new Map<string, WeakMap<SeriesLabels, HeadSeries>>();
  private readonly stmts;

  constructor(options: TsdbOptions) {
    this.dir = options.dir;
    this.retentionDays = options.retentionDays ?? 30;
    this.limits = Object.freeze({ ...defaultTsdbLimits, ...options.limits });
    for (const [k, v] of Object.entries(this.limits)) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`tsdb limit ${k} must be a positive integer, got ${v}`);
    }
    if (!Number.isInteger(this.retentionDays) || this.retentionDays <= 0) {
      throw new Error(`tsdb retentionDays must be a positive integer, got ${this.retentionDays}`);
    }
    this.idleMs = options.idleMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
    this.index = openWritable(indexPath(this.dir), indexSchema);
    this.stmts = {
      findSeries: this.index.prepare<[string, string], { id: number; last_t: number | null; last_v: Buffer | null }>(
        'SELECT id, last_t, last_v FROM series WHERE tenant = ? AND labels = ?',
      ),
      insertSeries: this.index.prepare<[string, string]>('INSERT INTO series (tenant, labels) VALUES (?, ?)'),
      insertPosting: this.index.prepare<[string, string, string, number]>(
        'INSERT OR IGNORE INTO postings (tenant, name, value, series_id) VALUES (?, ?, ?, ?)',
      ),
      upsertHead: this.index.prepare<[number, number, number, number, Uint8Array]>(
        'INSERT OR REPLACE INTO head_chunks (series_id, min_t, max_t, count, data) VALUES (?, ?, ?, ?, ?)',
      ),
      deleteHead: this.index.prepare<[number]>('DELETE FROM head_chunks WHERE series_id = ?'),
      setLast: this.index.prepare<[number, Buffer, number]>('UPDATE series SET last_t = ?, last_v = ? WHERE id = ?'),
    };
    this.replay();
  }

  /** Series in the head for a tenant (what maxSeriesPerTenant limits). */
  activeSeries(tenant: string): number {
    return this.activePerTenant.get(tenant) ?? 0;
  }

  append(tenant: string, series: Series[]): void {
    const rejections: SampleRejection[] = [];
    const touched = new Set<HeadSeries>();
    const closed = new Map<number, ClosedChunk[]>();
    const oldest = (dayOf(this.now()) - this.retentionDays + 1) * DAY_MS;
    let accepted = 0;

    let known = this.byLabelObject.get(tenant);
    if (known === undefined) this.byLabelObject.set(tenant, (known = new WeakMap()));
    const resolved: (HeadSeries | undefined)[] = new Array(series.length);
    const misses: number[] = [];
    for (let i = 0; i < series.length; i++) {
      const hs = known.get(series[i].labels);
      if (hs !== undefined) resolved[i] = hs;
      else misses.push(i);
    }
    if (misses.length > 0) {
      this.index.transaction(() => {
        for (const i of misses) {
          const labels = series[i].labels;
          const hs = this.resolve(tenant, labels, rejections);
          resolved[i] = hs;
          if (hs !== undefined && Object.isFrozen(labels)) known.set(labels, hs);
        }
      })();
    }

    try {
      for (let i = 0; i < series.length; i++) {
        const hs = resolved[i];
        if (hs === undefined) continue;
        for (const { t, v } of series[i].samples) {
          if (!Number.isSafeInteger(t)) {
            rejections.push(reject('invalid_timestamp', hs.labels, `invalid timestamp ${t}`));
            continue;
          }
          if (t < oldest) {
            rejections.push(
              reject('sample_too_old', hs.labels, `sample at ${new Date(t).toISOString()} is older than the ${this.retentionDays}-day retention`),
            );
            continue;
          }
          if (t <= hs.lastT) {
            if (t === hs.lastT) {
              if (sameBits(v, hs.lastV)) continue; // an identical re-send, as Prometheus ignores it
              rejections.push(
                reject('duplicate_sample_for_timestamp', hs.labels, `duplicate sample for timestamp ${t} with a different value`),
              );
            } else {
              rejections.push(
                reject('out_of_order_sample', hs.labels, `out of order sample: timestamp ${t} is older than the series' last ${hs.lastT}`),
              );
            }
            continue;
          }
          const enc = hs.enc;
          if (
            enc.count > 0 &&
            (enc.count >= MAX_SAMPLES_PER_CHUNK || t - enc.minT >= MAX_CHUNK_SPAN_MS || dayOf(t) !== dayOf(enc.minT))
          ) {
            const day = dayOf(enc.minT);
            let list = closed.get(day);
            if (list === undefined) closed.set(day, (list = []));
            list.push({ seriesId: hs.id, minT: enc.minT, maxT: enc.maxT, count: enc.count, data: enc.bytes().slice() });
            hs.enc = new ChunkEncoder();
          }
          hs.enc.append(t, v);
          hs.lastT = t;
          hs.lastV = v;
          touched.add(hs);
          accepted++;
        }
      }
      // Closed chunks first, then the head rows that replace them.
      for (const [day, chunks] of closed) this.writeChunks(day, chunks);
      this.index.transaction(() => {
        for (const hs of touched) {
          const enc = hs.enc;
          this.stmts.upsertHead.run(hs.id, enc.minT, enc.maxT, enc.count, enc.bytes());
        }
      })();
    } catch (err) {
      // Memory may be ahead of disk: rebuild the head from what is durable.
      this.reloadHead();
      throw err;
    }
    if (rejections.length > 0) throw new TsdbAppendError(rejections, accepted);
  }

  /**
   * Housekeeping, called periodically: flushes the open chunks of series idle
   * for idleMs (they stop counting as active) and deletes day files older
   * than the retention. Returns what it did.
   */
  maintain(): { flushedSeries: number; droppedDays: string[] } {
    const now = this.now();
    const idle: HeadSeries[] = [];
    for (const hs of this.head.values()) if (hs.lastT < now - this.idleMs) idle.push(hs);
    const byDay = new Map<number, ClosedChunk[]>();
    for (const hs of idle) {
      const enc = hs.enc;
      if (enc.count === 0) continue;
      const day = dayOf(enc.minT);
      let list = byDay.get(day);
      if (list === undefined) byDay.set(day, (list = []));
      list.push({ seriesId: hs.id, minT: enc.minT, maxT: enc.maxT, count: enc.count, data: enc.bytes().slice() });
    }
    for (const [day, chunks] of byDay) this.writeChunks(day, chunks);
    this.index.transaction(() => {
      for (const hs of idle) {
        this.stmts.setLast.run(hs.lastT, valueToBlob(hs.lastV), hs.id);
        this.stmts.deleteHead.run(hs.id);
      }
    })();
    for (const hs of idle) this.forget(hs);
    return { flushedSeries: idle.length, droppedDays: this.dropExpired(now) };
  }

  /** Closes connections. The head stays in head_chunks and is replayed on the next start. */
  close(): void {
    for (const db of this.dayDbs.values()) db.close();
    this.dayDbs.clear();
    this.index.close();
  }

  private dropExpired(now: number): string[] {
    const oldestKept = dayOf(now) - this.retentionDays + 1;
    const dropped: string[] = [];
    let names: string[];
    try {
      names = readdirSync(chunksDir(this.dir));
    } catch {
      return dropped;
    }
    for (const name of names) {
      const day = dayOfFileName(name);
      if (day === undefined || day >= oldestKept) continue;
      this.dayDbs.get(day)?.close();
      this.dayDbs.delete(day);
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(chunksDir(this.dir), name + suffix), { force: true });
      dropped.push(name);
    }
    return dropped;
  }

  private resolve(tenant: string, labels: SeriesLabels, rejections: SampleRejection[]): HeadSeries | undefined {
    const canonical = canonicalLabels(labels);
    const key = `${tenant}\u0000${canonical}`;
    const found = this.head.get(key);
    if (found !== undefined) return found;

    const names = Object.keys(labels);
    const limits = this.limits;
    if (names.length > limits.maxLabelsPerSeries) {
      rejections.push(
        reject('max_labels_per_series', labels, `series has ${names.length} labels, more than the limit max_labels_per_series=${limits.maxLabelsPerSeries}`),
      );
      return undefined;
    }
    for (const name of names) {
      if (name.length > limits.maxLabelNameLength) {
        rejections.push(
          reject('max_label_name_length', labels, `label name ${JSON.stringify(name.slice(0, 64))}… is ${name.length} characters, more than the limit max_label_name_length=${limits.maxLabelNameLength}`),
        );
        return undefined;
      }
      const value = labels[name];
      if (value.length > limits.maxLabelValueLength) {
        rejections.push(
          reject('max_label_value_length', { __name__: labels.__name__ ?? '' }, `value of label ${name} is ${value.length} characters, more than the limit max_label_value_length=${limits.maxLabelValueLength}`),
        );
        return undefined;
      }
    }
    if (!labels.__name__) {
      rejections.push(reject('missing_metric_name', labels, 'series has no __name__ label'));
      return undefined;
    }
    const active = this.activeSeries(tenant);
    if (active >= limits.maxSeriesPerTenant) {
      rejections.push(
        reject('max_series_per_tenant', labels, `tenant ${JSON.stringify(tenant)} has ${active} active series, the limit max_series_per_tenant=${limits.maxSeriesPerTenant}`),
      );
      return undefined;
    }

    let id: number;
    let lastT = -Infinity;
    let lastV = 0;
    const row = this.stmts.findSeries.get(tenant, canonical);
    if (row !== undefined) {
      id = row.id;
      if (row.last_t !== null && row.last_v !== null) {
        lastT = row.last_t;
        lastV = blobToValue(row.last_v);
      }
    } else {
      id = Number(this.stmts.insertSeries.run(tenant, canonical).lastInsertRowid);
      for (const name of names) this.stmts.insertPosting.run(tenant, name, labels[name], id);
    }
    const hs: HeadSeries = { id, tenant, labels: { ...labels }, enc: new ChunkEncoder(), lastT, lastV };
    this.head.set(key, hs);
    this.activePerTenant.set(tenant, active + 1);
    return hs;
  }

  private forget(hs: HeadSeries): void {
    this.byLabelObject.clear();
    this.head.delete(`${hs.tenant}\u0000${canonicalLabels(hs.labels)}`);
    this.activePerTenant.set(hs.tenant, this.activeSeries(hs.tenant) - 1);
  }

  private dayDb(day: number): Database.Database {
    let db = this.dayDbs.get(day);
    if (db === undefined) {
      db = openWritable(join(chunksDir(this.dir), dayFileName(day)), chunkSchema);
      this.dayDbs.set(day, db);
    }
    return db;
  }

  private writeChunks(day: number, chunks: ClosedChunk[]): void {
    const db = this.dayDb(day);
    const insert = db.prepare<[number, number, number, number, Uint8Array]>(
      'INSERT OR IGNORE INTO chunks (series_id, min_t, max_t, count, data) VALUES (?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (const c of chunks) insert.run(c.seriesId, c.minT, c.maxT, c.count, c.data);
    })();
  }

  private reloadHead(): void {
    this.head.clear();
    this.activePerTenant.clear();
    this.byLabelObject.clear();
    this.replay();
  }

  /** Rebuilds the head from head_chunks; rows already flushed (crash between the two commits) are dropped. */
  private replay(): void {
    const rows = this.index
      .prepare<[], { id: number; tenant: string; labels: string; min_t: number; max_t: number; count: number; data: Buffer }>(
        `SELECT s.id, s.tenant, s.labels, h.min_t, h.max_t, h.count, h.data
           FROM head_chunks h JOIN series s ON s.id = h.series_id`,
      )
      .all();
    const stale: HeadSeries[] = [];
    let files: Set<string>;
    try {
      files = new Set(readdirSync(chunksDir(this.dir)));
    } catch {
      files = new Set();
    }
    for (const row of rows) {
      const labels = JSON.parse(row.labels) as SeriesLabels;
      const enc = new ChunkEncoder();
      const samples = decodeChunk(row.data, row.count);
      for (const s of samples) enc.append(s.t, s.v);
      const last = samples[samples.length - 1];
      const hs: HeadSeries = { id: row.id, tenant: row.tenant, labels, enc, lastT: last.t, lastV: last.v };
      this.head.set(`${row.tenant}\u0000${row.labels}`, hs);
      this.activePerTenant.set(row.tenant, this.activeSeries(row.tenant) + 1);
      if (files.has(dayFileName(dayOf(row.min_t))) && this.isFlushed(row.id, row.min_t)) stale.push(hs);
    }
    if (stale.length === 0) return;
    this.index.transaction(() => {
      for (const hs of stale) {
        this.stmts.setLast.run(hs.lastT, valueToBlob(hs.lastV), hs.id);
        this.stmts.deleteHead.run(hs.id);
        hs.enc = new ChunkEncoder();
      }
    })();
  }

  private isFlushed(seriesId: number, minT: number): boolean {
    return this.dayDb(dayOf(minT)).prepare('SELECT 1 FROM chunks WHERE series_id = ? AND min_t = ?').get(seriesId, minT) !== undefined;
  }
}

function reject(reason: SampleRejection['reason'], labels: SeriesLabels, message: string): SampleRejection {
  const series = formatSeries(labels);
  return { reason, series, message: `${message}, series ${series}` };
}
