/**
 * OTLP/HTTP logs, JSON encoding (ExportLogsServiceRequest in OTLP/JSON:
 * lowerCamelCase names, hex trace ids, 64-bit ints as strings or numbers).
 *
 * Broken structure above the records (resourceLogs, resource attributes,
 * scopeLogs, scope) refuses the body; a bad record is rejected alone.
 * Unknown fields are ignored, as OTLP requires.
 */
import { VigilError } from '../../errors.ts';
import { isJsonObject, parseJsonBody, type JsonObject } from '../json-body.ts';
import type { DecodeResult, Labels, RawEntry, RawStream, Rejection } from '../model.ts';
import { Base64, flattenInto, KvList, MAX_ANY_DEPTH, type Plain } from './any-value.ts';
import type { OtlpDecodeOptions } from './options.ts';
import { entryFromRecord, finishResource, scopeMetadata, type Problem, type ScopeGroup } from './record.ts';

/** Marks a value that does not fit its OTLP/JSON type. */
const INVALID = Symbol('invalid');
type Invalid = typeof INVALID;

const UINT64_MAX = 2n ** 64n - 1n;

export function decodeOtlpLogsJson(body: Buffer, options: OtlpDecodeOptions = {}): DecodeResult {
  const doc = parseJsonBody(body);
  if (!isJsonObject(doc)) malformed('OTLP logs body must be a JSON object (ExportLogsServiceRequest)');
  const streams: RawStream[] = [];
  const rejected: Rejection[] = [];
  let groupIndex = 0;
  listAt(doc, 'resourceLogs', '').forEach((rl, i) => {
    const path = `resourceLogs[${i}]`;
    if (!isJsonObject(rl)) malformed(`${path} is not an object`);
    const resource = objectAt(rl, 'resource', path);
    const attributes = attributesOrThrow(resource, `${path}.resource`);
    const groups = listAt(rl, 'scopeLogs', path).map((sl, j) =>
      decodeScope(sl, `${path}.scopeLogs[${j}]`, groupIndex++, rejected, options),
    );
    finishResource(attributes, groups, streams);
  });
  return { request: { streams }, rejected };
}

function decodeScope(
  sl: unknown,
  path: string,
  index: number,
  rejected: Rejection[],
  options: OtlpDecodeOptions,
): ScopeGroup {
  if (!isJsonObject(sl)) malformed(`${path} is not an object`);
  const scope = objectAt(sl, 'scope', path);
  const attributes = attributesOrThrow(scope, `${path}.scope`);
  const name = typeof scope?.name === 'string' ? scope.name : '';
  const version = typeof scope?.version === 'string' ? scope.version : '';
  const entries: RawEntry[] = [];
  let bodyEntries: number[] | undefined; // once a record is rejected
  listAt(sl, 'logRecords', path).forEach((record, e) => {
    const outcome = decodeRecord(record, options);
    if ('tsNs' in outcome) {
      entries.push(outcome);
      bodyEntries?.push(e);
    } else {
      bodyEntries ??= entries.map((_, i) => i);
      rejected.push({ stream: index, entry: e, reason: outcome.reason, message: `${path}.logRecords[${e}]: ${outcome.message}` });
    }
  });
  const group: ScopeGroup = { scope: scopeMetadata(name, version, attributes), entries, index };
  if (bodyEntries !== undefined) group.bodyEntries = bodyEntries;
  return group;
}

function decodeRecord(record: unknown, options: OtlpDecodeOptions): RawEntry | Problem {
  if (!isJsonObject(record)) return { reason: 'bad_record', message: 'a log record must be an object' };
  const timeNs = fixed64(record.timeUnixNano);
  const observedNs = fixed64(record.observedTimeUnixNano);
  if (timeNs === INVALID || observedNs === INVALID) {
    return { reason: 'bad_timestamp', message: 'timeUnixNano/observedTimeUnixNano must be unsigned integers' };
  }
  const body = plainFromJson(record.body, 0);
  if (body === INVALID) return { reason: 'bad_body', message: 'body is not a valid AnyValue' };
  const attributes = attributesFromJson(record.attributes);
  if (attributes === INVALID) return { reason: 'bad_attributes', message: 'attributes are not a valid KeyValue list' };
  const traceId = hexId(record.traceId);
  if (traceId === INVALID) return { reason: 'bad_trace_id', message: 'traceId must be a hex string' };
  const spanId = hexId(record.spanId);
  if (spanId === INVALID) return { reason: 'bad_span_id', message: 'spanId must be a hex string' };
  const fields = {
    timeNs,
    observedNs,
    severityNumber: severityNumber(record.severityNumber),
    severityText: stringOr(record.severityText),
    body,
    attributes,
    traceId,
    spanId,
    eventName: stringOr(record.eventName),
  };
  return entryFromRecord(fields, options.receivedAtNs);
}

/** A JSON AnyValue as Plain; unknown members are ignored, so `{}` is unset. */
function plainFromJson(v: unknown, depth: number): Plain | Invalid {
  if (v === undefined || v === null) return null;
  if (!isJsonObject(v) || depth > MAX_ANY_DEPTH) return INVALID;
  if ('stringValue' in v) return typeof v.stringValue === 'string' ? v.stringValue : INVALID;
  if ('boolValue' in v) return typeof v.boolValue === 'boolean' ? v.boolValue : INVALID;
  if ('intValue' in v) return int64(v.intValue);
  if ('doubleValue' in v) return double(v.doubleValue);
  if ('bytesValue' in v) return typeof v.bytesValue === 'string' ? new Base64(v.bytesValue) : INVALID;
  if ('arrayValue' in v) return arrayFromJson(v.arrayValue, depth);
  if ('kvlistValue' in v) return kvlistFromJson(v.kvlistValue, depth);
  return null;
}

function arrayFromJson(v: unknown, depth: number): Plain[] | Invalid {
  const values = isJsonObject(v) ? (v.values ?? []) : INVALID;
  if (!Array.isArray(values)) return INVALID;
  const out: Plain[] = [];
  for (const item of values) {
    const p = plainFromJson(item, depth + 1);
    if (p === INVALID) return INVALID;
    out.push(p);
  }
  return out;
}

function kvlistFromJson(v: unknown, depth: number): KvList | Invalid {
  const values = isJsonObject(v) ? (v.values ?? []) : INVALID;
  if (!Array.isArray(values)) return INVALID;
  const list = new KvList([], []);
  for (const kv of values) {
    if (!isJsonObject(kv) || typeof kv.key !== 'string') return INVALID;
    const p = plainFromJson(kv.value, depth + 1);
    if (p === INVALID) return INVALID;
    list.keys.push(kv.key);
    list.values.push(p);
  }
  return list;
}

/** A KeyValue list flattened to string metadata. */
function attributesFromJson(list: unknown): Labels | Invalid {
  const kv = kvlistFromJson({ values: list ?? [] }, 0);
  if (kv === INVALID) return INVALID;
  const out: Labels = {};
  kv.keys.forEach((k, i) => flattenInto(out, k, kv.values[i]));
  return out;
}

function attributesOrThrow(owner: JsonObject | undefined, path: string): Labels {
  const attributes = attributesFromJson(owner?.attributes);
  if (attributes === INVALID) malformed(`${path}.attributes is not a valid KeyValue list`);
  return attributes;
}

function int64(v: unknown): bigint | Invalid {
  const ok = typeof v === 'number' ? Number.isInteger(v) : typeof v === 'string' && /^-?\d{1,20}$/.test(v);
  if (!ok) return INVALID;
  const n = BigInt(v as number | string);
  return n === BigInt.asIntN(64, n) ? n : INVALID;
}

/** Proto3 JSON doubles: numbers, numeric strings, "NaN", "Infinity", "-Infinity". */
function double(v: unknown): number | Invalid {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return INVALID;
  const n = Number(v);
  return Number.isNaN(n) && v !== 'NaN' ? INVALID : n;
}

/** fixed64 times: decimal strings or (lossy past 2^53, but allowed) numbers; absent is 0. */
function fixed64(v: unknown): bigint | Invalid {
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? BigInt(v) : INVALID;
  if (typeof v !== 'string' || !/^\d{1,20}$/.test(v)) return INVALID;
  const n = BigInt(v);
  return n <= UINT64_MAX ? n : INVALID;
}

/** OTLP/JSON ids are hex of any case; stored lowercase. */
function hexId(v: unknown): string | Invalid {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(v)) return INVALID;
  return v.toLowerCase();
}

/** Enums are integers in OTLP/JSON; anything else counts as unspecified. */
function severityNumber(v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : 0;
}

function stringOr(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function listAt(owner: JsonObject, key: string, path: string): unknown[] {
  const v = owner[key] ?? [];
  if (!Array.isArray(v)) malformed(`${path ? `${path}.` : ''}${key} is not an array`);
  return v;
}

function objectAt(owner: JsonObject, key: string, path: string): JsonObject | undefined {
  const v = owner[key];
  if (v === undefined || v === null) return undefined;
  if (!isJsonObject(v)) malformed(`${path}.${key} is not an object`);
  return v;
}

function malformed(message: string): never {
  throw new VigilError('VIGIL_ERR_BODY_MALFORMED', message);
}
