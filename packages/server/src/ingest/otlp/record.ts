/**
 * Turns one decoded OTLP LogRecord into a RawEntry, and attaches resource
 * and scope context to the entries of a ResourceLogs. Shared by the JSON and
 * protobuf decoders, which only differ in how they read the fields.
 */
import type { Labels, RawEntry, RawStream } from '../model.ts';
import { setOwn } from '../own-property.ts';
import { severityFromOtelNumber, normaliseSeverity } from '../severity.ts';
import { lineOf, type Plain } from './any-value.ts';
import { splitResourceAttributes } from './resource-labels.ts';

export interface RecordFields {
  timeNs: bigint;
  observedNs: bigint;
  severityNumber: number;
  severityText: string;
  body: Plain;
  /** Flattened log attributes; becomes the entry's metadata object. */
  attributes: Labels;
  /** Lowercase hex, '' when absent. */
  traceId: string;
  spanId: string;
  eventName: string;
}

export interface Problem {
  reason: string;
  message: string;
}

/** The records of one ScopeLogs, waiting for their resource. */
export interface ScopeGroup {
  scope: Labels;
  entries: RawEntry[];
  /** The n-th ScopeLogs of the body, which is what rejections count. */
  index: number;
  /** Body index of each of `entries`, once a record before it was rejected. */
  bodyEntries?: number[];
}

const ALL_ZERO = /^0*$/;

export function entryFromRecord(f: RecordFields, receivedAtNs: bigint | undefined): RawEntry | Problem {
  // timeUnixNano 0 means unknown; then the collector's observed time is next best.
  const tsNs = f.timeNs !== 0n ? f.timeNs : f.observedNs !== 0n ? f.observedNs : receivedAtNs;
  if (tsNs === undefined) {
    return { reason: 'missing_timestamp', message: 'record has neither timeUnixNano nor observedTimeUnixNano' };
  }
  // The record's own fields win over attributes of the same name.
  const meta = f.attributes;
  const severity = severityOf(f.severityText, f.severityNumber);
  if (severity !== undefined) meta.severity = severity;
  const ids = addIds(meta, f.traceId, f.spanId);
  if (ids !== undefined) return ids;
  if (f.eventName !== '') meta.event = f.eventName;
  const line = lineOf(f.body);
  return hasKeys(meta) ? { tsNs, line, metadata: meta } : { tsNs, line };
}

/**
 * A recognised severityText wins; else severityNumber; else the text as
 * sent, so a custom level name is not lost.
 */
function severityOf(text: string, n: number): string | undefined {
  const fromText = text === '' ? undefined : normaliseSeverity(text);
  return fromText ?? severityFromOtelNumber(n) ?? (text === '' ? undefined : text);
}

function addIds(meta: Labels, traceId: string, spanId: string): Problem | undefined {
  if (traceId !== '' && traceId.length !== 32) {
    return { reason: 'bad_trace_id', message: `trace id ${JSON.stringify(traceId)} is not 16 bytes of hex` };
  }
  if (spanId !== '' && spanId.length !== 16) {
    return { reason: 'bad_span_id', message: `span id ${JSON.stringify(spanId)} is not 8 bytes of hex` };
  }
  // All-zero ids are the OTel "invalid id" and mean the same as none.
  if (traceId !== '' && !ALL_ZERO.test(traceId)) meta.trace_id = traceId;
  if (spanId !== '' && !ALL_ZERO.test(spanId)) meta.span_id = spanId;
  return undefined;
}

/** Scope context kept per entry, as Loki's OTLP ingestion does. */
export function scopeMetadata(name: string, version: string, attributes: Labels): Labels {
  const scope: Labels = {};
  for (const key of Object.keys(attributes)) setOwn(scope, key, attributes[key]);
  if (name !== '') scope.scope_name = name;
  if (version !== '') scope.scope_version = version;
  return scope;
}

/**
 * Emits one stream per ScopeLogs that has entries. Record attributes win
 * over scope context, which wins over resource attributes that did not
 * become labels.
 */
export function finishResource(resourceAttributes: Labels, groups: ScopeGroup[], out: RawStream[]): void {
  const { labels, metadata } = splitResourceAttributes(resourceAttributes);
  for (const group of groups) {
    if (group.entries.length === 0) continue;
    const base = mergeUnder(metadata, group.scope);
    if (base !== undefined) {
      for (const entry of group.entries) entry.metadata = mergeUnder(base, entry.metadata);
    }
    const stream: RawStream = { labels: { ...labels }, entries: group.entries };
    if (group.index !== out.length) stream.bodyIndex = group.index;
    if (group.bodyEntries !== undefined) stream.bodyEntries = group.bodyEntries;
    out.push(stream);
  }
}

/** `top` over `base`; undefined when both are empty. */
function mergeUnder(base: Labels, top: Labels | undefined): Labels | undefined {
  if (top === undefined || !hasKeys(top)) return hasKeys(base) ? { ...base } : undefined;
  if (!hasKeys(base)) return top;
  const merged: Labels = { ...base };
  for (const key of Object.keys(top)) setOwn(merged, key, top[key]);
  return merged;
}

function hasKeys(o: Labels): boolean {
  for (const _ in o) return true;
  return false;
}
