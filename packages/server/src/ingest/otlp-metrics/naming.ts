/**
 * OTel → Prometheus names, as the OTel Prometheus exporters and Prometheus'
 * OTLP receiver do by default (prometheus/otlptranslator, "underscore
 * escaping with suffixes"): non-alphanumeric runs become `_`, the unit
 * becomes a suffix (`s` → `_seconds`, `By` → `_bytes`, `1` on a gauge →
 * `_ratio`, `{packets}` dropped, `m/s` → `_meters_per_second`), and
 * monotonic sums end in `_total`.
 */
const UNIT: Record<string, string> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams',
  Cel: 'celsius', Hz: 'hertz', '%': 'percent',
};
const PER_UNIT: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

function tokens(s: string): string[] {
  return s.split(/[^a-zA-Z0-9]+/).filter((t) => t !== '');
}

function unitTokens(unit: string): string[] {
  const clean = unit.replace(/\{[^}]*\}/g, '').trim();
  if (clean === '' || clean === '1') return [];
  const [main, per] = clean.split('/', 2);
  const out: string[] = [];
  if (main !== '' && main !== undefined) out.push(...tokens(UNIT[main] ?? main));
  if (per !== undefined && per !== '') out.push('per', ...tokens(PER_UNIT[per] ?? UNIT[per] ?? per));
  return out;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

export function prometheusMetricName(name: string, unit: string, type: MetricType): string {
  let parts = tokens(name);
  const suffix = unitTokens(unit);
  if (suffix.length > 0 && !endsWith(parts, suffix)) parts.push(...suffix);
  if (type === 'gauge' && unit === '1' && parts[parts.length - 1] !== 'ratio') parts.push('ratio');
  if (type === 'counter') {
    parts = parts.filter((p) => p !== 'total');
    parts.push('total');
  }
  let out = parts.join('_');
  if (out === '') out = '_';
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/** The unit as Prometheus metadata gives it: the name's unit suffix without the leading `_` (`seconds`, `ratio`, ''). */
export function prometheusUnit(unit: string, type: MetricType): string {
  if (type === 'gauge' && unit === '1') return 'ratio';
  return unitTokens(unit).join('_');
}

function endsWith(parts: string[], suffix: string[]): boolean {
  if (suffix.length > parts.length) return false;
  return suffix.every((s, i) => parts[parts.length - suffix.length + i] === s);
}

/** Attribute key → label name: invalid characters become `_`, a leading digit gets `key_`. */
export function prometheusLabelName(key: string): string {
  let out = key.replace(/[^a-zA-Z0-9_]/g, '_');
  if (out === '') return '_';
  if (/^[0-9]/.test(out)) out = `key_${out}`;
  else if (out.startsWith('_') && !out.startsWith('__')) out = `key${out}`;
  return out;
}
