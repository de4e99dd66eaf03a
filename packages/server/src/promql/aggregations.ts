/**
 * Aggregation operators, per step: group samples by `by`/`without`, then
 * fold each group. topk/bottomk/limitk keep the input samples' labels.
 */
import { goQuote } from '../logql/literals.ts';
import type { Aggregate } from './ast.ts';
import { keyOn, keyWithout, labelsKey, type Labels } from './labels.ts';
import { formatValue } from './literals.ts';
import { kahanSumInc, promMean, promVariance, quantile } from './math.ts';
import { histogramGroup } from './histogram-aggregate.ts';
import { histogramString } from './histogram-string.ts';
import type { EvalContext, VSample, Vector } from './values.ts';
import { execError, goFloat, NO_NOTES, warn } from './values.ts';
import { xxhash64 } from './xxhash64.ts';

interface Group { labels: Labels; samples: VSample[] }

/** Aggregations whose result is one new sample per group. */
export const FOLD_OPS: ReadonlySet<Aggregate['op']> = new Set(['sum', 'avg', 'count', 'group', 'min', 'max', 'stddev', 'stdvar', 'quantile']);

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

export function aggregateStep(
  e: Aggregate, vec: Vector, param: number | string | undefined, cache: GroupCache = new WeakMap(), notes = NO_NOTES,
): Vector {
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
        const labels = { ...g.labels, [param as string]: s.h ? histogramString(s.h) : formatValue(s.v) };
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
    if (g.samples.some((s) => s.h)) {
      const r = histogramGroup(e.op, g.labels, g.samples, notes);
      if ('done' in r) {
        if (r.done) out.push(r.done);
        continue;
      }
      if (r.floats.length === 0) continue;
      g.samples = r.floats;
    }
    const values = g.samples.map((s) => s.v);
    const folded = out.length;
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
      case 'limit_ratio': {
        const ratio = Math.max(-1, Math.min(1, param as number));
        for (const s of g.samples) if (keptByRatio(ratio, s.labels)) out.push(s);
        break;
      }
    }
    if (dropsName(e, g.labels, g.samples)) out[folded].drop = true;
  }
  return out;
}

/**
 * A fold grouped by `__name__` keeps the name only while no series of the
 * group is to lose it (Prometheus' delayed name removal): `sum by (__name__)
 * (rate(x[5m]))` ends without a name.
 */
function dropsName(e: Aggregate, groupLabels: Labels, samples: readonly { drop?: boolean }[]): boolean {
  return FOLD_OPS.has(e.op) && Object.hasOwn(groupLabels, '__name__') && samples.some((s) => s.drop === true);
}

const offsets = new WeakMap<Labels, number>();
const encoder = new TextEncoder();
const SEPARATOR = Uint8Array.of(0xff);

/**
 * A series' fixed place in [0, 1]: its label-set hash (Prometheus'
 * Labels.Hash: xxhash64 of `name\xff value\xff` in name order) over 2^64.
 */
export function ratioOffset(labels: Labels): number {
  let offset = offsets.get(labels);
  if (offset === undefined) {
    // The separator is the byte 0xff, which no UTF-8 text holds, so it is not encoded text.
    const parts: Uint8Array[] = [];
    for (const n of Object.keys(labels).sort()) parts.push(encoder.encode(n), SEPARATOR, encoder.encode(labels[n]), SEPARATOR);
    const bytes = new Uint8Array(parts.reduce((len, p) => len + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    offset = Number(xxhash64(bytes)) / 2 ** 64;
    offsets.set(labels, offset);
  }
  return offset;
}

/**
 * limit_ratio keeps a series whose offset is below a positive ratio, or at
 * or above 1 + a negative one: limit_ratio(r) and limit_ratio(-(1 - r))
 * split the series into two disjoint sets that together hold them all.
 */
function keptByRatio(ratio: number, labels: Labels): boolean {
  const offset = ratioOffset(labels);
  return ratio >= 0 ? offset < ratio : offset >= 1 + ratio;
}

/** limit_ratio's ratio outside [-1, 1] is capped, with a warning at the parameter. */
export function warnRatio(ctx: EvalContext, ratio: number, pos: number): void {
  if (ratio < -1 || ratio > 1) {
    const capped = ratio < -1 ? -1 : 1;
    warn(ctx, `ratio value should be between -1 and 1, got ${goFloat(ratio)}, capping to ${capped}`, pos);
  }
}

export function checkAggregateParam(e: Aggregate, param: number | string | undefined): void {
  if (e.op === 'count_values' && (typeof param !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(param))) {
    execError(`invalid label name ${goQuote(String(param))}`);
  }
  if ((e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk') && typeof param === 'number' && Number.isNaN(param)) {
    execError('Parameter value is NaN');
  }
  if (e.op === 'limit_ratio' && typeof param === 'number' && Number.isNaN(param)) {
    execError('Ratio value is NaN');
  }
}
