/**
 * OTLP/HTTP metrics, JSON (ExportMetricsServiceRequest in OTLP/JSON:
 * lowerCamelCase, 64-bit integers as strings or numbers, enums as numbers
 * or names). Structure that does not fit refuses the body, naming the path.
 */
import { VigilError } from '../../errors.ts';
import { isJsonObject, parseJsonBody, type JsonObject } from '../json-body.ts';
import type { Labels } from '../model.ts';
import { Base64, flattenInto, KvList, MAX_ANY_DEPTH, type Plain } from '../otlp/any-value.ts';
import type { HistogramPoint, MetricData, NumberPoint, OtlpMetric, OtlpResourceMetrics, PointBase, SummaryPoint } from './model.ts';
import { translateOtlpMetrics, type OtlpMetricsResult } from './translate.ts';

export function decodeOtlpMetricsJson(body: Buffer): OtlpMetricsResult {
  return translateOtlpMetrics(readOtlpMetricsJson(body));
}

export function readOtlpMetricsJson(body: Buffer): OtlpResourceMetrics[] {
  const doc = parseJsonBody(body);
  if (!isJsonObject(doc)) malformed('OTLP metrics body must be a JSON object (ExportMetricsServiceRequest)');
  return list(doc, 'resourceMetrics', '').map((rm, i) => {
    const path = `resourceMetrics[${i}]`;
    const o = obj(rm, path);
    const resource = o.resource === undefined ? {} : obj(o.resource, `${path}.resource`);
    return {
      attributes: attributes(resource.attributes, `${path}.resource.attributes`),
      scopes: list(o, 'scopeMetrics', path).map((sm, j) => {
        const sp = `${path}.scopeMetrics[${j}]`;
        const so = obj(sm, sp);
        const scope = so.scope === undefined ? {} : obj(so.scope, `${sp}.scope`);
        return {
          scopeName: typeof scope.name === 'string' ? scope.name : '',
          scopeVersion: typeof scope.version === 'string' ? scope.version : '',
          metrics: list(so, 'metrics', sp).map((m, k) => metric(m, `${sp}.metrics[${k}]`)),
        };
      }),
    };
  });
}

function metric(m: unknown, path: string): OtlpMetric {
  const o = obj(m, path);
  const out: OtlpMetric = { name: str(o.name), description: str(o.description), unit: str(o.unit), data: { kind: 'none' } };
  if (o.gauge !== undefined) out.data = numbers(obj(o.gauge, `${path}.gauge`), 'gauge', `${path}.gauge`);
  else if (o.sum !== undefined) out.data = numbers(obj(o.sum, `${path}.sum`), 'sum', `${path}.sum`);
  else if (o.histogram !== undefined) {
    const h = obj(o.histogram, `${path}.histogram`);
    out.data = {
      kind: 'histogram',
      temporality: temporality(h.aggregationTemporality),
      points: list(h, 'dataPoints', `${path}.histogram`).map((p, i) => histogramPoint(p, `${path}.histogram.dataPoints[${i}]`)),
    };
  } else if (o.exponentialHistogram !== undefined) {
    const h = obj(o.exponentialHistogram, `${path}.exponentialHistogram`);
    out.data = { kind: 'exponential_histogram', points: list(h, 'dataPoints', path).length };
  } else if (o.summary !== undefined) {
    const s = obj(o.summary, `${path}.summary`);
    out.data = {
      kind: 'summary',
      points: list(s, 'dataPoints', `${path}.summary`).map((p, i) => summaryPoint(p, `${path}.summary.dataPoints[${i}]`)),
    };
  }
  return out;
}

function numbers(o: JsonObject, kind: 'gauge' | 'sum', path: string): MetricData {
  const points = list(o, 'dataPoints', path).map((p, i): NumberPoint => {
    const pp = `${path}.dataPoints[${i}]`;
    const po = obj(p, pp);
    let value = 0;
    if (po.asDouble !== undefined) value = double(po.asDouble, `${pp}.asDouble`);
    else if (po.asInt !== undefined) value = Number(int(po.asInt, `${pp}.asInt`));
    return { ...base(po, pp), value };
  });
  if (kind === 'gauge') return { kind, points };
  return { kind, temporality: temporality(o.aggregationTemporality), monotonic: o.isMonotonic === true, points };
}

function histogramPoint(p: unknown, path: string): HistogramPoint {
  const o = obj(p, path);
  const counts = o.bucketCounts ?? [];
  const bounds = o.explicitBounds ?? [];
  if (!Array.isArray(counts)) malformed(`${path}.bucketCounts is not an array`);
  if (!Array.isArray(bounds)) malformed(`${path}.explicitBounds is not an array`);
  return {
    ...base(o, path),
    count: Number(int(o.count ?? 0, `${path}.count`)),
    sum: o.sum === undefined ? undefined : double(o.sum, `${path}.sum`),
    bucketCounts: counts.map((c, i) => Number(int(c, `${path}.bucketCounts[${i}]`))),
    bounds: bounds.map((b, i) => double(b, `${path}.explicitBounds[${i}]`)),
  };
}

function summaryPoint(p: unknown, path: string): SummaryPoint {
  const o = obj(p, path);
  const qs = o.quantileValues ?? [];
  if (!Array.isArray(qs)) malformed(`${path}.quantileValues is not an array`);
  return {
    ...base(o, path),
    count: Number(int(o.count ?? 0, `${path}.count`)),
    sum: o.sum === undefined ? 0 : double(o.sum, `${path}.sum`),
    quantiles: qs.map((q, i) => {
      const qo = obj(q, `${path}.quantileValues[${i}]`);
      return { quantile: double(qo.quantile ?? 0, `${path}.quantileValues[${i}].quantile`), value: double(qo.value ?? 0, `${path}.quantileValues[${i}].value`) };
    }),
  };
}

function base(o: JsonObject, path: string): PointBase {
  const t = o.timeUnixNano ?? 0;
  if (!(typeof t === 'number' ? Number.isInteger(t) && t >= 0 : typeof t === 'string' && /^\d{1,20}$/.test(t))) {
    malformed(`${path}.timeUnixNano must be a decimal integer, got ${JSON.stringify(t)}`);
  }
  return {
    attributes: attributes(o.attributes, `${path}.attributes`),
    timeNs: BigInt(t as string | number),
    flags: typeof o.flags === 'number' ? o.flags : 0,
  };
}

function temporality(v: unknown): number {
  if (v === 'AGGREGATION_TEMPORALITY_DELTA') return 1;
  if (v === 'AGGREGATION_TEMPORALITY_CUMULATIVE') return 2;
  return typeof v === 'number' ? v : 0;
}

function attributes(v: unknown, path: string): Labels {
  if (v === undefined || v === null) return {};
  const kv = kvlist(v, path, 0);
  const out: Labels = {};
  kv.keys.forEach((k, i) => flattenInto(out, k, kv.values[i]));
  return out;
}

function kvlist(v: unknown, path: string, depth: number): KvList {
  if (!Array.isArray(v)) malformed(`${path} is not a KeyValue list`);
  const out = new KvList([], []);
  v.forEach((kv, i) => {
    const o = obj(kv, `${path}[${i}]`);
    if (typeof o.key !== 'string') malformed(`${path}[${i}].key is not a string`);
    out.keys.push(o.key);
    out.values.push(anyValue(o.value, `${path}[${i}].value`, depth));
  });
  return out;
}

function anyValue(v: unknown, path: string, depth: number): Plain {
  if (v === undefined || v === null) return null;
  if (depth > MAX_ANY_DEPTH) malformed(`${path} is nested too deeply`);
  const o = obj(v, path);
  if (typeof o.stringValue === 'string') return o.stringValue;
  if (typeof o.boolValue === 'boolean') return o.boolValue;
  if (o.intValue !== undefined) return int(o.intValue, `${path}.intValue`);
  if (o.doubleValue !== undefined) return double(o.doubleValue, `${path}.doubleValue`);
  if (typeof o.bytesValue === 'string') return new Base64(o.bytesValue);
  if (o.arrayValue !== undefined) {
    const values = obj(o.arrayValue, `${path}.arrayValue`).values ?? [];
    if (!Array.isArray(values)) malformed(`${path}.arrayValue.values is not an array`);
    return values.map((x, i) => anyValue(x, `${path}.arrayValue.values[${i}]`, depth + 1));
  }
  if (o.kvlistValue !== undefined) return kvlist(obj(o.kvlistValue, path).values ?? [], `${path}.kvlistValue.values`, depth + 1);
  return null;
}

function int(v: unknown, path: string): bigint {
  const ok = typeof v === 'number' ? Number.isInteger(v) : typeof v === 'string' && /^-?\d{1,20}$/.test(v);
  if (!ok) malformed(`${path} must be an integer, got ${JSON.stringify(v)}`);
  return BigInt(v as number | string);
}

function double(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (!Number.isNaN(n) || v === 'NaN') return n;
  }
  malformed(`${path} must be a number, got ${JSON.stringify(v)}`);
}

function list(o: JsonObject, k: string, path: string): unknown[] {
  const v = o[k];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) malformed(`${path ? `${path}.` : ''}${k} is not an array`);
  return v;
}

function obj(v: unknown, path: string): JsonObject {
  if (!isJsonObject(v)) malformed(`${path} is not an object`);
  return v;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function malformed(message: string): never {
  throw new VigilError('VIGIL_ERR_BODY_MALFORMED', `malformed OTLP metrics body: ${message}`);
}
