/**
 * Aggregation operators, per step: group samples by `by`/`without`, then
 * fold each group. topk/bottomk/limitk keep the input samples' labels.
 */
import type { Aggregate } from './ast.ts';
import { keyOn, keyWithout, labelsKey, type Labels } from './labels.ts';
import { formatValue } from './literals.ts';
import { kahanSumInc, promMean, promVariance, quantile } from './math.ts';
import type { VSample, Vector } from './values.ts';
import { execError } from './values.ts';

interface Group { labels: Labels; samples: VSample[] }

export function groupLabels(labels: Labels, e: Aggregate, without: ReadonlySet<string>): Labels {
  const out: Labels = {};
  if (e.without) {
    for (const n of Object.keys(labels)) if (n !== '__name__' && !without.has(n)) out[n] = labels[n];
  } else {
    for (const n of e.grouping) if (Object.hasOwn(labels, n) && labels[n] !== '') out[n] = labels[n];
  }
  return out;
}

/** One step of an aggregation; `param` is the step's scalar (k, q) or the count_values label. */
/** Per input label object, its group key and group labels; shared by all steps of one aggregation. */
export type GroupCache = WeakMap<Labels, { key: string; labels: Labels }>;

export function aggregateStep(e: Aggregate, vec: Vector, param: number | string | undefined, cache: GroupCache = new WeakMap()): Vector {
  const without = new Set(e.grouping);
  const groups = new Map<string, Group>();
  for (const s of vec) {
    let gk = cache.get(s.labels);
    if (gk === undefined) {
      gk = { key: e.without ? keyWithout(s.labels, without) : keyOn(s.labels, e.grouping), labels: groupLabels(s.labels, e, without) };
      cache.set(s.labels, gk);
    }
    let g = groups.get(gk.key);
    if (!g) groups.set(gk.key, (g = { labels: gk.labels, samples: [] }));
    g.samples.push(s);
  }
  const out: Vector = [];
  if (e.op === 'count_values') {
    // Prometheus counts per output label set (group labels plus the value
    // label), so groups that become equal once the label is set are merged.
    const counts = new Map<string, { labels: Labels; v: number }>();
    for (const g of groups.values()) {
      for (const s of g.samples) {
        const labels = { ...g.labels, [param as string]: formatValue(s.v) };
        const key = labelsKey(labels);
        const c = counts.get(key);
        if (c) c.v++;
        else counts.set(key, { labels, v: 1 });
      }
    }
    for (const c of counts.values()) out.push(c);
    return out;
  }
  for (const g of groups.values()) {
    const values = g.samples.map((s) => s.v);
    switch (e.op) {
      case 'sum': {
        let sum = 0, c = 0;
        for (const v of values) [sum, c] = kahanSumInc(v, sum, c);
        out.push({ labels: g.labels, v: Number.isFinite(sum) ? sum + c : sum });
        break;
      }
      case 'avg': out.push({ labels: g.labels, v: promMean(values) }); break;
      case 'count': out.push({ labels: g.labels, v: values.length }); break;
      case 'group': out.push({ labels: g.labels, v: 1 }); break;
      case 'min':
      case 'max': {
        let best = values[0];
        for (const v of values) {
          if (Number.isNaN(best) || (e.op === 'max' ? v > best : v < best)) best = v;
        }
        out.push({ labels: g.labels, v: best });
        break;
      }
      case 'stddev': out.push({ labels: g.labels, v: Math.sqrt(promVariance(values)) }); break;
      case 'stdvar': out.push({ labels: g.labels, v: promVariance(values) }); break;
      case 'quantile': out.push({ labels: g.labels, v: quantile(param as number, values) }); break;
      case 'topk':
      case 'bottomk':
      case 'limitk': {
        const k = Math.trunc(Math.min(param as number, Number.MAX_SAFE_INTEGER));
        if (!(k >= 1)) break;
        if (e.op === 'limitk') {
          out.push(...g.samples.slice(0, k));
          break;
        }
        const top = e.op === 'topk';
        const sorted = [...g.samples].sort((a, b) => {
          if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : 1;
          if (Number.isNaN(b.v)) return -1;
          return top ? b.v - a.v : a.v - b.v;
        });
        out.push(...sorted.slice(0, k));
        break;
      }
      case 'limit_ratio':
        execError('limit_ratio is not supported yet');
    }
  }
  return out;
}

export function checkAggregateParam(e: Aggregate, param: number | string | undefined): void {
  if (e.op === 'count_values' && (typeof param !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(param))) {
    execError(`invalid label name "${String(param)}"`);
  }
  if ((e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk') && typeof param === 'number' && Number.isNaN(param)) {
    execError('Parameter value is NaN');
  }
  if (e.op === 'limit_ratio' && typeof param === 'number' && Number.isNaN(param)) {
    execError('Ratio value is NaN');
  }
}
