/**
 * Label-set helpers for the evaluator: keys for grouping and matching,
 * Prometheus' label-set order, and name dropping.
 */
import type { LabelMatcher } from '../logql/index.ts';
import { compileMatchers } from '../logql/index.ts';
import type { SeriesLabels } from '../tsdb/model.ts';

export type Labels = SeriesLabels;

export function matcherTest(m: LabelMatcher): (value: string) => boolean {
  const test = compileMatchers([m]);
  return (value) => test({ [m.name]: value });
}

/** A canonical key for a whole label set. */
export function labelsKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const n of names) key += n + '\xff' + labels[n] + '\xfe';
  return key;
}

/** Key over the named labels only (`on`, `by`); missing labels count as empty, as in Prometheus. */
export function keyOn(labels: Labels, names: readonly string[]): string {
  let key = '';
  for (const n of names) {
    const v = Object.hasOwn(labels, n) ? labels[n] : '';
    if (v !== '') key += n + '\xff' + v + '\xfe';
  }
  return key;
}

/** Key over all labels except the named ones and `__name__` (`ignoring`, `without`). */
export function keyWithout(labels: Labels, names: ReadonlySet<string>): string {
  let key = '';
  for (const n of Object.keys(labels).sort()) {
    if (n === '__name__' || names.has(n)) continue;
    key += n + '\xff' + labels[n] + '\xfe';
  }
  return key;
}

/**
 * The labels once the metric name is dropped. The type and unit labels
 * (`__type__`, `__unit__`, Prometheus' type-and-unit-labels feature) describe
 * the named metric, so they go with it, as in Prometheus.
 */
export function withoutName(labels: Labels): Labels {
  if (!Object.hasOwn(labels, '__name__')) return labels;
  const out: Labels = { ...labels };
  delete out.__name__;
  delete out.__type__;
  delete out.__unit__;
  return out;
}

/** Prometheus' label-set order: sorted names, then values, pairwise; a prefix sorts first. */
export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  const n = Math.min(an.length, bn.length);
  for (let i = 0; i < n; i++) {
    if (an[i] !== bn[i]) return an[i] < bn[i] ? -1 : 1;
    const av = a[an[i]];
    const bv = b[bn[i]];
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return an.length - bn.length;
}

export function formatLabels(labels: Labels): string {
  const name = labels.__name__ ?? '';
  const rest = Object.keys(labels).filter((k) => k !== '__name__').sort().map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${rest.join(', ')}}`;
}
