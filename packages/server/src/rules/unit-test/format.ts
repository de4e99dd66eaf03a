/** promtool's failure text: Go's formats for durations, floats and label sets. */
import { compareLabels } from '../../promql/labels.ts';

type Labels = Record<string, string>;

/** Go's time.Duration.String for whole milliseconds: `0s`, `500ms`, `1m0s`, `1h2m3.5s`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

const MODEL_UNITS: [string, number, boolean][] = [
  ['y', 365 * 86_400_000, true], ['w', 7 * 86_400_000, true], ['d', 86_400_000, false],
  ['h', 3_600_000, false], ['m', 60_000, false], ['s', 1000, false], ['ms', 1, false],
];

/** Prometheus' model.Duration.String: `1h30m`, `90d`; years and weeks only when exact. */
export function modelDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size, exactOnly] of MODEL_UNITS) {
    if (exactOnly && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Go's strconv.FormatFloat(v, 'E', -1, 64). */
export function goFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [mantissa, exponent] = v.toExponential().split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}E${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}

/** Go's labels.Labels.String: sorted, values quoted. */
export function labelsString(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(', ')}}`;
}

export function indentLines(text: string, indent: string): string {
  return text.split('\n').join(`\n${indent}`);
}

export interface LabelsAndAnnotations {
  labels: Labels;
  annotations: Labels;
}

export function compareAlerts(a: LabelsAndAnnotations, b: LabelsAndAnnotations): number {
  return compareLabels(a.labels, b.labels) || compareLabels(a.annotations, b.annotations);
}

/** promtool's labelsAndAnnotations.String. */
export function alertsString(alerts: LabelsAndAnnotations[]): string {
  if (alerts.length === 0) return '[]';
  const items = alerts.map((a, i) => `${i}:${indentLines(`\nLabels:${labelsString(a.labels)}\nAnnotations:${labelsString(a.annotations)}`, '  ')}`);
  return `[\n${items.join(',\n')}\n]`;
}

export function samplesString(samples: { labels: Labels; value: number }[]): string {
  if (samples.length === 0) return 'nil';
  return samples.map((s) => `${labelsString(s.labels)} ${goFloatE(s.value)}`).join(', ');
}
