/**
 * SeriesQuerier over the SQLite metrics store, for one tenant. Constructed
 * inside a query worker: it opens its own read-only connections.
 *
 * Recent samples are read from `head_chunks` (the writer rewrites each
 * touched series' open chunk there before append() returns), older ones from
 * the day files. The head rows and the series index are read in one read
 * transaction, and the day files after it: the writer commits a closed chunk
 * to its day file before replacing the head row, so reading in this order
 * can see a chunk twice (de-duplicated by time) but never miss one.
 */
import type Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileMatcher, compileMatchers } from '../logql/matchers.ts';
import type { LabelMatcher } from '../logql/source.ts';
import { decodeChunk } from './chunk.ts';
import type { Sample, Series, SeriesLabels, SeriesQuerier } from './model.ts';
import { chunksDir, dayOf, dayOfFileName, indexPath, openReadonly } from './schema.ts';

export interface TsdbQuerierOptions {
  /** The store's directory, e.g. `data/metrics`. */
  dir: string;
  tenant: string;
}

interface ChunkRow {
  series_id: number;
  min_t: number;
  max_t: number;
  count: number;
  data: Buffer;
}

export class TsdbQuerier implements SeriesQuerier {
  private readonly dir: string;
  private readonly tenant: string;
  private index: Database.Database | undefined;
  private readonly dayDbs = new Map<number, Database.Database>();

  constructor(options: TsdbQuerierOptions) {
    this.dir = options.dir;
    this.tenant = options.tenant;
  }

  select(matchers: LabelMatcher[], startMs: number, endMs: number): Series[] {
    const { series, head } = this.snapshot(matchers, startMs, endMs, true);
    if (series.size === 0) return [];
    const chunks = new Map<number, ChunkRow[]>();
    for (const id of series.keys()) chunks.set(id, []);
    // One statement per day file for all series (ids sorted, so the index is walked in order).
    const ids = idList(series.keys());
    for (const db of this.dayFiles(startMs, endMs)) {
      const stmt = db.prepare<[string, number, number], ChunkRow>(
        `SELECT series_id, min_t, max_t, count, data FROM chunks
          WHERE series_id IN (SELECT value FROM json_each(?)) AND min_t <= ? AND max_t >= ?`,
      );
      for (const row of stmt.iterate(ids, endMs, startMs)) chunks.get(row.series_id)?.push(row);
    }
    const out: Series[] = [];
    for (const [id, labels] of series) {
      const list = chunks.get(id)!;
      const h = head.get(id);
      if (h !== undefined) list.push(h);
      list.sort((a, b) => a.min_t - b.min_t);
      const samples: Sample[] = [];
      let last = -Infinity;
      for (const c of list) {
        if (c.max_t <= last) continue; // already read (seen in both the head and a day file)
        const from = Math.max(startMs, last + 1);
        decodeChunk(c.data, c.count, samples, from, endMs);
        if (samples.length > 0) last = samples[samples.length - 1].t;
      }
      if (samples.length > 0) out.push({ labels, samples });
    }
    return out;
  }

  labelNames(matchers: LabelMatcher[], startMs: number, endMs: number): string[] {
    const names = new Set<string>();
    for (const labels of this.seriesWithData(matchers, startMs, endMs)) for (const n of Object.keys(labels)) names.add(n);
    return [...names].sort();
  }

  labelValues(name: string, matchers: LabelMatcher[], startMs: number, endMs: number): string[] {
    const values = new Set<string>();
    for (const labels of this.seriesWithData(matchers, startMs, endMs)) {
      const v = labels[name];
      if (v !== undefined && v !== '') values.add(v);
    }
    return [...values].sort();
  }

  close(): void {
    for (const db of this.dayDbs.values()) db.close();
    this.dayDbs.clear();
    this.index?.close();
    this.index = undefined;
  }

  /** Label sets of matching series that have a sample in the range (by chunk bounds). */
  private seriesWithData(matchers: LabelMatcher[], startMs: number, endMs: number): SeriesLabels[] {
    const { series, head } = this.snapshot(matchers, startMs, endMs, false);
    const found = new Set<number>();
    for (const id of head.keys()) if (series.has(id)) found.add(id);
    for (const db of this.dayFiles(startMs, endMs)) {
      const stmt = db.prepare<[{ start: number; end: number }], { series_id: number }>(
        // The (series_id, min_t) index covers this except for chunks starting before the range.
        'SELECT DISTINCT series_id FROM chunks WHERE min_t <= @end AND (min_t >= @start OR max_t >= @start)',
      );
      for (const row of stmt.iterate({ start: startMs, end: endMs })) if (series.has(row.series_id)) found.add(row.series_id);
    }
    return [...found].map((id) => series.get(id)!);
  }

  /** Matching series and their head chunks overlapping the range, read in one transaction. */
  private snapshot(
    matchers: LabelMatcher[],
    startMs: number,
    endMs: number,
    withData: boolean,
  ): { series: Map<number, SeriesLabels>; head: Map<number, ChunkRow> } {
    const db = this.indexDb();
    if (db === undefined) return { series: new Map(), head: new Map() };
    return db.transaction(() => {
      const series = this.match(db, matchers);
      const head = new Map<number, ChunkRow>();
      if (series.size === 0) return { series, head };
      const stmt = db.prepare<[string, number, number], ChunkRow>(
        `SELECT series_id, min_t, max_t, count, ${withData ? 'data' : "x'' AS data"} FROM head_chunks
          WHERE series_id IN (SELECT value FROM json_each(?)) AND min_t <= ? AND max_t >= ?`,
      );
      for (const row of stmt.iterate(idList(series.keys()), endMs, startMs)) head.set(row.series_id, row);
      return { series, head };
    })();
  }

  /**
   * Equality matchers (non-empty value) use postings; regex matchers that
   * cannot match "" scan the values of their label name; matchers that match
   * the empty string (`!=`, `!~`, `=~".*"`) only filter. Every candidate is
   * then checked against all matchers with the engine's own predicates.
   */
  private match(db: Database.Database, matchers: LabelMatcher[]): Map<number, SeriesLabels> {
    let candidates: Set<number> | undefined;
    const byValue = db.prepare<[string, string, string], { series_id: number }>(
      'SELECT series_id FROM postings WHERE tenant = ? AND name = ? AND value = ?',
    );
    const values = db.prepare<[string, string], { value: string }>(
      'SELECT DISTINCT value FROM postings WHERE tenant = ? AND name = ?',
    );
    for (const m of matchers) {
      const test = compileMatcher(m);
      if (test('')) continue;
      const ids = new Set<number>();
      const wanted = m.op === '=' ? [m.value] : values.all(this.tenant, m.name).map((r) => r.value).filter(test);
      for (const value of wanted) {
        for (const row of byValue.iterate(this.tenant, m.name, value)) {
          if (candidates === undefined || candidates.has(row.series_id)) ids.add(row.series_id);
        }
      }
      candidates = ids;
      if (ids.size === 0) return new Map();
    }
    const test = compileMatchers(matchers);
    const out = new Map<number, SeriesLabels>();
    if (candidates === undefined) {
      const all = db.prepare<[string], { id: number; labels: string }>('SELECT id, labels FROM series WHERE tenant = ?');
      for (const row of all.iterate(this.tenant)) {
        const labels = JSON.parse(row.labels) as SeriesLabels;
        if (test(labels)) out.set(row.id, labels);
      }
      return out;
    }
    const some = db.prepare<[string, string], { id: number; labels: string }>(
      'SELECT id, labels FROM series WHERE id IN (SELECT value FROM json_each(?)) AND tenant = ?',
    );
    const found: { id: number; labels: string }[] = some.all(idList(candidates), this.tenant);
    found.sort((a, b) => a.id - b.id);
    for (const row of found) {
      const labels = JSON.parse(row.labels) as SeriesLabels;
      if (test(labels)) out.set(row.id, labels);
    }
    return out;
  }

  private indexDb(): Database.Database | undefined {
    if (this.index === undefined) {
      try {
        this.index = openReadonly(indexPath(this.dir));
      } catch {
        return undefined; // nothing written yet
      }
    }
    return this.index;
  }

  /** Day files that may hold chunks overlapping the range (a chunk lives in the file of its first sample's day). */
  private dayFiles(startMs: number, endMs: number): Database.Database[] {
    let names: string[];
    try {
      names = readdirSync(chunksDir(this.dir));
    } catch {
      return [];
    }
    const first = dayOf(startMs) - 1; // a chunk never spans days, but be generous at the edge
    const last = dayOf(endMs);
    const out: Database.Database[] = [];
    for (const name of names.sort()) {
      const day = dayOfFileName(name);
      if (day === undefined || day < first || day > last) continue;
      let db = this.dayDbs.get(day);
      if (db === undefined) {
        try {
          db = openReadonly(join(chunksDir(this.dir), name));
        } catch {
          continue; // deleted by retention meanwhile
        }
        this.dayDbs.set(day, db);
      }
      out.push(db);
    }
    // Connections to files retention deleted are closed.
    for (const [day, db] of this.dayDbs) {
      if (!names.some((n) => dayOfFileName(n) === day)) {
        db.close();
        this.dayDbs.delete(day);
      }
    }
    return out;
  }
}

/** Series ids as a sorted JSON array, for `IN (SELECT value FROM json_each(?))`. */
function idList(ids: Iterable<number>): string {
  return JSON.stringify([...ids].sort((a, b) => a - b));
}
