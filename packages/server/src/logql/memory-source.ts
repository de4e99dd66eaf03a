/**
 * An in-memory LogSource for tests: the reference behaviour a store must
 * match (scan bounds and order, the contains hint, count buckets). Pass
 * `{ count: false }` to get a source without the count pushdown, so tests
 * can check that both evaluation paths agree.
 */
import type { Labels } from '../ingest/model.ts';
import { getLabel } from './labels.ts';
import { compileMatchers } from './matchers.ts';
import type { CountOptions, CountRow, LabelMatcher, LogRow, LogSource, ScanOptions, StreamRef } from './source.ts';

export interface MemoryEntry {
  tsNs: bigint;
  line: string;
  fields?: Labels;
}

export interface MemoryStream {
  labels: Labels;
  entries: MemoryEntry[];
}

export class MemoryLogSource implements LogSource {
  readonly streams: StreamRef[];
  private readonly rows: LogRow[];
  /** Calls and rows handed out, for tests of early stopping and of which path ran. */
  readonly stats = { scans: 0, rowsYielded: 0, counts: 0 };
  count?: (options: CountOptions) => Iterable<CountRow>;

  constructor(streams: MemoryStream[], options: { count?: boolean } = {}) {
    this.streams = streams.map((s, id) => ({ id, labels: s.labels }));
    this.rows = streams.flatMap((s, id) =>
      s.entries.map((e) => ({ streamId: id, tsNs: e.tsNs, line: e.line, fields: e.fields ?? {} })),
    );
    // Time order, ties by stream then insertion: the order scan() promises.
    this.rows.sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : a.streamId - b.streamId));
    if (options.count !== false) this.count = (o) => this.countRows(o);
  }

  matchStreams(matchers: LabelMatcher[]): StreamRef[] {
    const test = compileMatchers(matchers);
    return this.streams.filter((s) => test(s.labels));
  }

  *scan(options: ScanOptions): Iterable<LogRow> {
    this.stats.scans++;
    const ids = new Set(options.streamIds);
    const keep = (r: LogRow): boolean =>
      ids.has(r.streamId) &&
      r.tsNs >= options.startNs &&
      r.tsNs < options.endNs &&
      options.contains.every((c) => r.line.includes(c));
    const n = this.rows.length;
    for (let k = 0; k < n; k++) {
      const r = this.rows[options.direction === 'forward' ? k : n - 1 - k];
      if (!keep(r)) continue;
      this.stats.rowsYielded++;
      yield { ...r, fields: { ...r.fields } };
    }
  }

  private *countRows(o: CountOptions): Iterable<CountRow> {
    this.stats.counts++;
    const ids = new Set(o.streamIds);
    const end = o.originNs + o.bucketNs * BigInt(o.buckets);
    const acc = new Map<string, CountRow>();
    for (const r of this.rows) {
      if (!ids.has(r.streamId) || r.tsNs <= o.originNs || r.tsNs > end) continue;
      if (!o.contains.every((c) => r.line.includes(c))) continue;
      const bucket = Number((r.tsNs - o.originNs - 1n) / o.bucketNs);
      const fieldValues = o.groupFields.map((f) => getLabel(r.fields, f) ?? '');
      const key = JSON.stringify([r.streamId, fieldValues, bucket]);
      const row = acc.get(key) ?? { streamId: r.streamId, fieldValues, bucket, count: 0, bytes: 0 };
      row.count++;
      row.bytes += Buffer.byteLength(r.line, 'utf8');
      acc.set(key, row);
    }
    yield* acc.values();
  }
}
