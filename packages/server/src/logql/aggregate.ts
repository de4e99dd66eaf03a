/**
 * Vector aggregations (`sum by (app) (…)`, `topk(3, …)`), applied at every
 * evaluation step independently, as Prometheus does.
 */
import type { Labels } from '../ingest/model.ts';
import type { VectorAggregation } from './ast.ts';
import { groupLabels, labelsKey } from './labels.ts';
import type { Series } from './range-eval.ts';

export function aggregate(node: Pick<VectorAggregation, 'op' | 'param' | 'grouping'>, input: Series[], steps: number): Series[] {
  if (node.op === 'topk' || node.op === 'bottomk') return selectK(node.op, node.param ?? 1, node.grouping, input, steps);
  const groups = new Map<string, { labels: Labels; acc: Float64Array; n: Uint32Array }>();
  const { op, grouping } = node;
  for (const s of input) {
    const labels = grouping ? groupLabels(s.labels, grouping.mode, grouping.labels) : {};
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels, acc: new Float64Array(steps), n: new Uint32Array(steps) }));
    for (let j = 0; j < s.steps.length; j++) {
      const i = s.steps[j];
      const v = s.values[j];
      const first = g.n[i] === 0;
      g.n[i]++;
      switch (op) {
        case 'sum':
        case 'avg':
          g.acc[i] += v;
          break;
        // NaN is replaced by any number, as in Prometheus.
        case 'min':
          if (first || v < g.acc[i] || Number.isNaN(g.acc[i])) g.acc[i] = v;
          break;
        case 'max':
          if (first || v > g.acc[i] || Number.isNaN(g.acc[i])) g.acc[i] = v;
          break;
        case 'count':
          break;
      }
    }
  }
  const out: Series[] = [];
  for (const g of groups.values()) {
    const series: Series = { labels: g.labels, steps: [], values: [] };
    for (let i = 0; i < steps; i++) {
      if (g.n[i] === 0) continue;
      series.steps.push(i);
      series.values.push(op === 'count' ? g.n[i] : op === 'avg' ? g.acc[i] / g.n[i] : g.acc[i]);
    }
    out.push(series);
  }
  return out;
}

/** topk/bottomk: per step and group, the k series with the highest/lowest values keep their points. */
function selectK(
  op: 'topk' | 'bottomk',
  k: number,
  grouping: VectorAggregation['grouping'],
  input: Series[],
  steps: number,
): Series[] {
  const keys = input.map((s) => labelsKey(s.labels));
  const groupKeys = input.map((s) => (grouping ? labelsKey(groupLabels(s.labels, grouping.mode, grouping.labels)) : ''));
  // Step-major view: which series have a value at step i.
  const atStep: { series: number; value: number }[][] = Array.from({ length: steps }, () => []);
  input.forEach((s, idx) => s.steps.forEach((i, j) => atStep[i].push({ series: idx, value: s.values[j] })));
  // NaN ranks last in both directions; ties break on labels so results are stable.
  const sign = op === 'topk' ? -1 : 1;
  const order = (a: { series: number; value: number }, b: { series: number; value: number }): number => {
    const an = Number.isNaN(a.value);
    const bn = Number.isNaN(b.value);
    if (an || bn) return an === bn ? 0 : an ? 1 : -1;
    if (a.value !== b.value) return sign * (a.value - b.value);
    return keys[a.series] < keys[b.series] ? -1 : keys[a.series] > keys[b.series] ? 1 : 0;
  };
  const out = input.map((s) => ({ labels: s.labels, steps: [] as number[], values: [] as number[] }));
  for (let i = 0; i < steps; i++) {
    const byGroup = new Map<string, { series: number; value: number }[]>();
    for (const e of atStep[i]) {
      const list = byGroup.get(groupKeys[e.series]);
      if (list) list.push(e);
      else byGroup.set(groupKeys[e.series], [e]);
    }
    for (const list of byGroup.values()) {
      for (const e of list.sort(order).slice(0, k)) {
        out[e.series].steps.push(i);
        out[e.series].values.push(e.value);
      }
    }
  }
  return out.filter((s) => s.steps.length > 0);
}
