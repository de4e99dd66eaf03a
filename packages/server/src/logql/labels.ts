/**
 * Label-set helpers shared by the evaluators. Label sets are plain objects,
 * so reads go through Object.hasOwn: a label called "constructor" or
 * "__proto__" (json keys become label names) must not reach the prototype.
 */
import type { Labels } from '../ingest/model.ts';

export function getLabel(labels: Labels, name: string): string | undefined {
  return Object.hasOwn(labels, name) ? labels[name] : undefined;
}

export function setLabel(labels: Labels, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  else labels[name] = value;
}

/** A copy with names in sorted order, so results serialise the same way every time. */
export function sortedLabels(labels: Labels): Labels {
  const out: Labels = {};
  for (const name of Object.keys(labels).sort()) setLabel(out, name, labels[name]);
  return out;
}

/** A canonical string for a label set, for grouping and ordering. */
export function labelsKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const n of names) key += JSON.stringify(n) + '=' + JSON.stringify(labels[n]) + ',';
  return key;
}

/** Keeps (`by`) or drops (`without`) the named labels. */
export function groupLabels(labels: Labels, mode: 'by' | 'without', names: readonly string[]): Labels {
  const out: Labels = {};
  if (mode === 'by') {
    for (const n of names) {
      const v = getLabel(labels, n);
      if (v !== undefined && v !== '') setLabel(out, n, v);
    }
  } else {
    for (const n of Object.keys(labels)) if (!names.includes(n)) setLabel(out, n, labels[n]);
  }
  return out;
}
