import type { SeriesLabels } from '../tsdb/model.ts';

/** Assignment that also works for a label called `__proto__`. */
export function setLabel(labels: SeriesLabels, name: string, value: string): void {
  if (name === '__proto__') Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  else labels[name] = value;
}
