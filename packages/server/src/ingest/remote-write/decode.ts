/**
 * Prometheus remote write 1.0: a snappy-block-compressed `prometheus.WriteRequest`
 * (remote.proto, types.proto in shared/conformance/remote-write), decoded with
 * ProtoReader into the TSDB's `Series[]`.
 *
 * Broken framing refuses the body (VIGIL_ERR_BODY_MALFORMED). A series with
 * bad labels is rejected alone, with a message naming the problem, and the
 * rest is kept: the caller stores the good series and answers 400 with the
 * rejections, as Prometheus' own receiver does. Exemplars and metadata are
 * skipped; native histograms are not supported yet and reject their series.
 */
import { VigilError } from '../../errors.ts';
import { snappyDecompress, type BodyLimits } from '../body.ts';
import { ProtoReader } from '../protobuf-reader.ts';
import type { Sample, Series, SeriesLabels } from '../../tsdb/model.ts';

// Field keys, (field << 3) | wire type.
const LEN_1 = 0x0a;
const LEN_2 = 0x12;
const LEN_4 = 0x22;
const I64_1 = 0x09;
const VARINT_2 = 0x10;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export interface RemoteWriteRejection {
  /** Index of the TimeSeries in the request. */
  index: number;
  /** The series as far as it was read, e.g. `up{job="api"}`. */
  series: string;
  reason: string;
}

export interface RemoteWriteResult {
  series: Series[];
  rejected: RemoteWriteRejection[];
  /** Samples in the accepted series. */
  samples: number;
}

export interface RemoteWriteHeaders {
  contentEncoding?: string;
  contentType?: string;
}

/**
 * The HTTP body as sent (snappy block compressed). Content-Encoding must be
 * `snappy` or absent (Prometheus always snappy-decodes); remote write 2.0
 * (`proto=io.prometheus.write.v2.Request`) is refused with 415.
 */
export function decodeRemoteWriteBody(raw: Buffer, headers: RemoteWriteHeaders, limits: BodyLimits): RemoteWriteResult {
  const encoding = headers.contentEncoding?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'snappy') {
    throw new VigilError(
      'VIGIL_ERR_ENCODING_UNSUPPORTED',
      `remote write bodies must be snappy-compressed (Content-Encoding: snappy), got ${JSON.stringify(headers.contentEncoding)}`,
    );
  }
  const type = headers.contentType?.toLowerCase() ?? '';
  if (type.includes('io.prometheus.write.v2')) {
    throw new VigilError(
      'VIGIL_ERR_CONTENT_TYPE',
      `remote write 2.0 is not supported (Content-Type ${JSON.stringify(headers.contentType)}); send remote write 1.0 (prometheus.WriteRequest)`,
    );
  }
  return decodeWriteRequest(snappyDecompress(raw, limits.maxBytes));
}

/** An uncompressed `prometheus.WriteRequest`. */
export function decodeWriteRequest(body: Buffer): RemoteWriteResult {
  const r = new ProtoReader(body);
  const out: RemoteWriteResult = { series: [], rejected: [], samples: 0 };
  let index = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) decodeTimeSeries(r, index++, out);
    else r.skip(tag); // metadata (3), reserved 2
  }
  return out;
}

/**
 * Decoded label sets by their raw bytes (the TimeSeries' label fields, tags
 * and length prefixes included, so the key is unambiguous). Prometheus
 * re-sends the same label sets every request, so a known one costs a slice
 * and a Map lookup instead of UTF-8 decoding and validation. The labels are
 * frozen and shared between requests: the TSDB uses a frozen label object's
 * identity to find its series without rebuilding a canonical key.
 */
interface DecodedLabels {
  labels: SeriesLabels;
  /** The first problem of a label field, and the ordinal of that field. */
  fieldProblem?: string;
  fieldProblemAt: number;
  /** Missing or invalid metric name (only when no field problem). */
  nameProblem?: string;
}

const MAX_LABEL_CACHE = 1 << 17;
const labelCache = new Map<string, DecodedLabels>();

type Latin1Slice = (this: Buffer, start: number, end: number) => string;
const latin1Slice: Latin1Slice =
  (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice ??
  function (this: Buffer, start: number, end: number) {
    return this.toString('latin1', start, end);
  };

function decodeTimeSeries(r: ProtoReader, index: number, out: RemoteWriteResult): void {
  const saved = r.enter();
  const bodyStart = r.pos;
  const samples: Sample[] = [];
  let sampleProblem: string | undefined;
  let labelFieldsBeforeSampleProblem = 0;
  let labelFields = 0;
  let histograms = 0;
  // Raw label field bytes: contiguous runs, concatenated.
  let key = '';
  let segStart = -1;
  let segEnd = -1;
  while (!r.done()) {
    const at = r.pos;
    const tag = r.tag();
    if (tag === LEN_1) {
      r.skipBytes();
      labelFields++;
      if (at === segEnd) segEnd = r.pos;
      else {
        if (segStart >= 0) key += latin1Slice.call(r.buf, segStart, segEnd);
        segStart = at;
        segEnd = r.pos;
      }
    } else if (tag === LEN_2) {
      const p = decodeSample(r, samples);
      if (p !== undefined && sampleProblem === undefined) {
        sampleProblem = p;
        labelFieldsBeforeSampleProblem = labelFields;
      }
    } else if (tag === LEN_4) {
      histograms++;
      r.skip(tag);
    } else r.skip(tag); // exemplars (3)
  }
  const end = r.pos;
  if (segStart >= 0) key += latin1Slice.call(r.buf, segStart, segEnd);
  let decoded = labelCache.get(key);
  if (decoded === undefined) {
    r.pos = bodyStart;
    decoded = decodeLabels(r);
    r.pos = end;
    if (labelCache.size >= MAX_LABEL_CACHE) labelCache.clear();
    labelCache.set(key, decoded);
  }
  r.leave(saved);
  const labels = decoded.labels;
  let problem: string | undefined;
  if (decoded.fieldProblem !== undefined) {
    problem =
      sampleProblem !== undefined && labelFieldsBeforeSampleProblem <= decoded.fieldProblemAt ? sampleProblem : decoded.fieldProblem;
  } else problem = sampleProblem ?? decoded.nameProblem;
  if (problem === undefined && histograms > 0) {
    problem = 'native histograms are not supported; send classic histograms (_bucket, _sum, _count)';
  }
  if (problem !== undefined) {
    out.rejected.push({ index, series: formatLabels(labels), reason: `timeseries[${index}] ${formatLabels(labels)}: ${problem}` });
    return;
  }
  if (samples.length === 0) return;
  out.series.push({ labels, samples });
  out.samples += samples.length;
}

/** Decodes the label fields of the TimeSeries `r` is in, from its start; leaves `pos` anywhere. */
function decodeLabels(r: ProtoReader): DecodedLabels {
  const labels: SeriesLabels = {};
  let fieldProblem: string | undefined;
  let fieldProblemAt = -1;
  let prevName: string | undefined;
  let ordinal = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) {
      const result = decodeLabel(r, labels, prevName);
      if (result.problem === undefined) prevName = result.name;
      else if (fieldProblem === undefined) {
        fieldProblem = result.problem;
        fieldProblemAt = ordinal;
      }
      ordinal++;
    } else r.skip(tag);
  }
  let nameProblem: string | undefined;
  const name = labels.__name__;
  if (name === undefined) nameProblem = 'missing metric name (__name__ label)';
  else if (!METRIC_NAME.test(name)) nameProblem = `invalid metric name ${JSON.stringify(name)}: must match [a-zA-Z_:][a-zA-Z0-9_:]*`;
  return { labels: Object.freeze(labels), fieldProblem, fieldProblemAt, nameProblem };
}

/** Adds one label; returns its name, or the problem with it. */
function decodeLabel(
  r: ProtoReader,
  labels: SeriesLabels,
  prevName: string | undefined,
): { name: string; problem?: undefined } | { name?: undefined; problem: string } {
  const saved = r.enter();
  let name = '';
  let value = '';
  let bad: string | undefined;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) {
      const s = r.tryString();
      if (s === undefined) bad = 'invalid UTF-8 in a label name';
      else name = s;
    } else if (tag === 0x12) {
      const s = r.tryString();
      if (s === undefined) bad ??= `invalid UTF-8 in the value of label ${JSON.stringify(name)}`;
      else value = s;
    } else r.skip(tag);
  }
  r.leave(saved);
  if (bad !== undefined) return { problem: bad };
  if (!LABEL_NAME.test(name)) return { problem: `invalid label name ${JSON.stringify(name)}: must match [a-zA-Z_][a-zA-Z0-9_]*` };
  if (prevName !== undefined) {
    if (name === prevName) return { problem: `duplicate label name ${JSON.stringify(name)}` };
    if (name < prevName) return { problem: `labels not sorted by name: ${JSON.stringify(name)} after ${JSON.stringify(prevName)}` };
  }
  // An empty value is the same as no label (Prometheus semantics).
  if (value !== '') labels[name] = value;
  return { name };
}

function decodeSample(r: ProtoReader, samples: Sample[]): string | undefined {
  const saved = r.enter();
  let v = 0;
  let t = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === I64_1) v = r.double();
    else if (tag === VARINT_2) t = r.int64Number();
    else r.skip(tag);
  }
  r.leave(saved);
  if (!Number.isSafeInteger(t)) return `sample timestamp ${t} is not a valid millisecond time`;
  samples.push({ t, v });
  return undefined;
}

function formatLabels(labels: SeriesLabels): string {
  const name = labels.__name__ ?? '';
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${rest.join(', ')}}`;
}
