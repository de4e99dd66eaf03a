/**
 * OTLP/HTTP logs, protobuf encoding (collector.logs.v1.ExportLogsServiceRequest),
 * hand-decoded with ProtoReader. Field numbers are from logs.proto,
 * common.proto and resource.proto in shared/conformance/otlp.
 *
 * Truncated or mis-framed bytes refuse the body. Invalid UTF-8 inside a log
 * record rejects that record; in resource or scope strings, which would
 * corrupt every record under them, it refuses the body.
 */
import type { DecodeResult, Labels, RawEntry, RawStream, Rejection } from '../model.ts';
import { ProtoReader } from '../protobuf-reader.ts';
import { Base64, flattenInto, KvList, MAX_ANY_DEPTH, type Plain } from './any-value.ts';
import type { OtlpDecodeOptions } from './options.ts';
import { entryFromRecord, finishResource, scopeMetadata, type RecordFields, type ScopeGroup } from './record.ts';

// Field keys, (field << 3) | wire type.
const LEN_1 = 0x0a;
const LEN_2 = 0x12;
const LEN_3 = 0x1a;
const LEN_5 = 0x2a;
const LEN_6 = 0x32;
const LEN_7 = 0x3a;
const LEN_9 = 0x4a;
const LEN_10 = 0x52;
const LEN_12 = 0x62;
const VARINT_2 = 0x10;
const VARINT_3 = 0x18;
const I64_1 = 0x09;
const I64_4 = 0x21;
const I64_11 = 0x59;

export function decodeOtlpLogsProtobuf(body: Buffer, options: OtlpDecodeOptions = {}): DecodeResult {
  const r = new ProtoReader(body);
  const streams: RawStream[] = [];
  const rejected: Rejection[] = [];
  const counter = { group: 0 };
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) decodeResourceLogs(r, counter, streams, rejected, options);
    else r.skip(tag);
  }
  return { request: { streams }, rejected };
}

function decodeResourceLogs(
  r: ProtoReader,
  counter: { group: number },
  streams: RawStream[],
  rejected: Rejection[],
  options: OtlpDecodeOptions,
): void {
  const saved = r.enter();
  let attributes: Labels = {};
  const groups: ScopeGroup[] = [];
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) attributes = decodeResource(r);
    else if (tag === LEN_2) groups.push(decodeScopeLogs(r, counter.group++, rejected, options));
    else r.skip(tag);
  }
  r.leave(saved);
  // The resource may follow its scope_logs on the wire, so it is applied last.
  finishResource(attributes, groups, streams);
}

function decodeScopeLogs(r: ProtoReader, index: number, rejected: Rejection[], options: OtlpDecodeOptions): ScopeGroup {
  const saved = r.enter();
  let scope: Labels = {};
  const entries: RawEntry[] = [];
  let bodyEntries: number[] | undefined; // once a record is rejected
  let count = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_2) {
      const entry = decodeRecord(r, index, count++, rejected, options);
      if (entry !== undefined) {
        entries.push(entry);
        bodyEntries?.push(count - 1);
      } else {
        bodyEntries ??= entries.map((_, i) => i);
      }
    } else if (tag === LEN_1) {
      scope = decodeScope(r);
    } else {
      r.skip(tag);
    }
  }
  r.leave(saved);
  const group: ScopeGroup = { scope, entries, index };
  if (bodyEntries !== undefined) group.bodyEntries = bodyEntries;
  return group;
}

/** InstrumentationScope: 1 name, 2 version, 3 attributes. */
function decodeScope(r: ProtoReader): Labels {
  const saved = r.enter();
  const at = r.pos;
  r.badUtf8At = -1;
  let name = '';
  let version = '';
  const attributes: Labels = {};
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) name = r.tryString() ?? '';
    else if (tag === LEN_2) version = r.tryString() ?? '';
    else if (tag === LEN_3) readAttribute(r, attributes);
    else r.skip(tag);
  }
  r.leave(saved);
  if (r.badUtf8At !== -1) r.fail('invalid UTF-8 in the instrumentation scope', at);
  return scopeMetadata(name, version, attributes);
}

/** Resource: attributes (field 1); the rest is not needed. */
function decodeResource(r: ProtoReader): Labels {
  const saved = r.enter();
  const at = r.pos;
  r.badUtf8At = -1;
  const attributes: Labels = {};
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) readAttribute(r, attributes);
    else r.skip(tag);
  }
  r.leave(saved);
  if (r.badUtf8At !== -1) r.fail('invalid UTF-8 in resource attributes', at);
  return attributes;
}

function decodeRecord(
  r: ProtoReader,
  s: number,
  e: number,
  rejected: Rejection[],
  options: OtlpDecodeOptions,
): RawEntry | undefined {
  const saved = r.enter();
  r.badUtf8At = -1;
  const f: RecordFields = {
    timeNs: 0n,
    observedNs: 0n,
    severityNumber: 0,
    severityText: '',
    body: null,
    attributes: {},
    traceId: '',
    spanId: '',
    eventName: '',
  };
  while (!r.done()) {
    const tag = r.tag();
    switch (tag) {
      case I64_1: f.timeNs = r.fixed64(); break;
      case I64_11: f.observedNs = r.fixed64(); break;
      case VARINT_2: f.severityNumber = r.int32(); break;
      case LEN_3: f.severityText = r.tryString() ?? ''; break;
      case LEN_5: f.body = readAnyValue(r, 0); break;
      case LEN_6: readAttribute(r, f.attributes); break;
      case LEN_9: f.traceId = r.hex(); break;
      case LEN_10: f.spanId = r.hex(); break;
      case LEN_12: f.eventName = r.tryString() ?? ''; break;
      default: r.skip(tag);
    }
  }
  r.leave(saved);
  const outcome =
    r.badUtf8At === -1
      ? entryFromRecord(f, options.receivedAtNs)
      : { reason: 'invalid_utf8', message: `a string in the record is not valid UTF-8 (byte ${r.badUtf8At})` };
  if ('tsNs' in outcome) return outcome;
  rejected.push({ stream: s, entry: e, reason: outcome.reason, message: outcome.message });
  return undefined;
}

/** A repeated KeyValue field, flattened into string metadata. */
function readAttribute(r: ProtoReader, out: Labels): void {
  const one = new KvList([], []);
  readKeyValue(r, one, 0);
  flattenInto(out, one.keys[0], one.values[0]);
}

/** KeyValue {1 key, 2 value}, appended to `list`. */
function readKeyValue(r: ProtoReader, list: KvList, depth: number): void {
  const saved = r.enter();
  let key = '';
  let value: Plain = null;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) key = r.tryString() ?? '';
    else if (tag === LEN_2) value = readAnyValue(r, depth);
    else r.skip(tag);
  }
  r.leave(saved);
  list.keys.push(key);
  list.values.push(value);
}

/** AnyValue: a oneof; the last member on the wire wins, as in protobuf. */
function readAnyValue(r: ProtoReader, depth: number): Plain {
  if (depth > MAX_ANY_DEPTH) r.fail('AnyValue nested too deeply');
  const saved = r.enter();
  let v: Plain = null;
  while (!r.done()) v = readAnyMember(r, r.tag(), v, depth);
  r.leave(saved);
  return v;
}

function readAnyMember(r: ProtoReader, tag: number, current: Plain, depth: number): Plain {
  switch (tag) {
    case LEN_1: return r.tryString() ?? '';
    case VARINT_2: return r.bool();
    case VARINT_3: return r.int64();
    case I64_4: return r.double();
    case LEN_5: return readArray(r, depth);
    case LEN_6: return readKvList(r, depth);
    case LEN_7: return new Base64(r.base64());
    default:
      r.skip(tag); // e.g. string_value_strindex, only meaningful in profiles
      return current;
  }
}

/** ArrayValue {1 repeated AnyValue}. */
function readArray(r: ProtoReader, depth: number): Plain[] {
  const saved = r.enter();
  const list: Plain[] = [];
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) list.push(readAnyValue(r, depth + 1));
    else r.skip(tag);
  }
  r.leave(saved);
  return list;
}

/** KeyValueList {1 repeated KeyValue}. */
function readKvList(r: ProtoReader, depth: number): KvList {
  const saved = r.enter();
  const list = new KvList([], []);
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) readKeyValue(r, list, depth + 1);
    else r.skip(tag);
  }
  r.leave(saved);
  return list;
}
