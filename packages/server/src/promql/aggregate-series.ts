/**
 * Aggregations over a SeriesVector (what `sum by (job) (rate(x[5m]))`
 * aggregates): each series' group is found once for the whole query, not
 * once per step, and the steps are folded from the value columns without a
 * sample object per series and step. Results, and their order within each
 * step, are those of aggregateStep over the same per-step vectors.
 */
import type { Aggregate, AggregateOp } from './ast.ts';
import { FOLD_OPS, groupLabels } from './aggregations.ts';
import { keyOn, keyWithout, type Labels } from './labels.ts';
import { promMean, promVariance, quantile } from './math.ts';
import type { SeriesVector, VSample, Vector } from './values.ts';

const SELECTIONS: ReadonlySet<AggregateOp> = new Set(['topk', 'bottomk', 'limitk']);

export function canAggregateSeries(op: AggregateOp): boolean {
  return FOLD_OPS.has(op) || SELECTIONS.has(op);
}

interface Grouping {
  /** Group of each series. */
  groupOf: Int32Array;
  /** Each group's labels and member series, in series order. */
  labels: Labels[];
  members: Int32Array[];
}

function groupSeries(e: Aggregate, series: Labels[]): Grouping {
  const without = new Set(e.grouping);
  const byKey = new Map<string, number>();
  const groupOf = new Int32Array(series.length);
  const labels: Labels[] = [];
  const lists: number[][] = [];
  series.forEach((l, s) => {
    const key = e.without ? keyWithout(l, without) : keyOn(l, e.grouping);
    let g = byKey.get(key);
    if (g === undefined) {
      byKey.set(key, (g = labels.length));
      labels.push(groupLabels(l, e, without));
      lists.push([]);
    }
    groupOf[s] = g;
    lists[g].push(s);
  });
  return { groupOf, labels, members: lists.map((m) => Int32Array.from(m)) };
}

/**
 * The aggregation at every step; `params[i]` is step i's k or q, checked by
 * `checkParam` before the step is folded (as the per-step path does).
 */
export function aggregateSeries(
  e: Aggregate, sv: SeriesVector, params: (number | string | undefined)[], checkParam: (p: number | string | undefined) => void,
): Vector[] {
  const grouping = groupSeries(e, sv.labels);
  const n = sv.steps;
  const seenAt = new Int32Array(grouping.labels.length);
  const order: number[] = [];
  const scratch = new Float64Array(sv.labels.length);
  const named = grouping.labels.map((l) => Object.hasOwn(l, '__name__'));
  const out: Vector[] = [];
  for (let i = 0; i < n; i++) {
    if (e.param) checkParam(params[i]);
    // Groups in the order their first present series comes, as grouping the step's vector gives.
    order.length = 0;
    for (let s = 0; s < sv.labels.length; s++) {
      const g = grouping.groupOf[s];
      if (sv.present[s * n + i] === 1 && seenAt[g] !== i + 1) {
        seenAt[g] = i + 1;
        order.push(g);
      }
    }
    const vec: Vector = [];
    for (const g of order) {
      if (SELECTIONS.has(e.op)) select(e.op, sv, i, grouping.members[g], params[i] as number, vec);
      else if (!named[g]) vec.push({ labels: grouping.labels[g], v: fold(e.op, sv, i, grouping.members[g], scratch, params[i] as number) });
      else vec.push(foldByName(e.op, sv, i, grouping.members[g], grouping.labels[g], scratch, params[i] as number));
    }
    out.push(vec);
  }
  return out;
}

/**
 * A group whose labels hold `__name__` (`by (__name__)`): it loses the name,
 * as aggregateStep's do, when one of its present series is to lose it.
 */
function foldByName(op: AggregateOp, sv: SeriesVector, i: number, members: Int32Array, labels: Labels, buf: Float64Array, param: number): VSample {
  const v = fold(op, sv, i, members, buf, param);
  const drop = members.some((s) => sv.present[s * sv.steps + i] === 1 && sv.drop[s]);
  return drop ? { labels, v, drop } : { labels, v };
}

/** One group's value at step i. */
function fold(op: AggregateOp, sv: SeriesVector, i: number, members: Int32Array, buf: Float64Array, param: number): number {
  const n = sv.steps;
  let count = 0;
  for (const s of members) if (sv.present[s * n + i] === 1) buf[count++] = sv.values[s * n + i];
  switch (op) {
    case 'sum': return sum(buf, count);
    case 'avg': return promMean(buf, 0, count);
    case 'count': return count;
    case 'group': return 1;
    case 'min':
    case 'max': {
      let best = buf[0];
      for (let k = 0; k < count; k++) {
        const v = buf[k];
        if (Number.isNaN(best) || (op === 'max' ? v > best : v < best)) best = v;
      }
      return best;
    }
    case 'stddev': return Math.sqrt(promVariance(buf, 0, count));
    case 'stdvar': return promVariance(buf, 0, count);
    case 'quantile': return quantile(param, Array.from(buf.subarray(0, count)));
    default: throw new Error(`${op} is not a fold`);
  }
}

/** Neumaier-compensated sum, as aggregateStep's (kahanSumInc inlined: this runs per group and step). */
function sum(buf: Float64Array, count: number): number {
  let total = 0;
  let c = 0;
  for (let k = 0; k < count; k++) {
    const inc = buf[k];
    const t = total + inc;
    if (!Number.isFinite(t) && !Number.isNaN(t)) c = 0;
    else if (Math.abs(total) >= Math.abs(inc)) c += total - t + inc;
    else c += inc - t + total;
    total = t;
  }
  return Number.isFinite(total) ? total + c : total;
}

/**
 * topk/bottomk/limitk of one group at step i: the first k of the group's
 * present series in the order a stable sort by value (NaN last) gives, kept
 * by insertion into a list of at most k.
 */
function select(op: AggregateOp, sv: SeriesVector, i: number, members: Int32Array, param: number, out: VSample[]): void {
  const k = Math.trunc(Math.min(param, Number.MAX_SAFE_INTEGER));
  if (!(k >= 1)) return;
  const n = sv.steps;
  const kept: number[] = [];
  const top = op === 'topk';
  const before = (a: number, b: number): boolean => {
    if (Number.isNaN(a)) return false;
    if (Number.isNaN(b)) return true;
    return top ? a > b : a < b;
  };
  for (const s of members) {
    const at = s * n + i;
    if (sv.present[at] !== 1) continue;
    if (op === 'limitk') {
      if (kept.length < k) kept.push(s);
      continue;
    }
    const v = sv.values[at];
    if (kept.length === k && !before(v, sv.values[kept[k - 1] * n + i])) continue;
    let p = kept.length;
    while (p > 0 && before(v, sv.values[kept[p - 1] * n + i])) p--;
    kept.splice(p, 0, s);
    if (kept.length > k) kept.pop();
  }
  for (const s of kept) out.push({ labels: sv.labels[s], v: sv.values[s * n + i], drop: sv.drop[s] });
}
