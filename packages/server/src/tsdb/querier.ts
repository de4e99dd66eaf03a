/**
 * SeriesQuerier over the SQLite metrics store, for one tenant. Constructed
 * inside a query worker: it opens its own read-only connections.
 *
 * Recent samples are read from `head_chunks` (the writer's flushHead() writes
 * the open chunks there before a query is handed out), older ones from
 * the day files. The head rows and the series index are read in one read
 * transaction, and the day files after it: the writer commits a closed chunk
 * to its day file before replacing the head row, so reading in this order
 * can see a chunk twice (de-duplicated by time) but never miss one.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { compileMatcher, compileMatchers } from '../logql/matchers.ts';
import type { LabelMatcher } from '../logql/source.ts';
import { decodeChunkInto, type SampleColumns } from './chunk.ts';
import { LabelValueInterner } from './intern.ts';
import type { Series, SeriesColumns, SeriesLabels, SeriesQuerier } from './model.ts';
import { chunkFileNames, chunksDir, compactedFileName, dayOf, dayOfFileName, indexPath, isCompactedFileName, openReadonly } from './schema.ts';

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

/** Bounds the parsed label cache (a few hundred bytes each). */
const MAX_CACHED_LABEL_SETS = 200_000;

export class TsdbQuerier implements SeriesQuerier {
  private readonly dir: string;
  private readonly tenant: string;
  private index: Database.Database | undefined;
  /** Day file connections by file name (a day may have its file and its compacted file). */
  private readonly dayDbs = new Map<string, Database.Database>();
  private readonly parsedLabels = new Map<number, SeriesLabels>();
  private readonly interner = new LabelValueInterner();
  /** Matched series by matcher set, valid while no series is added (series rows are never deleted). */
  private readonly matched = new Map<string, Map<number, SeriesLabels>>();
  private matchedUpTo = -1;

  constructor(options: TsdbQuerierOptions) {
    this.dir = options.dir;
    this.tenant = options.tenant;
  }

  select(matchers: LabelMatcher[], startMs: number, endMs: number): Series[] {
    return this.selectColumns(matchers, startMs, endMs).map(({ labels, t, v }) => ({
      labels,
      samples: Array.from(t, (time, i) => ({ t: time, v: v[i] })),
    }));
  }

  selectColumns(matchers: LabelMatcher[], startMs: number, endMs: number): SeriesColumns[] {
    const { series, head } = this.snapshot(matchers, startMs, endMs, true);
    if (series.size === 0) return [];
    const chunks = new Map<number, ChunkRow[]>();
    for (const id of series.keys()) chunks.set(id, []);
    // One statement per day file for all series (ids sorted, so the index is walked in order).
    const ids = idList(series.keys());
    for (const db of this.dayFiles(startMs, endMs)) {
      const stmt = statement(
        db,
        `SELECT series_id, min_t, max_t, count, data FROM chunks
          WHERE series_id IN (SELECT value FROM json_each(?)) AND min_t <= ? AND max_t >= ?`,
      );
      for (const row of stmt.all(ids, endMs, startMs) as ChunkRow[]) chunks.get(row.series_id)?.push(row);
    }
    const lists: ChunkRow[][] = [];
    for (const [id] of series) {
      const list = chunks.get(id)!;
      const h = head.get(id);
      if (h !== undefined) list.push(h);
      lists.push(list);
    }
    const decoded = decodeAll(lists, startMs, endMs);
    const out: SeriesColumns[] = [];
    let k = 0;
    for (const labels of series.values()) {
      const cols = decoded[k++];
      if (cols !== undefined) out.push({ labels, t: cols.t, v: cols.v });
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
      const stmt = statement(
        db,
        // The (series_id, min_t) index covers this except for chunks starting before the range.
        'SELECT DISTINCT series_id FROM chunks WHERE min_t <= @end AND (min_t >= @start OR max_t >= @start)',
      );
      for (const row of stmt.iterate({ start: startMs, end: endMs }) as Iterable<{ series_id: number }>) if (series.has(row.series_id)) found.add(row.series_id);
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
      const stmt = statement(
        db,
        `SELECT series_id, min_t, max_t, count, ${withData ? 'data' : "x'' AS data"} FROM head_chunks
          WHERE series_id IN (SELECT value FROM json_each(?)) AND min_t <= ? AND max_t >= ?`,
      );
      for (const row of stmt.all(idList(series.keys()), endMs, startMs) as ChunkRow[]) head.set(row.series_id, row);
      return { series, head };
    })();
  }

  /**
   * One postings list picks the candidates — the smallest among the
   * equality matchers, or else the values of the first regex matcher that
   * cannot match "" — and every candidate is then checked against all
   * matchers with the engine's own predicates. Walking every matcher's
   * postings costs far more than testing a few labels: `__name__` alone can
   * list every series of a job-wide metric.
   */
  private match(db: Database.Database, matchers: LabelMatcher[]): Map<number, SeriesLabels> {
    // Rules ask for the same selectors every evaluation: one max(id) lookup tells whether the last answer still holds.
    const { newest } = statement(db, 'SELECT coalesce(max(id), 0) AS newest FROM series').get() as { newest: number };
    if (newest !== this.matchedUpTo || this.matched.size > MATCH_CACHE_ENTRIES) {
      this.matched.clear();
      this.matchedUpTo = newest;
    }
    const key = matchers.map((m) => `${m.name}\u0000${m.op}\u0000${m.value}`).sort().join('\u0001');
    let found = this.matched.get(key);
    if (found === undefined) this.matched.set(key, (found = this.matchUncached(db, matchers)));
    return found;
  }

  private matchUncached(db: Database.Database, matchers: LabelMatcher[]): Map<number, SeriesLabels> {
    const candidates = this.candidates(db, matchers);
    const test = compileMatchers(matchers);
    const out = new Map<number, SeriesLabels>();
    const rows: Iterable<{ id: number; labels: string }> =
      candidates === undefined
        ? statement(db, 'SELECT id, labels FROM series WHERE tenant = ?').iterate(this.tenant) as Iterable<{ id: number; labels: string }>
        : // ids come from this tenant's postings; `+` keeps SQLite on the rowid lookup, not the (tenant, labels) index
          (statement(db, 'SELECT id, labels FROM series WHERE id IN (SELECT value FROM json_each(?)) AND +tenant = ? ORDER BY id').all(
            idList(candidates),
            this.tenant,
          ) as { id: number; labels: string }[]);
    for (const row of rows) {
      const labels = this.parseLabels(row.id, row.labels);
      if (test(labels)) out.set(row.id, labels);
    }
    return out;
  }

  /**
   * Label sets parsed once per querier, by series id: series rows are never
   * deleted or changed, so an id names one label set for good (the match
   * cache relies on this too). Keyed by id rather than by the stored JSON,
   * which cost ~200 bytes a series. The same frozen object each time also
   * lets PromQL cache per-label-set work.
   */
  private parseLabels(id: number, json: string): SeriesLabels {
    let labels = this.parsedLabels.get(id);
    if (labels === undefined) {
      if (this.parsedLabels.size >= MAX_CACHED_LABEL_SETS) {
        this.parsedLabels.clear();
        this.interner.clear();
      }
      labels = Object.freeze(this.interner.intern(JSON.parse(json) as SeriesLabels));
      this.parsedLabels.set(id, labels);
    }
    return labels;
  }

  /** Series ids from the most selective postings list; undefined when no matcher can use postings. */
  private candidates(db: Database.Database, matchers: LabelMatcher[]): Set<number> | undefined {
    // the metric name last: usually the longest list, so it is then counted only up to the best so far
    const equalities = matchers.filter((m) => m.op === '=' && m.value !== '').sort((a, b) => Number(a.name === '__name__') - Number(b.name === '__name__'));
    if (equalities.length > 0) {
      const smallest = this.smallestPostings(db, equalities);
      const byValue = statement(db, 'SELECT series_id FROM postings WHERE tenant = ? AND name = ? AND value = ?');
      return new Set((byValue.all(this.tenant, smallest.name, smallest.value) as { series_id: number }[]).map((r) => r.series_id));
    }
    const regex = matchers.find((m) => !compileMatcher(m)(''));
    if (regex === undefined) return undefined;
    const test = compileMatcher(regex);
    const values = statement(db, 'SELECT DISTINCT value FROM postings WHERE tenant = ? AND name = ?').all(this.tenant, regex.name) as { value: string }[];
    const byValue = statement(db, 'SELECT series_id FROM postings WHERE tenant = ? AND name = ? AND value = ?');
    const ids = new Set<number>();
    for (const { value } of values) {
      if (!test(value)) continue;
      for (const row of byValue.iterate(this.tenant, regex.name, value) as Iterable<{ series_id: number }>) ids.add(row.series_id);
    }
    return ids;
  }

  /** Counts each list only up to the smallest seen so far, so a huge `__name__` list is never walked. */
  private smallestPostings(db: Database.Database, equalities: LabelMatcher[]): LabelMatcher {
    const count = statement(db, 'SELECT count(*) AS n FROM (SELECT 1 FROM postings WHERE tenant = ? AND name = ? AND value = ? LIMIT ?)');
    let best = equalities[0];
    let bestCount = Infinity;
    for (const m of equalities) {
      const limit = Number.isFinite(bestCount) ? bestCount : -1;
      const { n } = count.get(this.tenant, m.name, m.value, limit) as { n: number };
      if (n < bestCount) {
        best = m;
        bestCount = n;
      }
      if (n === 0) break;
    }
    return best;
  }

  private indexDb(): Database.Database | undefined {
    if (this.index === undefined) {
      try {
        this.index = openReadonly(indexPath(this.dir));
        // Not mapped: a selector over every series reads the whole index, and
        // mapped pages stay in the process' RSS (56 MB at 100k series).
        // read() through SQLite's page cache measured no slower.
        this.index.pragma('mmap_size = 0');
      } catch {
        return undefined; // nothing written yet
      }
    }
    return this.index;
  }

  /** Day files that may hold chunks overlapping the range (a chunk lives in the file of its first sample's day). */
  private dayFiles(startMs: number, endMs: number): Database.Database[] {
    const listed = chunkFileNames(this.dir);
    const first = dayOf(startMs) - 1; // a chunk never spans days, but be generous at the edge
    const last = dayOf(endMs);
    const out: Database.Database[] = [];
    for (const name of [...listed].sort()) {
      const day = dayOfFileName(name);
      if (day === undefined || day < first || day > last) continue;
      // The compacted file holds all the day's chunks once it exists.
      if (!isCompactedFileName(name) && listed.has(compactedFileName(day))) continue;
      let db = this.dayDbs.get(name);
      if (db === undefined) {
        try {
          db = openReadonly(join(chunksDir(this.dir), name));
        } catch {
          continue; // deleted by retention meanwhile
        }
        this.dayDbs.set(name, db);
      }
      out.push(db);
    }
    // Connections to deleted files (retention, or replaced by their compacted file) are closed.
    for (const [name, db] of this.dayDbs) {
      if (!listed.has(name)) {
        db.close();
        this.dayDbs.delete(name);
      }
    }
    return out;
  }
}

const MATCH_CACHE_ENTRIES = 10_000;

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Prepared once per connection: preparing costs more than running these small queries. */
function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (cache === undefined) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (stmt === undefined) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** Series ids as a sorted JSON array, for `IN (SELECT value FROM json_each(?))`. */
function idList(ids: Iterable<number>): string {
  return JSON.stringify([...ids].sort((a, b) => a - b));
}

/**
 * Each series' chunks decoded into its own columns (undefined when none of
 * its samples falls in [startMs, endMs]). All series share one pair of
 * buffers: a query reads thousands of series, and a buffer each was a large
 * part of its allocation and GC work.
 */
function decodeAll(lists: ChunkRow[][], startMs: number, endMs: number): (SampleColumns | undefined)[] {
  let room = 0;
  for (const list of lists) for (const c of list) room += c.count;
  const all = { t: new Float64Array(room), v: new Float64Array(room) };
  let n = 0;
  return lists.map((list) => {
    list.sort((a, b) => a.min_t - b.min_t);
    const from = n;
    let last = -Infinity;
    for (const c of list) {
      if (c.max_t <= last) continue; // already read (seen in both the head and a day file)
      n = decodeChunkInto(c.data, c.count, all, n, Math.max(startMs, last + 1), endMs);
      if (n > from) last = all.t[n - 1];
    }
    return n === from ? undefined : { t: all.t.subarray(from, n), v: all.v.subarray(from, n) };
  });
}
