/**
 * From decoded pushes to what the store keeps: stream labels validated and
 * completed (service, env), each line redacted, its fields found, its
 * timestamp checked. Bad entries are rejected one by one; good ones go on.
 */
import type { Labels, PushRequest, RawEntry, Rejection } from './model.ts';
import type { Category, LogRecord, StreamBatch } from '../store/record.ts';
import { findFields, parseJsonObject } from './fields.ts';

export interface NormaliseLimits {
  maxLabelsPerStream: number;
  maxLabelNameLength: number;
  maxLabelValueLength: number;
  maxLineBytes: number;
  futureGraceMs: number;
  retentionMs: Record<Category, number>;
}

/** The part of the redactor normalisation uses (see @vigil/sdk/redact). */
export interface LineRedactor {
  redactLine(line: string): string;
  /** Field names and patterns, e.g. for structured metadata. */
  redactObject<T>(value: T): T;
}

export interface NormaliseResult {
  batches: StreamBatch[];
  rejected: Rejection[];
}

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const serviceSources = ['service', 'service_name', 'app', 'application', 'job', 'container'];
const envSources = ['env', 'environment', 'deployment_environment'];

export function normalisePush(
  request: PushRequest,
  limits: NormaliseLimits,
  redactor: LineRedactor | undefined,
  nowMs: number,
): NormaliseResult {
  const batches: StreamBatch[] = [];
  const rejected: Rejection[] = [];
  const bounds = timeBounds(limits, nowMs);
  for (let position = 0; position < request.streams.length; position++) {
    const stream = request.streams[position];
    // rejections name the entry as the client sent it, before decoders dropped any
    const streamIndex = stream.bodyIndex ?? position;
    const problem = checkLabels(stream.labels, limits);
    const labels = problem ? stream.labels : completeLabels(stream.labels);
    const records: LogRecord[] = [];
    for (let i = 0; i < stream.entries.length; i++) {
      const outcome = problem ?? normaliseEntry(stream.entries[i], labels, limits, redactor, bounds);
      if ('reason' in outcome) rejected.push({ stream: streamIndex, entry: stream.bodyEntries?.[i] ?? i, ...outcome });
      else records.push(outcome);
    }
    if (records.length > 0) batches.push({ labels, records });
  }
  return { batches, rejected };
}

interface Problem {
  reason: string;
  message: string;
}

interface TimeBounds {
  latestNs: bigint;
  oldestNs: Record<Category, bigint>;
}

function timeBounds(limits: NormaliseLimits, nowMs: number): TimeBounds {
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;
  const { standard, security, audit } = limits.retentionMs;
  return {
    latestNs: ns(nowMs + limits.futureGraceMs),
    oldestNs: { standard: ns(nowMs - standard), security: ns(nowMs - security), audit: ns(nowMs - audit) },
  };
}

function normaliseEntry(
  entry: RawEntry,
  labels: Labels,
  limits: NormaliseLimits,
  redactor: LineRedactor | undefined,
  bounds: TimeBounds,
): LogRecord | Problem {
  // a UTF-8 byte is at least a third of a UTF-16 unit, so most lines skip the byte count
  const tooLong =
    entry.line.length > limits.maxLineBytes ||
    (entry.line.length * 3 > limits.maxLineBytes && Buffer.byteLength(entry.line) > limits.maxLineBytes);
  if (tooLong) {
    return { reason: 'line_too_long', message: `line is longer than limits.max_line_bytes (${limits.maxLineBytes} bytes)` };
  }
  if (entry.tsNs > bounds.latestNs) {
    return { reason: 'timestamp_in_future', message: `timestamp ${entry.tsNs} ns is more than limits.future_grace in the future` };
  }
  const line = redactor ? redactor.redactLine(entry.line) : entry.line;
  const metadata = entry.metadata && redactor ? redactor.redactObject(entry.metadata) : entry.metadata;
  const found = findFields(parseJsonObject(line), metadata, labels);
  if (entry.tsNs < bounds.oldestNs[found.category]) {
    return { reason: 'timestamp_too_old', message: `timestamp ${entry.tsNs} ns is older than the ${found.category} retention` };
  }
  return { tsNs: entry.tsNs, line, ...found, metadata: withoutRecognised(metadata) };
}

function checkLabels(labels: Labels, limits: NormaliseLimits): Problem | undefined {
  const names = Object.keys(labels);
  if (names.length > limits.maxLabelsPerStream) {
    return {
      reason: 'too_many_labels',
      message: `stream has ${names.length} labels, more than limits.max_labels_per_stream (${limits.maxLabelsPerStream})`,
    };
  }
  for (const name of names) {
    if (name.length > limits.maxLabelNameLength) {
      return { reason: 'label_name_too_long', message: `label name "${name.slice(0, 64)}…" is longer than limits.max_label_name_length (${limits.maxLabelNameLength})` };
    }
    if (!labelName.test(name)) {
      return { reason: 'invalid_label_name', message: `label name "${name}" is invalid: use letters, digits and _, not starting with a digit` };
    }
    if (labels[name].length > limits.maxLabelValueLength) {
      return { reason: 'label_value_too_long', message: `value of label "${name}" is longer than limits.max_label_value_length (${limits.maxLabelValueLength})` };
    }
  }
  return undefined;
}

/** Every stream gets `service` (and `env` when known), as the data model promises. */
function completeLabels(labels: Labels): Labels {
  if (labels.service && (labels.env || !envSources.some((name) => labels[name]))) return labels;
  const completed = { ...labels };
  completed.service ??= serviceSources.map((name) => labels[name]).find(Boolean) ?? 'unknown_service';
  const env = envSources.map((name) => labels[name]).find(Boolean);
  if (env && !completed.env) completed.env = env;
  return completed;
}

/** Metadata minus what now has its own column, so nothing is stored twice. */
const recognised = new Set(['severity', 'level', 'category', 'request_id', 'trace_id', 'span_id', 'event', 'principal', 'status', 'duration_ms']);

function withoutRecognised(metadata: Labels | undefined): Labels | undefined {
  if (!metadata) return undefined;
  let out: Labels | undefined;
  for (const [key, value] of Object.entries(metadata)) {
    if (recognised.has(key)) continue;
    (out ??= {})[key] = value;
  }
  return out;
}
