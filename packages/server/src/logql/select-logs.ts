/**
 * Log queries: the lines themselves. The store returns rows in time order
 * across all matched streams (see LogSource.scan), so taking the first
 * `limit` rows that pass the pipeline gives the newest (backward) or oldest
 * (forward) entries of the whole response, and scanning stops right there.
 */
import type { Labels } from '../ingest/model.ts';
import { VigilError } from '../errors.ts';
import type { LogqlExpr } from './ast.ts';
import { labelsKey, sortedLabels } from './labels.ts';
import { resolveStreams } from './matchers.ts';
import { compilePipeline, containsHints } from './pipeline.ts';
import type { Direction, LogSource } from './source.ts';

export interface StreamEntry {
  tsNs: bigint;
  line: string;
  /** The row's per-line fields (structured metadata). */
  metadata: Labels;
  /** Labels added by parsers (json, logfmt), including __error__. */
  parsed: Labels;
}

export interface StreamsResult {
  streams: { labels: Labels; entries: StreamEntry[] }[];
}

export interface SelectOptions {
  /** Inclusive, Unix ns. */
  startNs: bigint;
  /** Exclusive, Unix ns. */
  endNs: bigint;
  limit: number;
  direction: Direction;
}

export function selectLogs(expr: LogqlExpr, source: LogSource, opts: SelectOptions): StreamsResult {
  if (expr.kind !== 'log') {
    throw new VigilError('VIGIL_ERR_QUERY_PARAM', 'expected a log query (a stream selector with an optional pipeline), got a metric query');
  }
  if (opts.limit <= 0 || opts.endNs <= opts.startNs) return { streams: [] };
  const streams = resolveStreams(source, expr.selector);
  if (streams.size === 0) return { streams: [] };
  const pipeline = compilePipeline(expr.pipeline);
  const streamKeys = new Map<number, string>();
  for (const [id, s] of streams) streamKeys.set(id, labelsKey(s.labels));

  const groups = new Map<string, { labels: Labels; entries: StreamEntry[] }>();
  let taken = 0;
  const rows = source.scan({
    streamIds: [...streams.keys()],
    startNs: opts.startNs,
    endNs: opts.endNs,
    direction: opts.direction,
    contains: containsHints(expr.pipeline),
  });
  for (const row of rows) {
    const stream = streams.get(row.streamId);
    if (!stream) continue;
    const out = pipeline(row.line, stream.labels, row.fields);
    if (!out) continue;
    // A parser can split one stream into several result streams (Loki groups by the final label set).
    const hasParsed = Object.keys(out.parsed).length > 0;
    const labels = hasParsed ? { ...stream.labels, ...out.parsed } : stream.labels;
    const key = hasParsed ? labelsKey(labels) : streamKeys.get(row.streamId)!;
    let group = groups.get(key);
    if (!group) {
      group = { labels: sortedLabels(labels), entries: [] };
      groups.set(key, group);
    }
    group.entries.push({ tsNs: row.tsNs, line: out.line, metadata: row.fields, parsed: hasParsed ? out.parsed : {} });
    if (++taken >= opts.limit) break;
  }
  const keys = [...groups.keys()].sort();
  return { streams: keys.map((k) => groups.get(k)!) };
}
