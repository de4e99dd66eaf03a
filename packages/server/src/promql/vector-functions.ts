/**
 * Functions that look at a whole vector or rewrite labels: absent,
 * label_replace, label_join, sorting and histogram_quantile (classic
 * `le` buckets; native histograms are refused at parse time).
 */
import { compileSafeRegex } from '../logql/index.ts';
import { goQuote } from '../logql/literals.ts';
import { VigilError } from '../errors.ts';
import type { Expr } from './ast.ts';
import { unwrapParens } from './ast.ts';
import { compareLabels, keyWithout, type Labels } from './labels.ts';
import { parseNumber } from './literals.ts';
import { naturalLess } from './natsort.ts';
import type { VSample, Vector } from './values.ts';
import { execError } from './values.ts';

/** The labels absent() reports: equality matchers of the selector, minus names matched twice. */
export function absentLabels(arg: Expr): Labels {
  const e = unwrapParens(arg);
  const vs = e.kind === 'vector-selector' ? e : e.kind === 'matrix-selector' ? e.selector : undefined;
  const out: Labels = {};
  if (!vs) return out;
  const seen = new Set<string>();
  for (const m of vs.matchers) {
    if (m.name === '__name__') continue;
    if (m.op === '=' && !seen.has(m.name)) {
      out[m.name] = m.value;
      seen.add(m.name);
    } else {
      delete out[m.name];
    }
  }
  return out;
}

/** Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; an unknown group is empty. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(?:\{([A-Za-z0-9_]*)\}|([A-Za-z0-9_]+)|(\$))/g, (_all, braced, bare, dollar) => {
    if (dollar) return '$';
    const name = (braced ?? bare) as string;
    if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
    return m.groups?.[name] ?? '';
  });
}

/** Any UTF-8 name but the empty one; a lone surrogate stands for a byte that is not UTF-8 (see unquoteString). */
function checkLabelName(name: string, fn: string): void {
  if (name === '' || /[\ud800-\udfff]/u.test(name)) execError(`invalid destination label name in ${fn}(): ${goQuote(name).slice(1, -1)}`);
}

export function labelReplace(steps: Vector[], dst: string, repl: string, src: string, pattern: string): Vector[] {
  let re: RegExp;
  try {
    re = compileSafeRegex(pattern, { anchored: true });
  } catch (err) {
    throw new VigilError('VIGIL_ERR_PROMQL_EXECUTION', `invalid regular expression in label_replace(): ${pattern}`, { cause: err });
  }
  checkLabelName(dst, 'label_replace');
  return relabelEach(steps, dst, (labels) => {
    re.lastIndex = 0;
    const m = re.exec(Object.hasOwn(labels, src) ? labels[src] : '');
    return m ? expand(repl, m) : undefined;
  });
}

export function labelJoin(steps: Vector[], dst: string, sep: string, srcs: string[]): Vector[] {
  checkLabelName(dst, 'label_join');
  return relabelEach(steps, dst, (labels) => srcs.map((n) => (Object.hasOwn(labels, n) ? labels[n] : '')).join(sep));
}

/**
 * Sets `dst` to what `valueOf` gives (undefined: leave the labels alone; '':
 * remove `dst`), once per distinct label object, since the same labels recur
 * at every step of a range query.
 */
function relabelEach(steps: Vector[], dst: string, valueOf: (labels: Labels) => string | undefined): Vector[] {
  const cache = new WeakMap<Labels, Labels>();
  const relabel = (labels: Labels): Labels => {
    let out = cache.get(labels);
    if (out) return out;
    const value = valueOf(labels);
    out = labels;
    if (value !== undefined) {
      out = { ...labels };
      if (value === '') delete out[dst];
      else out[dst] = value;
    }
    cache.set(labels, out);
    return out;
  };
  return steps.map((vec) => vec.map((s) => ({ labels: relabel(s.labels), v: s.v, drop: dst === '__name__' ? false : s.drop })));
}

/** sort / sort_desc: NaN last either way, as Prometheus. */
export function sortByValue(vec: Vector, desc: boolean): Vector {
  return [...vec].sort((a, b) => {
    if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : 1;
    if (Number.isNaN(b.v)) return -1;
    return desc ? b.v - a.v : a.v - b.v;
  });
}

/** sort_by_label: natural order of the named labels, then the whole label set. */
export function sortByLabel(vec: Vector, names: string[], desc: boolean): Vector {
  const order = (a: VSample, b: VSample): number => {
    for (const n of names) {
      const va = a.labels[n] ?? '';
      const vb = b.labels[n] ?? '';
      if (va !== vb) return naturalLess(va, vb) ? -1 : 1;
    }
    // Equal on the named labels: the whole label set decides, as in Prometheus, for a stable answer.
    return compareLabels(a.labels, b.labels);
  };
  return [...vec].sort(desc ? (a, b) => -order(a, b) : order);
}

interface Bucket { upper: number; count: number }

/** `forced` is called when the counts had to be made monotonic (Prometheus then raises an info). */
function bucketQuantile(q: number, buckets: Bucket[], forced?: () => void): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  buckets.sort((a, b) => a.upper - b.upper);
  if (buckets[buckets.length - 1].upper !== Infinity) return NaN;
  const merged: Bucket[] = [];
  for (const b of buckets) {
    const last = merged[merged.length - 1];
    if (last && last.upper === b.upper) last.count += b.count;
    else merged.push({ ...b });
  }
  let prev = merged[0].count;
  for (let i = 1; i < merged.length; i++) {
    const cur = merged[i].count;
    if (cur === prev) continue;
    if (Math.abs(cur - prev) <= 1e-12 * Math.max(Math.abs(cur), Math.abs(prev))) {
      merged[i].count = prev;
      continue;
    }
    if (cur < prev) {
      merged[i].count = prev;
      forced?.();
      continue;
    }
    prev = cur;
  }
  if (merged.length < 2) return NaN;
  const observations = merged[merged.length - 1].count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = 0;
  while (b < merged.length - 1 && !(merged[b].count >= rank)) b++;
  if (b === merged.length - 1) return merged[merged.length - 2].upper;
  if (b === 0 && merged[0].upper <= 0) return merged[0].upper;
  let start = 0;
  const end = merged[b].upper;
  let count = merged[b].count;
  if (b > 0) {
    start = merged[b - 1].upper;
    count -= merged[b - 1].count;
    rank -= merged[b - 1].count;
  }
  return start + (end - start) * (rank / count);
}

const WITHOUT_LE = new Set(['le']);

export function histogramQuantile(
  q: number, vec: Vector, badLe?: (name: string, le: string) => void, forcedMonotonic?: (name: string) => void,
): Vector {
  const groups = new Map<string, { labels: Labels; name: string; buckets: Bucket[] }>();
  for (const s of vec) {
    const upper = Object.hasOwn(s.labels, 'le') ? parseNumber(s.labels.le) : undefined;
    if (upper === undefined) badLe?.(s.labels.__name__ ?? '', s.labels.le ?? '');
    if (upper === undefined || Number.isNaN(upper)) continue;
    // Per metric name: two histograms that differ only by name clash in the output, as in Prometheus.
    const key = `${s.labels.__name__ ?? ''}\xff${keyWithout(s.labels, WITHOUT_LE)}`;
    let g = groups.get(key);
    if (!g) {
      const labels: Labels = { ...s.labels };
      delete labels.le;
      delete labels.__name__;
      groups.set(key, (g = { labels, name: s.labels.__name__ ?? '', buckets: [] }));
    }
    g.buckets.push({ upper, count: s.v });
  }
  const out: VSample[] = [];
  for (const g of groups.values()) {
    let forced = false;
    out.push({ labels: g.labels, v: bucketQuantile(q, g.buckets, () => { forced = true; }) });
    if (forced) forcedMonotonic?.(g.name);
  }
  return out;
}
