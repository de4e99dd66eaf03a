/**
 * Loki push, JSON form: `{"streams":[{"stream":{labels},"values":[[ts, line, meta?]]}]}`.
 *
 * A body that is not JSON, or whose `streams`/`values` are not arrays, is
 * refused as a whole (VigilError). Problems confined to one entry, or to one
 * stream's labels, reject only those entries (see `Rejection`).
 */
import { VigilError } from '../../errors.ts';
import { isJsonObject, parseJsonBody, type JsonObject } from '../json-body.ts';
import type { DecodeResult, Labels, RawEntry, RawStream, Rejection } from '../model.ts';
import { parseUnixNs } from './timestamp.ts';

type EntryOutcome = RawEntry | { reason: string; message: string };

export function decodeLokiJson(body: Buffer): DecodeResult {
  const doc = parseJsonBody(body);
  if (!isJsonObject(doc) || !Array.isArray(doc.streams)) {
    throw new VigilError('VIGIL_ERR_BODY_MALFORMED', 'Loki push body must be an object with a "streams" array');
  }
  const streams: RawStream[] = [];
  const rejected: Rejection[] = [];
  doc.streams.forEach((item: unknown, i: number) => {
    const stream = decodeStream(item, i, rejected);
    if (stream === undefined) return;
    if (streams.length !== i) stream.bodyIndex = i;
    streams.push(stream);
  });
  return { request: { streams }, rejected };
}

function decodeStream(item: unknown, index: number, rejected: Rejection[]): RawStream | undefined {
  if (!isJsonObject(item)) malformed(`streams[${index}] is not an object`);
  const values = item.values ?? [];
  if (!Array.isArray(values)) malformed(`streams[${index}].values is not an array`);
  const labelProblem = checkStringMap(item.stream ?? {});
  if (labelProblem !== undefined) {
    const message = `streams[${index}].stream: ${labelProblem}`;
    for (let e = 0; e < values.length; e++) rejected.push({ stream: index, entry: e, reason: 'bad_labels', message });
    return undefined;
  }
  const entries: RawEntry[] = [];
  let bodyEntries: number[] | undefined; // once an entry is dropped
  for (let e = 0; e < values.length; e++) {
    const outcome = decodeEntry(values[e]);
    if ('tsNs' in outcome) {
      entries.push(outcome);
      bodyEntries?.push(e);
    } else {
      bodyEntries ??= entries.map((_, i) => i);
      rejected.push({ stream: index, entry: e, ...outcome, message: `streams[${index}].values[${e}]: ${outcome.message}` });
    }
  }
  if (entries.length === 0) return undefined;
  // checkStringMap proved this is an object of strings; JSON.parse stores
  // "__proto__" as an own key, so it can be used as it is.
  const labels = (item.stream ?? {}) as Labels;
  return bodyEntries === undefined ? { labels, entries } : { labels, entries, bodyEntries };
}

function decodeEntry(value: unknown): EntryOutcome {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
    return { reason: 'bad_entry', message: 'an entry must be [timestamp, line] or [timestamp, line, metadata]' };
  }
  const [ts, line, meta] = value as unknown[];
  if (typeof ts !== 'string') {
    return { reason: 'bad_timestamp', message: `timestamp must be a string of Unix nanoseconds, got ${describe(ts)}` };
  }
  const tsNs = parseUnixNs(ts);
  if (tsNs === undefined) {
    return { reason: 'bad_timestamp', message: `timestamp ${JSON.stringify(ts)} is not an integer of Unix nanoseconds` };
  }
  if (typeof line !== 'string') return { reason: 'bad_line', message: `line must be a string, got ${describe(line)}` };
  if (value.length === 2) return { tsNs, line };
  const metadata = metadataOf(meta);
  if (typeof metadata === 'string') return { reason: 'bad_metadata', message: metadata };
  return { tsNs, line, metadata };
}

/**
 * Structured metadata: a flat object of strings, or the query-response form
 * `{"structuredMetadata":{…},"parsed":{…}}` that Loki's decoder also accepts
 * (`parsed` is ignored: clients must not send it). Returns an error text.
 */
function metadataOf(meta: unknown): Labels | string {
  let flat = meta;
  if (isJsonObject(meta) && isJsonObject(meta.structuredMetadata) && isCategorised(meta)) {
    flat = meta.structuredMetadata;
  }
  const problem = checkStringMap(flat);
  return problem === undefined ? (flat as Labels) : `structured metadata ${problem}`;
}

function isCategorised(meta: JsonObject): boolean {
  return Object.keys(meta).every((k) => k === 'structuredMetadata' || k === 'parsed');
}

/** undefined when `v` is an object whose values are all strings; else what is wrong. */
function checkStringMap(v: unknown): string | undefined {
  if (!isJsonObject(v)) return `must be an object of strings, got ${describe(v)}`;
  for (const key in v) {
    if (typeof v[key] !== 'string') return `value of ${JSON.stringify(key)} must be a string, got ${describe(v[key])}`;
  }
  return undefined;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`.slice(0, 80);
}

function malformed(message: string): never {
  throw new VigilError('VIGIL_ERR_BODY_MALFORMED', message);
}
