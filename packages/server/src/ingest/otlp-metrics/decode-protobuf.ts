/**
 * OTLP/HTTP metrics, protobuf (collector.metrics.v1.ExportMetricsServiceRequest),
 * hand-decoded with ProtoReader. Field numbers from metrics.proto, common.proto
 * and resource.proto in shared/conformance/otlp.
 */
import { Base64, flattenInto, KvList, MAX_ANY_DEPTH, type Plain } from '../otlp/any-value.ts';
import type { Labels } from '../model.ts';
import { ProtoReader, WIRE_LEN } from '../protobuf-reader.ts';
import type {
  HistogramPoint,
  MetricData,
  NumberPoint,
  OtlpMetric,
  OtlpResourceMetrics,
  OtlpScopeMetrics,
  SummaryPoint,
} from './model.ts';
import { translateOtlpMetrics, type OtlpMetricsResult } from './translate.ts';

const key = (field: number, wire: number): number => (field << 3) | wire;
const LEN = WIRE_LEN;
const VARINT = 0;
const I64 = 1;

export function decodeOtlpMetricsProtobuf(body: Buffer): OtlpMetricsResult {
  return translateOtlpMetrics(readOtlpMetricsProtobuf(body));
}

export function readOtlpMetricsProtobuf(body: Buffer): OtlpResourceMetrics[] {
  const r = new ProtoReader(body);
  const out: OtlpResourceMetrics[] = [];
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) out.push(readResourceMetrics(r));
    else r.skip(tag);
  }
  return out;
}

function readResourceMetrics(r: ProtoReader): OtlpResourceMetrics {
  const saved = r.enter();
  const res: OtlpResourceMetrics = { attributes: {}, scopes: [] };
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) res.attributes = readAttributesOf(r, 1); // Resource {1 attributes}
    else if (tag === key(2, LEN)) res.scopes.push(readScopeMetrics(r));
    else r.skip(tag);
  }
  r.leave(saved);
  return res;
}

function readScopeMetrics(r: ProtoReader): OtlpScopeMetrics {
  const saved = r.enter();
  const scope: OtlpScopeMetrics = { scopeName: '', scopeVersion: '', metrics: [] };
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) {
      const s = r.enter(); // InstrumentationScope {1 name, 2 version}
      while (!r.done()) {
        const t = r.tag();
        if (t === key(1, LEN)) scope.scopeName = r.string();
        else if (t === key(2, LEN)) scope.scopeVersion = r.string();
        else r.skip(t);
      }
      r.leave(s);
    } else if (tag === key(2, LEN)) scope.metrics.push(readMetric(r));
    else r.skip(tag);
  }
  r.leave(saved);
  return scope;
}

function readMetric(r: ProtoReader): OtlpMetric {
  const saved = r.enter();
  const metric: OtlpMetric = { name: '', description: '', unit: '', data: { kind: 'none' } };
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) metric.name = r.string();
    else if (tag === key(2, LEN)) metric.description = r.string();
    else if (tag === key(3, LEN)) metric.unit = r.string();
    else if (tag === key(5, LEN)) metric.data = readNumbers(r, 'gauge');
    else if (tag === key(7, LEN)) metric.data = readNumbers(r, 'sum');
    else if (tag === key(9, LEN)) metric.data = readHistogram(r);
    else if (tag === key(10, LEN)) metric.data = readExponential(r);
    else if (tag === key(11, LEN)) metric.data = readSummary(r);
    else r.skip(tag);
  }
  r.leave(saved);
  return metric;
}

function readNumbers(r: ProtoReader, kind: 'gauge' | 'sum'): MetricData {
  const saved = r.enter();
  const points: NumberPoint[] = [];
  let temporality = 0;
  let monotonic = false;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) points.push(readNumberPoint(r));
    else if (tag === key(2, VARINT)) temporality = r.uint32();
    else if (tag === key(3, VARINT)) monotonic = r.bool();
    else r.skip(tag);
  }
  r.leave(saved);
  return kind === 'gauge' ? { kind, points } : { kind, temporality, monotonic, points };
}

function readNumberPoint(r: ProtoReader): NumberPoint {
  const saved = r.enter();
  const p: NumberPoint = { attributes: {}, timeNs: 0n, flags: 0, value: 0 };
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(7, LEN)) readAttribute(r, p.attributes);
    else if (tag === key(3, I64)) p.timeNs = r.fixed64();
    else if (tag === key(4, I64)) p.value = r.double();
    else if (tag === key(6, I64)) p.value = Number(BigInt.asIntN(64, r.fixed64()));
    else if (tag === key(8, VARINT)) p.flags = r.uint32();
    else r.skip(tag);
  }
  r.leave(saved);
  return p;
}

function readHistogram(r: ProtoReader): MetricData {
  const saved = r.enter();
  const points: HistogramPoint[] = [];
  let temporality = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) points.push(readHistogramPoint(r));
    else if (tag === key(2, VARINT)) temporality = r.uint32();
    else r.skip(tag);
  }
  r.leave(saved);
  return { kind: 'histogram', temporality, points };
}

function readHistogramPoint(r: ProtoReader): HistogramPoint {
  const saved = r.enter();
  const p: HistogramPoint = { attributes: {}, timeNs: 0n, flags: 0, count: 0, sum: undefined, bucketCounts: [], bounds: [] };
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(9, LEN)) readAttribute(r, p.attributes);
    else if (tag === key(3, I64)) p.timeNs = r.fixed64();
    else if (tag === key(4, I64)) p.count = Number(r.fixed64());
    else if (tag === key(5, I64)) p.sum = r.double();
    else if (tag === key(6, LEN)) readPacked(r, (x) => p.bucketCounts.push(Number(x.fixed64())));
    else if (tag === key(6, I64)) p.bucketCounts.push(Number(r.fixed64()));
    else if (tag === key(7, LEN)) readPacked(r, (x) => p.bounds.push(x.double()));
    else if (tag === key(7, I64)) p.bounds.push(r.double());
    else if (tag === key(10, VARINT)) p.flags = r.uint32();
    else r.skip(tag);
  }
  r.leave(saved);
  return p;
}

function readExponential(r: ProtoReader): MetricData {
  const saved = r.enter();
  let points = 0;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) points++;
    r.skip(tag);
  }
  r.leave(saved);
  return { kind: 'exponential_histogram', points };
}

function readSummary(r: ProtoReader): MetricData {
  const saved = r.enter();
  const points: SummaryPoint[] = [];
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) points.push(readSummaryPoint(r));
    else r.skip(tag);
  }
  r.leave(saved);
  return { kind: 'summary', points };
}

function readSummaryPoint(r: ProtoReader): SummaryPoint {
  const saved = r.enter();
  const p: SummaryPoint = { attributes: {}, timeNs: 0n, flags: 0, count: 0, sum: 0, quantiles: [] };
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(7, LEN)) readAttribute(r, p.attributes);
    else if (tag === key(3, I64)) p.timeNs = r.fixed64();
    else if (tag === key(4, I64)) p.count = Number(r.fixed64());
    else if (tag === key(5, I64)) p.sum = r.double();
    else if (tag === key(6, LEN)) {
      const s = r.enter();
      const q = { quantile: 0, value: 0 };
      while (!r.done()) {
        const t = r.tag();
        if (t === key(1, I64)) q.quantile = r.double();
        else if (t === key(2, I64)) q.value = r.double();
        else r.skip(t);
      }
      r.leave(s);
      p.quantiles.push(q);
    } else if (tag === key(8, VARINT)) p.flags = r.uint32();
    else r.skip(tag);
  }
  r.leave(saved);
  return p;
}

function readPacked(r: ProtoReader, each: (r: ProtoReader) => void): void {
  const saved = r.enter();
  while (!r.done()) each(r);
  r.leave(saved);
}

/** A message whose field `field` is a repeated KeyValue (Resource). */
function readAttributesOf(r: ProtoReader, field: number): Labels {
  const saved = r.enter();
  const out: Labels = {};
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(field, LEN)) readAttribute(r, out);
    else r.skip(tag);
  }
  r.leave(saved);
  return out;
}

function readAttribute(r: ProtoReader, out: Labels): void {
  const list = new KvList([], []);
  readKeyValue(r, list, 0);
  flattenInto(out, list.keys[0], list.values[0]);
}

function readKeyValue(r: ProtoReader, list: KvList, depth: number): void {
  const saved = r.enter();
  let k = '';
  let v: Plain = null;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) k = r.string();
    else if (tag === key(2, LEN)) v = readAnyValue(r, depth);
    else r.skip(tag);
  }
  r.leave(saved);
  list.keys.push(k);
  list.values.push(v);
}

function readAnyValue(r: ProtoReader, depth: number): Plain {
  if (depth > MAX_ANY_DEPTH) r.fail('AnyValue nested too deeply');
  const saved = r.enter();
  let v: Plain = null;
  while (!r.done()) {
    const tag = r.tag();
    if (tag === key(1, LEN)) v = r.string();
    else if (tag === key(2, VARINT)) v = r.bool();
    else if (tag === key(3, VARINT)) v = r.int64();
    else if (tag === key(4, I64)) v = r.double();
    else if (tag === key(5, LEN) || tag === key(6, LEN)) {
      const isKv = tag === key(6, LEN);
      const s = r.enter();
      const arr: Plain[] = [];
      const kv = new KvList([], []);
      while (!r.done()) {
        const t = r.tag();
        if (t === key(1, LEN)) {
          if (isKv) readKeyValue(r, kv, depth + 1);
          else arr.push(readAnyValue(r, depth + 1));
        } else r.skip(t);
      }
      r.leave(s);
      v = isKv ? kv : arr;
    } else if (tag === key(7, LEN)) v = new Base64(r.base64());
    else r.skip(tag);
  }
  r.leave(saved);
  return v;
}
