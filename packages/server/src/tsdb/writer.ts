/**
 * The metrics store's single writer (main thread): series index, head and
 * chunk files. Implements SampleAppender.
 *
 * The head keeps one open chunk per active series and is made durable in
 * two steps. Every append() adds one `head_log` row holding the
 * samples it accepted, committed before append() returns (WAL mode,
 * synchronous=NORMAL, as the log store: a 2xx survives kill -9). flushHead()
 * writes the open chunk of each series touched since the last flush to
 * `head_chunks` and empties head_log, in one transaction. Query workers read
 * recent samples from head_chunks (no shared memory), so whoever hands them a
 * query calls flushHead() first; main.ts also flushes every second so that
 * head_log stays short. Rewriting each touched chunk on every append was most
 * of remote write's cost: a Prometheus request touches 2,000 series with one
 * sample each. Once flushed, a chunk's bytes are in its head_chunks row and
 * the encoder keeps only its last byte. A restart decodes head_chunks and
 * replays head_log.
 *
 * A chunk is cut at 120 samples, 2 h, or the UTC day boundary; the closed
 * chunk is written to `chunks/<day>.db` (committed) before the head row is
 * replaced, so a reader that sees the new head row also sees the old chunk.
 * A crash in between leaves the chunk in both places; replay and readers
 * de-duplicate (samples are strictly increasing per series). Once a day is
 * over, maintain() compacts its file into larger chunks (compact.ts).
 */
import type Database from 'better-sqlite3';
import { ChunkEncoder, decodeChunk, MAX_CHUNK_SPAN_MS, MAX_SAMPLES_PER_CHUNK } from './chunk.ts';
import { Compactor } from './compact.ts';
import { DayFiles, type ClosedChunk } from './day-files.ts';
import { rejection, TsdbAppendError, type SampleRejection } from './errors.ts';
import { HeadIndex } from './head-index.ts';
import { checkNewSeries, defaultTsdbLimits, type TsdbLimits } from './limits.ts';
import { toSampleBatch, type SampleAppender, type SampleBatch, type Series, type SeriesLabels } from './model.ts';
import {
  blobToValue,
  canonicalLabels,
  chunkFileNames,
  compactedFileName,
  dayFileName,
  dayOf,
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
  /**
   * Time one maintain() call may spend compacting a finished day file
   * (default 200 ms; at least one series is compacted per call).
   */
  compactionBudgetMs?: number;
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
  private readonly compactor: Compactor;
  private readonly now: () => number;
  private readonly index: Database.Database;
  private readonly days: DayFiles;
  /** tenant and canonical labels → series. */
  private readonly head = new HeadIndex<HeadSeries>();
  private readonly activePerTenant = new Map<string, number>();
  /**
   * tenant → frozen label object → series. A frozen object cannot change, so
   * its identity names one label set: decoders that share frozen label
   * objects between requests (remote write) skip the canonical key. Cleared
   * whenever a series leaves the head.
   */
  private byLabelObject = new Map<string, WeakMap<SeriesLabels, HeadSeries>>();
  /** Series whose open chunk changed since head_chunks was last written. */
  private readonly dirty = new Set<HeadSeries>();
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
    this.days = new DayFiles(this.dir);
    this.compactor = new Compactor(this.dir, options.compactionBudgetMs ?? 200, this.days);
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
      // `stored`: leading bytes of the chunk already in the row, which the encoder has forgotten (0: a new chunk).
      // `||` makes TEXT of its operands; the CAST keeps the bytes a BLOB (query workers decode Buffers).
      upsertHead: this.index.prepare<{ id: number; minT: number; maxT: number; count: number; stored: number; held: Uint8Array }>(
        `INSERT INTO head_chunks (series_id, min_t, max_t, count, data) VALUES (@id, @minT, @maxT, @count, @held)
           ON CONFLICT (series_id) DO UPDATE SET min_t = @minT, max_t = @maxT, count = @count,
             data = CASE WHEN @stored = 0 THEN @held ELSE CAST(substr(data, 1, @stored) || @held AS BLOB) END`,
      ),
      storedBytes: this.index.prepare<[number, number], { data: Buffer }>('SELECT substr(data, 1, ?) AS data FROM head_chunks WHERE series_id = ?'),
      deleteHead: this.index.prepare<[number]>('DELETE FROM head_chunks WHERE series_id = ?'),
      insertLog: this.index.prepare<[Buffer]>('INSERT INTO head_log (data) VALUES (?)'),
      clearLog: this.index.prepare('DELETE FROM head_log'),
      setLast: this.index.prepare<[number, Buffer, number]>('UPDATE series SET last_t = ?, last_v = ? WHERE id = ?'),
    };
    this.replay();
  }

  /** Series in the head for a tenant (what maxSeriesPerTenant limits). */
  activeSeries(tenant: string): number {
    return this.activePerTenant.get(tenant) ?? 0;
  }

  append(tenant: string, series: Series[]): void {
    this.appendBatch(tenant, toSampleBatch(series));
  }

  appendBatch(tenant: string, batch: SampleBatch): void {
    const rejections: SampleRejection[] = [];
    const closed = new Map<number, ClosedChunk[]>();
    const oldest = (dayOf(this.now()) - this.retentionDays + 1) * DAY_MS;
    const resolved = this.resolveAll(tenant, batch.labels, rejections);
    const { start, t: times, v: values } = batch;
    const log = new Float64Array(times.length * 3);
    let accepted = 0;
    try {
      for (let i = 0; i < resolved.length; i++) {
        const hs = resolved[i];
        if (hs === undefined) continue;
        for (let k = start[i]; k < start[i + 1]; k++) {
          const t = times[k];
          const v = values[k];
          const problem = this.checkSample(hs, t, v, oldest);
          if (problem === 'skip') continue;
          if (problem !== undefined) {
            rejections.push(problem);
            continue;
          }
          this.appendSample(hs, t, v, closed);
          log[accepted * 3] = hs.id;
          log[accepted * 3 + 1] = t;
          log[accepted * 3 + 2] = v;
          accepted++;
        }
      }
      // Closed chunks first: a log row never names samples of a chunk not yet on disk.
      this.days.writeByDay(closed);
      if (accepted > 0) this.stmts.insertLog.run(Buffer.from(log.buffer, 0, accepted * 24));
    } catch (err) {
      // Memory may be ahead of disk: rebuild the head from what is durable.
      this.reloadHead();
      throw err;
    }
    if (rejections.length > 0) throw new TsdbAppendError(rejections, accepted);
  }

  /**
   * Writes the open chunks changed since the last flush to head_chunks, where
   * query workers read them. Each encoder then forgets the bytes stored
   * there: the head holds a few bytes per series, and a chunk's bytes are
   * read back from its row when it is cut (openChunkBytes).
   */
  flushHead(): void {
    if (this.dirty.size === 0) return;
    this.index.transaction(() => {
      for (const hs of this.dirty) {
        const enc = hs.enc;
        if (enc.count === 0) continue;
        this.stmts.upsertHead.run({ id: hs.id, minT: enc.minT, maxT: enc.maxT, count: enc.count, stored: enc.forgottenBytes, held: enc.heldBytes() });
      }
      this.stmts.clearLog.run();
    })();
    for (const hs of this.dirty) hs.enc.forgetStored();
    this.dirty.clear();
  }

  /** Adds the series' open chunk, as it is, to the chunks to write to its day's file. */
  private closeOpenChunk(hs: HeadSeries, byDay: Map<number, ClosedChunk[]>): void {
    const enc = hs.enc;
    const day = dayOf(enc.minT);
    let list = byDay.get(day);
    if (list === undefined) byDay.set(day, (list = []));
    list.push({ seriesId: hs.id, minT: enc.minT, maxT: enc.maxT, count: enc.count, data: this.openChunkBytes(hs) });
  }

  /** The whole open chunk of a series: the bytes its head row holds, then those only in memory. */
  private openChunkBytes(hs: HeadSeries): Uint8Array {
    const enc = hs.enc;
    const held = enc.heldBytes();
    const stored = enc.forgottenBytes;
    if (stored === 0) return held.slice();
    const row = this.stmts.storedBytes.get(stored, hs.id);
    if (row === undefined || row.data.length !== stored) throw new Error(`series ${hs.id}: head_chunks holds ${row?.data.length ?? 0} of its chunk's first ${stored} bytes`);
    const bytes = new Uint8Array(stored + held.length);
    bytes.set(row.data);
    bytes.set(held, stored);
    return bytes;
  }

  /** Each series' head entry (undefined when rejected), new series created in one transaction. */
  private resolveAll(tenant: string, labelSets: SeriesLabels[], rejections: SampleRejection[]): (HeadSeries | undefined)[] {
    let known = this.byLabelObject.get(tenant);
    if (known === undefined) this.byLabelObject.set(tenant, (known = new WeakMap()));
    const resolved: (HeadSeries | undefined)[] = new Array(labelSets.length);
    const misses: number[] = [];
    for (let i = 0; i < labelSets.length; i++) {
      const hs = known.get(labelSets[i]);
      if (hs !== undefined) resolved[i] = hs;
      else misses.push(i);
    }
    if (misses.length === 0) return resolved;
    this.index.transaction(() => {
      for (const i of misses) {
        const labels = labelSets[i];
        const hs = this.resolve(tenant, labels, rejections);
        resolved[i] = hs;
        if (hs !== undefined && Object.isFrozen(labels)) known.set(labels, hs);
      }
    })();
    return resolved;
  }

  /** Why a sample cannot be appended, 'skip' for an identical re-send (as Prometheus ignores it). */
  private checkSample(hs: HeadSeries, t: number, v: number, oldest: number): SampleRejection | 'skip' | undefined {
    if (!Number.isSafeInteger(t)) return rejection('invalid_timestamp', hs.labels, `invalid timestamp ${t}`);
    if (t < oldest) {
      return rejection('sample_too_old', hs.labels, `sample at ${new Date(t).toISOString()} is older than the ${this.retentionDays}-day retention`);
    }
    if (t > hs.lastT) return undefined;
    if (t < hs.lastT) {
      return rejection('out_of_order_sample', hs.labels, `out of order sample: timestamp ${t} is older than the series' last ${hs.lastT}`);
    }
    if (sameBits(v, hs.lastV)) return 'skip';
    return rejection('duplicate_sample_for_timestamp', hs.labels, `duplicate sample for timestamp ${t} with a different value`);
  }

  /** Appends to the open chunk, cutting it (into `closed`) at 120 samples, 2 h or a UTC day. */
  private appendSample(hs: HeadSeries, t: number, v: number, closed: Map<number, ClosedChunk[]>): void {
    const enc = hs.enc;
    if (enc.count > 0 && (enc.count >= MAX_SAMPLES_PER_CHUNK || t - enc.minT >= MAX_CHUNK_SPAN_MS || dayOf(t) !== dayOf(enc.minT))) {
      this.closeOpenChunk(hs, closed);
      enc.clear(); // empty for the next chunk
    }
    enc.append(t, v);
    hs.lastT = t;
    hs.lastV = v;
    this.dirty.add(hs);
  }

  /**
   * Housekeeping, called periodically: flushes the open chunks of series idle
   * for idleMs (they stop counting as active), deletes day files older
   * than the retention and compacts finished days (compact.ts), a step per
   * call. Returns what it did.
   */
  maintain(): { flushedSeries: number; droppedDays: string[]; compactedDay?: string } {
    this.flushHead(); // head_log then names no series that leaves the head
    const now = this.now();
    const idle: HeadSeries[] = [];
    for (const hs of this.head.values()) if (hs.lastT < now - this.idleMs) idle.push(hs);
    const byDay = new Map<number, ClosedChunk[]>();
    for (const hs of idle) if (hs.enc.count > 0) this.closeOpenChunk(hs, byDay);
    this.days.writeByDay(byDay);
    this.index.transaction(() => {
      for (const hs of idle) {
        this.stmts.setLast.run(hs.lastT, valueToBlob(hs.lastV), hs.id);
        this.stmts.deleteHead.run(hs.id);
      }
    })();
    for (const hs of idle) this.forget(hs);
    const droppedDays = this.days.dropBefore(dayOf(now) - this.retentionDays + 1, (day) => this.compactor.forgetDay(day));
    return { flushedSeries: idle.length, droppedDays, compactedDay: this.compactor.maintain(now, this.openChunkDays()) };
  }

  /** Closes connections. The head stays in head_chunks and is replayed on the next start. */
  close(): void {
    this.flushHead();
    this.releaseHead();
    this.compactor.close();
    this.days.closeAll();
    this.index.close();
  }

  /** Days in which a head chunk starts: not finished, so not compacted. */
  private openChunkDays(): Set<number> {
    const open = new Set<number>();
    for (const hs of this.head.values()) if (hs.enc.count > 0) open.add(dayOf(hs.enc.minT));
    return open;
  }

  private resolve(tenant: string, labels: SeriesLabels, rejections: SampleRejection[]): HeadSeries | undefined {
    const canonical = canonicalLabels(labels);
    const found = this.head.get(tenant, canonical, labels);
    if (found !== undefined) return found;

    const active = this.activeSeries(tenant);
    const refused = checkNewSeries(tenant, labels, this.limits, active);
    if (refused !== undefined) {
      rejections.push(refused);
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
      for (const name of Object.keys(labels)) this.stmts.insertPosting.run(tenant, name, labels[name], id);
    }
    // A frozen label object cannot change under us: kept as it is, not copied (remote write's are shared).
    const own = Object.isFrozen(labels) ? labels : { ...labels };
    const hs: HeadSeries = { id, tenant, labels: own, enc: new ChunkEncoder(), lastT, lastV };
    this.head.add(tenant, canonical, hs);
    this.activePerTenant.set(tenant, active + 1);
    return hs;
  }

  private forget(hs: HeadSeries): void {
    hs.enc.release();
    this.byLabelObject.clear();
    this.head.delete(hs.tenant, canonicalLabels(hs.labels), hs);
    this.activePerTenant.set(hs.tenant, this.activeSeries(hs.tenant) - 1);
  }

  /** Open chunks' bytes live in shared slabs (cell-slab.ts): given back when the head is dropped. */
  private releaseHead(): void {
    for (const hs of this.head.values()) hs.enc.release();
  }

  private reloadHead(): void {
    this.releaseHead();
    this.head.clear();
    this.dirty.clear();
    this.activePerTenant.clear();
    this.byLabelObject.clear();
    this.replay();
  }

  /**
   * Rebuilds the head from head_chunks, then replays head_log. A head row
   * whose chunk is already in a day file (a crash between the two commits,
   * or a row older than the cut) is dropped, the series resuming after that
   * chunk.
   */
  private replay(): void {
    const rows = this.index
      .prepare<[], { id: number; tenant: string; labels: string; min_t: number; max_t: number; count: number; data: Buffer }>(
        `SELECT s.id, s.tenant, s.labels, h.min_t, h.max_t, h.count, h.data
           FROM head_chunks h JOIN series s ON s.id = h.series_id`,
      )
      .all();
    const files = chunkFileNames(this.dir);
    const byId = new Map<number, HeadSeries>();
    const flushed: { hs: HeadSeries; chunk: { max_t: number; count: number; data: Buffer } }[] = [];
    for (const row of rows) {
      const enc = new ChunkEncoder();
      const samples = decodeChunk(row.data, row.count);
      for (const s of samples) enc.append(s.t, s.v);
      const last = samples[samples.length - 1];
      const hs = this.addToHead(row.id, row.tenant, row.labels, last.t, last.v);
      hs.enc = enc;
      // Rewritten by the flush that ends replay, from this encoder's bytes (an older version may have encoded the row
      // differently), after which the encoder forgets them as every flush does.
      this.dirty.add(hs);
      byId.set(hs.id, hs);
      const day = dayOf(row.min_t);
      const onDisk = files.has(dayFileName(day)) || files.has(compactedFileName(day));
      const chunk = onDisk ? this.days.chunk(row.id, row.min_t) : undefined;
      if (chunk !== undefined) flushed.push({ hs, chunk });
    }
    if (flushed.length > 0) {
      this.index.transaction(() => {
        for (const { hs, chunk } of flushed) {
          const samples = decodeChunk(chunk.data, chunk.count);
          hs.lastT = chunk.max_t;
          hs.lastV = samples[samples.length - 1].v;
          hs.enc.release();
          this.stmts.setLast.run(hs.lastT, valueToBlob(hs.lastV), hs.id);
          this.stmts.deleteHead.run(hs.id);
        }
      })();
    }
    this.replayLog(byId);
  }

  /** Re-applies the samples of head_log (those after each series' last one), then flushes the head. */
  private replayLog(byId: Map<number, HeadSeries>): void {
    const closed = new Map<number, ClosedChunk[]>();
    const findSeries = this.index.prepare<[number], { tenant: string; labels: string; last_t: number | null; last_v: Buffer | null }>(
      'SELECT tenant, labels, last_t, last_v FROM series WHERE id = ?',
    );
    for (const row of this.index.prepare<[], { data: Buffer }>('SELECT data FROM head_log ORDER BY seq').iterate()) {
      // Copied: a BLOB's bytes need not be 8-byte aligned for a Float64Array.
      const log = new Float64Array(new Uint8Array(row.data).buffer);
      for (let k = 0; k + 2 < log.length; k += 3) {
        const id = log[k];
        let hs = byId.get(id);
        if (hs === undefined) {
          const s = findSeries.get(id);
          if (s === undefined) continue;
          hs = this.addToHead(id, s.tenant, s.labels, s.last_t ?? -Infinity, s.last_v === null ? 0 : blobToValue(s.last_v));
          byId.set(id, hs);
        }
        if (log[k + 1] > hs.lastT) this.appendSample(hs, log[k + 1], log[k + 2], closed);
      }
    }
    this.days.writeByDay(closed);
    this.flushHead();
  }

  private addToHead(id: number, tenant: string, canonical: string, lastT: number, lastV: number): HeadSeries {
    const hs: HeadSeries = { id, tenant, labels: JSON.parse(canonical) as SeriesLabels, enc: new ChunkEncoder(), lastT, lastV };
    this.head.add(tenant, canonical, hs);
    this.activePerTenant.set(tenant, this.activeSeries(tenant) + 1);
    return hs;
  }
}
