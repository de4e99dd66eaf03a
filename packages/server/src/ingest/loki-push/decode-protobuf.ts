/**
 * Loki push, protobuf form (`logproto.PushRequest`, see push.proto), after
 * snappy decompression. Hand-decoded with ProtoReader: this is the busiest
 * ingest path, and walking the bytes directly avoids building an object per
 * protobuf message.
 *
 * Wire layout used here:
 *   PushRequest      1: StreamAdapter (repeated)   2: format (ignored)
 *   StreamAdapter    1: labels text   2: EntryAdapter (repeated)   3: hash (ignored)
 *   EntryAdapter     1: Timestamp {1: seconds, 2: nanos}   2: line
 *                    3: structuredMetadata LabelPairAdapter {1: name, 2: value}
 *                    4: parsed (query responses only; ignored)
 */
import type { DecodeResult, Labels, RawEntry, RawStream, Rejection } from '../model.ts';
import { setOwn } from '../own-property.ts';
import { ProtoReader } from '../protobuf-reader.ts';
import { parseLabelSelector } from './label-selector.ts';
import { timestampToNs } from './timestamp.ts';

// Field keys, (field << 3) | wire type.
const LEN_1 = 0x0a;
const LEN_2 = 0x12;
const LEN_3 = 0x1a;
const VARINT_1 = 0x08;
const VARINT_2 = 0x10;

export function decodeLokiProtobuf(body: Buffer): DecodeResult {
  const r = new ProtoReader(body);
  const streams: RawStream[] = [];
  const rejected: Rejection[] = [];
  let index = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) {
      const stream = decodeStream(r, index++, rejected);
      if (stream === undefined) continue;
      if (streams.length !== index - 1) stream.bodyIndex = index - 1;
      streams.push(stream);
    } else {
      r.skip(tag);
    }
  }
  return { request: { streams }, rejected };
}

function decodeStream(r: ProtoReader, index: number, rejected: Rejection[]): RawStream | undefined {
  const saved = r.enter();
  const firstRejection = rejected.length;
  const entries: RawEntry[] = [];
  let bodyEntries: number[] | undefined; // once an entry is dropped
  let labelsText: string | undefined = '';
  let count = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_2) {
      const entry = decodeEntry(r, index, count++, rejected);
      if (entry !== undefined) {
        entries.push(entry);
        bodyEntries?.push(count - 1);
      } else {
        bodyEntries ??= entries.map((_, i) => i);
      }
    } else if (tag === LEN_1) {
      labelsText = r.tryString();
    } else {
      r.skip(tag);
    }
  }
  r.leave(saved);
  // Labels may follow the entries on the wire, so they are parsed last.
  const labels = labelsOf(labelsText);
  if (typeof labels === 'string') {
    // Bad labels make every entry of the stream unusable; that reason
    // replaces any per-entry ones so each entry is counted once.
    rejected.length = firstRejection;
    for (let e = 0; e < count; e++) rejected.push({ stream: index, entry: e, reason: 'bad_labels', message: labels });
    return undefined;
  }
  if (entries.length === 0) return undefined;
  return bodyEntries === undefined ? { labels, entries } : { labels, entries, bodyEntries };
}

/** The parsed label set, or an error message. */
function labelsOf(text: string | undefined): Labels | string {
  if (text === undefined) return 'stream labels are not valid UTF-8';
  try {
    return parseLabelSelector(text);
  } catch (err) {
    return (err as Error).message;
  }
}

function decodeEntry(r: ProtoReader, s: number, e: number, rejected: Rejection[]): RawEntry | undefined {
  const saved = r.enter();
  let seconds = 0;
  let nanos = 0;
  let line: string | undefined = '';
  let metadata: Labels | undefined;
  let metadataOk = true;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_2) {
      line = r.tryString();
    } else if (tag === LEN_1) {
      const outer = r.enter();
      while (!r.done()) {
        const t = r.tag();
        if (t === VARINT_1) seconds = r.int64Number();
        else if (t === VARINT_2) nanos = r.int32();
        else r.skip(t);
      }
      r.leave(outer);
    } else if (tag === LEN_3) {
      metadata ??= {};
      metadataOk = readPair(r, metadata) && metadataOk;
    } else {
      r.skip(tag);
    }
  }
  r.leave(saved);
  if (line === undefined || !metadataOk) {
    const what = line === undefined ? 'line' : 'structured metadata';
    rejected.push({ stream: s, entry: e, reason: 'invalid_utf8', message: `${what} is not valid UTF-8 (byte ${r.badUtf8At})` });
    return undefined;
  }
  const tsNs = timestampToNs(seconds, nanos);
  if (tsNs === undefined) {
    rejected.push({ stream: s, entry: e, reason: 'bad_timestamp', message: `invalid timestamp ${seconds}s ${nanos}ns` });
    return undefined;
  }
  return metadata === undefined ? { tsNs, line } : { tsNs, line, metadata };
}

/** Reads a LabelPairAdapter into `into`; false when a string is not valid UTF-8. */
function readPair(r: ProtoReader, into: Labels): boolean {
  const saved = r.enter();
  let name: string | undefined = '';
  let value: string | undefined = '';
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) name = r.tryString();
    else if (tag === LEN_2) value = r.tryString();
    else r.skip(tag);
  }
  r.leave(saved);
  if (name === undefined || value === undefined) return false;
  setOwn(into, name, value);
  return true;
}
