/** Query results in the Prometheus HTTP API's `data` shape (seconds, values as strings). */
import { matrixColumns, type MatrixSeries, type QueryResult } from './engine.ts';
import { formatValue } from './literals.ts';

export type PromApiData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] };

export function formatPromApi(r: QueryResult): PromApiData {
  const sec = (t: number): number => t / 1000;
  switch (r.resultType) {
    case 'vector':
      return { resultType: 'vector', result: r.result.map((s) => ({ metric: s.metric, value: [sec(s.t), formatValue(s.v)] })) };
    case 'scalar':
      return { resultType: 'scalar', result: [sec(r.result.t), formatValue(r.result.v)] };
    case 'string':
      return { resultType: 'string', result: [sec(r.result.t), r.result.v] };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: r.result.map((s) => ({ metric: s.metric, values: apiValues(s) })),
      };
  }
}

function apiValues(s: MatrixSeries): [number, string][] {
  const cols = matrixColumns.get(s);
  if (cols === undefined) return s.points.map((p) => [p.t / 1000, formatValue(p.v)]);
  const values = new Array<[number, string]>(cols.t.length);
  for (let i = 0; i < values.length; i++) values[i] = [cols.t[i] / 1000, formatValue(cols.v[i])];
  return values;
}
