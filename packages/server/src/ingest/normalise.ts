/**
 * From decoded pushes to what the store keeps: stream labels validated and
 * completed (service, env), each line redacted, its fields found, its
 * timestamp checked. Bad entries are rejected one by one; good ones go on.
 */
import type { Labels, PushRequest, Rejection } from './model.ts';
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
  redactString(text: string): string;
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
  const futureLimitNs = BigInt(nowMs + limits.futureGraceMs) * 1_000_000n;
  request.streams.forEach((stream, position) => {
    // rejections name the entry as the client sent it, before decoders dropped any
    const streamIndex = stream.bodyIndex ?? position;
    const bodyEntry = (i: number) => stream.bodyEntries?.[i] ?? i;
    const problem = checkLabels(stream.labels, limits);
    if (problem) {
      stream.entries.forEach((_, entry) => rejected.push({ stream: streamIndex, entry: bodyEntry(entry), ...problem }));
      return;
    }
    const labels = completeLabels(stream.labels);
    const records: LogRecord[] = [];
    stream.entries.forEach((entry, entryIndex) => {
      const reject = (reason: string, message: string) =>
        rejected.push({ stream: streamIndex, entry: bodyEntry(entryIndex), reason, message });
      if (entry.line.length > limits.maxLineBytes || Buffer.byteLength(entry.line) > limits.maxLineBytes) {
        return reject('line_too_long', `line is longer than limits.max_line_bytes (${limits.maxLineBytes} bytes)`);
      }
      if (entry.tsNs > futureLimitNs) {
        return reject('timestamp_in_future', `timestamp ${entry.tsNs} ns is more than limits.future_grace in the future`);
      }
      const line = redactor ? redactor.redactLine(entry.line) : entry.line;
      const metadata = entry.metadata && redactor ? redactValues(entry.metadata, redactor) : entry.metadata;
      const found = findFields(parseJsonObject(line), metadata, labels);
      const oldestNs = BigInt(nowMs - limits.retentionMs[found.category]) * 1_000_000n;
      if (entry.tsNs < oldestNs) {
        return reject('timestamp_too_old', `timestamp ${entry.tsNs} ns is older than the ${found.category} retention`);
      }
      records.push({ tsNs: entry.tsNs, line, ...found, metadata: withoutRecognised(metadata) });
    });
    if (records.length > 0) batches.push({ labels, records });
  });
  return { batches, rejected };
}

function checkLabels(labels: Labels, limits: NormaliseLimits): { reason: string; message: string } | undefined {
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

function redactValues(metadata: Labels, redactor: LineRedactor): Labels {
  const out: Labels = {};
  for (const [key, value] of Object.entries(metadata)) out[key] = redactor.redactString(value);
  return out;
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
