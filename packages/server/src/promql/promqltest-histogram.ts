/**
 * Native histograms in `.test` scripts (FORMAT.md §3.2, §3.4, §5.6): the
 * `{{...}}` literal and its `xN` expansions, `load_with_nhcb`'s histograms
 * built from classic bucket series, and histogram equality.
 */
import { addHistograms, CUSTOM_BUCKETS_SCHEMA, emptyHistogram, nonEmptyBuckets, type FloatHistogram, type ResetHint } from './histogram.ts';
import { labelsKey, type Labels } from './labels.ts';
import { parseNumber } from './literals.ts';

/** A literal plus whether it gave its counter-reset hint (only then is the hint compared). */
export interface ScriptHistogram extends FloatHistogram { hintGiven?: boolean }

const HINTS: Record<string, ResetHint> = { unknown: 'unknown', reset: 'reset', not_reset: 'not_reset', gauge: 'gauge' };

function number(text: string): number {
  const v = parseNumber(text);
  if (v === undefined) throw new Error(`bad number "${text}" in histogram`);
  return v;
}

function list(text: string): number[] {
  const inner = /^\[(.*)\]$/.exec(text);
  if (!inner) throw new Error(`bad list "${text}" in histogram`);
  return inner[1].trim() === '' ? [] : inner[1].trim().split(/\s+/).map(number);
}

/** `{{schema:0 sum:5 count:4 buckets:[1 2 1]}}` (braces included). */
export function parseHistogram(text: string): ScriptHistogram {
  const body = text.slice(2, -2);
  const h: ScriptHistogram = emptyHistogram(0);
  for (const [, key, value] of body.matchAll(/(\w+):(\[[^\]]*\]|\S+)/g)) {
    switch (key) {
      case 'schema': h.schema = number(value); break;
      case 'sum': h.sum = number(value); break;
      case 'count': h.count = number(value); break;
      case 'z_bucket': h.zeroCount = number(value); break;
      case 'z_bucket_w': h.zeroThreshold = number(value); break;
      case 'buckets': h.pos = list(value); break;
      case 'offset': h.posOffset = number(value); break;
      case 'n_buckets': h.neg = list(value); break;
      case 'n_offset': h.negOffset = number(value); break;
      case 'custom_values': h.customValues = list(value); break;
      case 'counter_reset_hint':
        if (!HINTS[value]) throw new Error(`bad counter_reset_hint "${value}"`);
        h.hint = HINTS[value];
        h.hintGiven = true;
        break;
      default: throw new Error(`unknown histogram key "${key}"`);
    }
  }
  if (h.schema === CUSTOM_BUCKETS_SCHEMA) h.customValues ??= [];
  return h;
}

/** `{{A}}`, `{{A}}xN` or `{{A}}±{{B}}xN` expanded to its histograms. */
export function expandHistogramItem(item: string): FloatHistogram[] {
  const m = /^(\{\{[^}]*\}\})(?:([+-])(\{\{[^}]*\}\}))?(?:x(\d+))?$/.exec(item);
  if (!m) throw new Error(`bad histogram item "${item}"`);
  const first = parseHistogram(m[1]);
  const times = m[4] === undefined ? 1 : Number(m[4]) + 1;
  const step = m[3] === undefined ? undefined : parseHistogram(m[3]);
  const out: FloatHistogram[] = [first];
  for (let i = 1; i < times; i++) {
    const prev = out[i - 1];
    out.push(step ? { ...addHistograms(prev, step, m[2] === '-' ? -1 : 1), hint: prev.hint } : prev);
  }
  return out;
}

function sameBuckets(a: FloatHistogram, b: FloatHistogram, sign: 'pos' | 'neg', eq: (x: number, y: number) => boolean): boolean {
  const x = nonEmptyBuckets(a[sign], sign === 'pos' ? a.posOffset : a.negOffset);
  const y = nonEmptyBuckets(b[sign], sign === 'pos' ? b.posOffset : b.negOffset);
  return x.length === y.length && x.every(([i, c], k) => i === y[k][0] && eq(c, y[k][1]));
}

/** §5.6: equal after dropping empty buckets; the hint only when the expected literal gave one. */
export function histogramsEqual(got: FloatHistogram, want: ScriptHistogram, eq: (x: number, y: number) => boolean): boolean {
  if (got.schema !== want.schema || got.zeroThreshold !== want.zeroThreshold) return false;
  if (!eq(got.count, want.count) || !eq(got.sum, want.sum) || !eq(got.zeroCount, want.zeroCount)) return false;
  if (want.schema === CUSTOM_BUCKETS_SCHEMA) {
    const a = got.customValues ?? [];
    const b = want.customValues ?? [];
    if (a.length !== b.length || a.some((v, i) => v !== b[i])) return false;
  }
  if (!sameBuckets(got, want, 'pos', eq) || !sameBuckets(got, want, 'neg', eq)) return false;
  return !want.hintGiven || got.hint === want.hint;
}

/** Go's %v-like text of a histogram, for failure reasons. */
export function histogramText(h: FloatHistogram): string {
  const runs = (c: number[], o: number): string => nonEmptyBuckets(c, o).map(([i, v]) => `${i}:${v}`).join(' ');
  const cv = h.customValues ? ` custom_values:[${h.customValues.join(' ')}]` : '';
  return `{{schema:${h.schema} count:${h.count} sum:${h.sum} z_bucket:${h.zeroCount} z_bucket_w:${h.zeroThreshold} ` +
    `buckets:[${runs(h.pos, h.posOffset)}] n_buckets:[${runs(h.neg, h.negOffset)}]${cv} hint:${h.hint}}}`;
}

interface ClassicParts { labels: Labels; buckets: Map<number, (number | undefined)[]>; count?: (number | undefined)[]; sum?: (number | undefined)[] }

type Value = number | FloatHistogram | undefined;

/**
 * §3.4: per classic histogram in a `load_with_nhcb` block (its `_bucket`,
 * `_count` and `_sum` series), one series of custom-bucket histograms.
 */
export function classicToNhcb(series: { labels: Labels; values: Value[] }[]): { labels: Labels; values: Value[] }[] {
  const groups = new Map<string, ClassicParts>();
  for (const s of series) {
    const name = s.labels.__name__ ?? '';
    const suffix = ['_bucket', '_count', '_sum'].find((x) => name.endsWith(x));
    if (!suffix) continue;
    const labels: Labels = { ...s.labels, __name__: name.slice(0, -suffix.length) };
    delete labels.le;
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { labels, buckets: new Map() }));
    const floats = s.values.map((v) => (typeof v === 'number' ? v : undefined));
    if (suffix === '_count') g.count = floats;
    else if (suffix === '_sum') g.sum = floats;
    else {
      const le = parseNumber(s.labels.le ?? '');
      if (le !== undefined && !Number.isNaN(le)) g.buckets.set(le, floats);
    }
  }
  return [...groups.values()].filter((g) => g.buckets.size > 0).map((g) => ({ labels: g.labels, values: nhcbValues(g) }));
}

function nhcbValues(g: ClassicParts): Value[] {
  const bounds = [...g.buckets.keys()].sort((a, b) => a - b);
  const length = Math.max(...[...g.buckets.values(), g.count ?? [], g.sum ?? []].map((v) => v.length));
  const out: Value[] = [];
  for (let t = 0; t < length; t++) {
    const cumulative = bounds.map((b) => g.buckets.get(b)![t]);
    if (cumulative.some((c) => c === undefined)) {
      out.push(undefined);
      continue;
    }
    const counts = (cumulative as number[]).map((c, i) => (i === 0 ? c : c - (cumulative[i - 1] as number)));
    const finite = bounds.filter((b) => b !== Infinity);
    if (finite.length === bounds.length) counts.push(0);
    const h = emptyHistogram(CUSTOM_BUCKETS_SCHEMA);
    h.customValues = finite;
    h.pos = counts;
    h.count = g.count?.[t] ?? (cumulative[cumulative.length - 1] as number);
    h.sum = g.sum?.[t] ?? 0;
    out.push(h);
  }
  return out;
}
