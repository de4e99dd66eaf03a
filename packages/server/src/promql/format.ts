/** Query results in the Prometheus HTTP API's `data` shape (seconds, values as strings). */
import { matrixColumns, type MatrixSeries, type QueryResult } from './engine.ts';
import { formatValue } from './literals.ts';
import type { FloatHistogram } from './histogram.ts';
import { allBuckets, boundaryRule } from './histogram-stats.ts';

/** A native histogram as the API writes it: buckets as [boundary rule, lower, upper, count]. */
export interface ApiHistogram { count: string; sum: string; buckets?: [number, string, string, string][] }

type ApiVectorSample = { metric: Record<string, string> } & ({ value: [number, string] } | { histogram: [number, ApiHistogram] });
type ApiMatrixSeries = { metric: Record<string, string>; values?: [number, string][]; histograms?: [number, ApiHistogram][] };

export type PromApiData =
  | { resultType: 'vector'; result: ApiVectorSample[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] }
  | { resultType: 'matrix'; result: ApiMatrixSeries[] };

/** The buckets with their boundary rules (histogram-stats.ts' boundaryRule). */
function apiHistogram(h: FloatHistogram): ApiHistogram {
  const buckets = allBuckets(h).filter((b) => b.count !== 0).map((b): [number, string, string, string] => {
    return [boundaryRule(b), formatValue(b.lower), formatValue(b.upper), formatValue(b.count)];
  });
  const out: ApiHistogram = { count: formatValue(h.count), sum: formatValue(h.sum) };
  if (buckets.length > 0) out.buckets = buckets;
  return out;
}

export function formatPromApi(r: QueryResult): PromApiData {
  const sec = (t: number): number => t / 1000;
  switch (r.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: r.result.map((s) => (s.h ? { metric: s.metric, histogram: [sec(s.t), apiHistogram(s.h)] } : { metric: s.metric, value: [sec(s.t), formatValue(s.v)] })),
      };
    case 'scalar':
      return { resultType: 'scalar', result: [sec(r.result.t), formatValue(r.result.v)] };
    case 'string':
      return { resultType: 'string', result: [sec(r.result.t), r.result.v] };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: r.result.map((s) => (hasHistograms(s) ? withHistograms(s) : { metric: s.metric, values: apiValues(s) })),
      };
  }
}

/** Column-backed series hold floats only; their points are not made just to look. */
function hasHistograms(s: MatrixSeries): boolean {
  return !matrixColumns.has(s) && s.points.some((p) => p.h);
}

/** A series with histogram points: floats under `values`, histograms under `histograms`, as Prometheus. */
function withHistograms(s: MatrixSeries): ApiMatrixSeries {
  const out: ApiMatrixSeries = { metric: s.metric };
  const floats = s.points.filter((p) => !p.h);
  if (floats.length > 0) out.values = floats.map((p) => [p.t / 1000, formatValue(p.v)]);
  out.histograms = s.points.filter((p) => p.h).map((p) => [p.t / 1000, apiHistogram(p.h!)]);
  return out;
}

function apiValues(s: MatrixSeries): [number, string][] {
  return mapFloats(s, (t, v) => [t / 1000, formatValue(v)]);
}

/** A float series' points through `f`, read from its columns when it has them. */
function mapFloats<X>(s: MatrixSeries, f: (t: number, v: number) => X): X[] {
  const cols = matrixColumns.get(s);
  if (cols === undefined) return s.points.map((p) => f(p.t, p.v));
  const out = new Array<X>(cols.t.length);
  for (let i = 0; i < out.length; i++) out[i] = f(cols.t[i], cols.v[i]);
  return out;
}

/**
 * `JSON.stringify(formatPromApi(r))`, with a matrix's float values written
 * straight from its points: a range query over 20k series answers millions
 * of points, and a `[time, "value"]` array each was most of the query
 * worker's peak memory.
 */
export function formatPromApiJson(r: QueryResult): string {
  if (r.resultType !== 'matrix') return JSON.stringify(formatPromApi(r));
  const series = r.result.map((s) =>
    hasHistograms(s) ? JSON.stringify(withHistograms(s)) : `{"metric":${JSON.stringify(s.metric)},"values":[${valuesJson(s)}]}`,
  );
  return `{"resultType":"matrix","result":[${series.join(',')}]}`;
}

/** The points as JSON pairs; formatValue's strings need no escaping. */
function valuesJson(s: MatrixSeries): string {
  return mapFloats(s, (t, v) => `[${t / 1000},"${formatValue(v)}"]`).join(',');
}
