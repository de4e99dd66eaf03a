/** Query results in the Prometheus HTTP API's `data` shape (seconds, values as strings). */
import type { QueryResult } from './engine.ts';
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
        result: r.result.map((s) => ({ metric: s.metric, values: s.points.map((p): [number, string] => [sec(p.t), formatValue(p.v)]) })),
      };
  }
}
