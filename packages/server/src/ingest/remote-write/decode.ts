/**
 * Prometheus remote write 1.0: a snappy-block-compressed `prometheus.WriteRequest`
 * (remote.proto, types.proto in shared/conformance/remote-write), decoded with
 * ProtoReader into the TSDB's columnar `SampleBatch` (no object per sample).
 *
 * Broken framing refuses the body (VIGIL_ERR_BODY_MALFORMED). A series with
 * bad labels is rejected alone, with a message naming the problem, and the
 * rest is kept: the caller stores the good series and answers 400 with the
 * rejections, as Prometheus' own receiver does. Metadata is returned;
 * exemplars are skipped; native histograms are not supported yet and reject
 * their series.
 */
import { VigilError } from '../../errors.ts';
import { snappyDecompress, type BodyLimits } from '../body.ts';
import { ProtoReader } from '../protobuf-reader.ts';
import type { MetricMetadata, MetricType } from '../../metadata/index.ts';
import type { SampleBatch, SeriesLabels } from '../../tsdb/model.ts';

// Field keys, (field << 3) | wire type.
const LEN_1 = 0x0a;
const LEN_2 = 0x12;
const LEN_3 = 0x1a;
const LEN_4 = 0x22;
const I64_1 = 0x09;
const VARINT_1 = 0x08;
const VARINT_2 = 0x10;
const LEN_5 = 0x2a;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export interface RemoteWriteRejection {
  /** Index of the TimeSeries in the request. */
  index: number;
  /** The series as far as it was read, e.g. `up{job="api"}`. */
  series: string;
  reason: string;
}

/** A metric family's metadata (WriteRequest field 3), as Prometheus sends it from its scrape cache. */
export interface RemoteWriteMetadata extends MetricMetadata {
  family: string;
}

export interface RemoteWriteResult {
  /** The accepted series and their samples. */
  batch: SampleBatch;
  rejected: RemoteWriteRejection[];
  /** Samples in the accepted series. */
  samples: number;
  metadata: RemoteWriteMetadata[];
}

/** A decoded request before its label sets are handed out (as objects here, as ids by the decode worker). */
export interface DecodedWriteRequest extends Omit<RemoteWriteResult, 'batch'> {
  labelSets: DecodedLabels[];
  start: Uint32Array;
  t: Float64Array;
  v: Float64Array;
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
  checkRemoteWriteHeaders(headers);
  return decodeWriteRequest(snappyDecompress(raw, limits.maxBytes));
}

/** Refuses what is not remote write 1.0 before the body is read. */
export function checkRemoteWriteHeaders(headers: RemoteWriteHeaders): void {
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
}

/** An uncompressed `prometheus.WriteRequest`. */
export function decodeWriteRequest(body: Buffer): RemoteWriteResult {
  const { labelSets, start, t, v, ...rest } = decodeWriteRequestParts(body);
  return { batch: { labels: labelSets.map((l) => l.labels!), start, t, v }, ...rest };
}

/** Growable sample columns and the accepted series' offsets into them. */
class Columns {
  t: Float64Array;
  v: Float64Array;
  n = 0;
  readonly starts: number[] = [];

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
  }

  push(t: number, v: number): void {
    if (this.n === this.t.length) {
      const t2 = new Float64Array(this.n * 2 + 16);
      const v2 = new Float64Array(this.n * 2 + 16);
      t2.set(this.t);
      v2.set(this.v);
      this.t = t2;
      this.v = v2;
    }
    this.t[this.n] = t;
    this.v[this.n++] = v;
  }
}

export function decodeWriteRequestParts(body: Buffer): DecodedWriteRequest {
  if (labelCache.size >= MAX_LABEL_CACHE) clearLabelCache(); // between requests: a request's label ids stay valid
  const r = new ProtoReader(body);
  // One sample per TimeSeries takes ~30 bytes with its labels; grown if more.
  const cols = new Columns(Math.ceil(body.length / 24));
  const out = { labelSets: [] as DecodedLabels[], rejected: [] as RemoteWriteRejection[], samples: 0, metadata: [] as RemoteWriteMetadata[] };
  let index = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === LEN_1) decodeTimeSeries(r, index++, out, cols);
    else if (tag === LEN_3) out.metadata.push(decodeMetadata(r));
    else r.skip(tag); // reserved 2
  }
  cols.starts.push(cols.n);
  return { ...out, start: Uint32Array.from(cols.starts), t: cols.t.slice(0, cols.n), v: cols.v.slice(0, cols.n) };
}

const METRIC_TYPES: MetricType[] = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];

function decodeMetadata(r: ProtoReader): RemoteWriteMetadata {
  const saved = r.enter();
  const m: RemoteWriteMetadata = { family: '', type: 'unknown', help: '', unit: '' };
  while (!r.done()) {
    const tag = r.tag();
    if (tag === VARINT_1) m.type = METRIC_TYPES[r.uint32()] ?? 'unknown';
    else if (tag === LEN_2) m.family = r.tryString() ?? '';
    else if (tag === LEN_4) m.help = r.tryString() ?? '';
    else if (tag === LEN_5) m.unit = r.tryString() ?? '';
    else r.skip(tag);
  }
  r.leave(saved);
  return m;
}

/**
 * Decoded label sets by their raw bytes (the TimeSeries' label fields, tags
 * and length prefixes included, so the key is unambiguous). Prometheus
 * re-sends the same label sets every request, so a known one costs a slice
 * and a Map lookup instead of UTF-8 decoding and validation. The labels are
 * frozen and shared between requests: the TSDB uses a frozen label object's
 * identity to find its series without rebuilding a canonical key.
 */
export interface DecodedLabels {
  /** Undefined once the decode worker has sent them (the main thread keeps them). */
  labels: SeriesLabels | undefined;
  /** Its number in this cache generation (what the decode worker sends instead of the labels). */
  id: number;
  /** The decode worker has sent these labels to the main thread. */
  sent: boolean;
  /** The first problem of a label field, and the ordinal of that field. */
  fieldProblem?: string;
  fieldProblemAt: number;
  /** Missing or invalid metric name (only when no field problem). */
  nameProblem?: string;
}

const MAX_LABEL_CACHE = 1 << 17;
const labelCache = new Map<string, DecodedLabels>();
let cacheGeneration = 0;

function clearLabelCache(): void {
  labelCache.clear();
  cacheGeneration++;
}

/** Changes whenever label ids are reused (the cache was cleared). */
export function labelCacheGeneration(): number {
  return cacheGeneration;
}

type Latin1Slice = (this: Buffer, start: number, end: number) => string;
const latin1Slice: Latin1Slice =
  (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice ??
  function (this: Buffer, start: number, end: number) {
    return this.toString('latin1', start, end);
  };

function decodeTimeSeries(
  r: ProtoReader,
  index: number,
  out: Pick<DecodedWriteRequest, 'labelSets' | 'rejected' | 'samples'>,
  cols: Columns,
): void {
  const saved = r.enter();
  const bodyStart = r.pos;
  const firstSample = cols.n;
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
      const p = decodeSample(r, cols);
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
    decoded = decodeLabels(r, labelCache.size);
    r.pos = end;
    labelCache.set(key, decoded);
  }
  let problem: string | undefined;
  if (decoded.fieldProblem !== undefined) {
    problem =
      sampleProblem !== undefined && labelFieldsBeforeSampleProblem <= decoded.fieldProblemAt ? sampleProblem : decoded.fieldProblem;
  } else problem = sampleProblem ?? decoded.nameProblem;
  if (problem === undefined && histograms > 0) {
    problem = 'native histograms are not supported; send classic histograms (_bucket, _sum, _count)';
  }
  if (problem !== undefined) {
    cols.n = firstSample;
    // The decode worker drops label objects it has sent: decoded again for the message.
    if (decoded.labels === undefined) r.pos = bodyStart;
    const series = formatLabels(decoded.labels ?? decodeLabels(r, -1).labels!);
    out.rejected.push({ index, series, reason: `timeseries[${index}] ${series}: ${problem}` });
  } else if (cols.n > firstSample) {
    cols.starts.push(firstSample);
    out.labelSets.push(decoded);
    out.samples += cols.n - firstSample;
  }
  r.pos = end;
  r.leave(saved);
}

/** Decodes the label fields of the TimeSeries `r` is in, from its start; leaves `pos` anywhere. */
function decodeLabels(r: ProtoReader, id: number): DecodedLabels {
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
  return { labels: Object.freeze(labels), id, sent: false, fieldProblem, fieldProblemAt, nameProblem };
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

function decodeSample(r: ProtoReader, cols: Columns): string | undefined {
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
  cols.push(t, v);
  return undefined;
}

function formatLabels(labels: SeriesLabels): string {
  const name = labels.__name__ ?? '';
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${rest.join(', ')}}`;
}
