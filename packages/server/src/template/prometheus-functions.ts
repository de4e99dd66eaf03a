/**
 * The functions Prometheus adds for rule and console templates
 * (prometheus/template/template.go), producing byte-for-byte the same text:
 * humanize* use Go's %.4g, and the query helpers work on what `query`
 * returns, turned into Prometheus' sample shape `{ Labels, Value }`.
 */
import { compileRegex } from '../logql/regex.ts';
import { formatFloat, goTypeName } from './go-format.ts';
import { GoTime } from './go-time.ts';
import { asString, fixed, variadic, type FunctionSpec } from './functions.ts';

const g4 = (v: number) => formatFloat(v, 'g', 4);

const SPECIAL_FLOATS: Record<string, number> = {
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
  nan: NaN,
};

/** Prometheus' convertToFloat: numbers, and strings that strconv.ParseFloat reads. */
function toFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') throw new Error(`can't convert ${goTypeName(value)} to float`);
  const special = SPECIAL_FLOATS[value.toLowerCase()];
  if (special !== undefined) return special;
  const parsed = Number(value);
  if (value === '' || value.trim() !== value || Number.isNaN(parsed)) {
    throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  return parsed;
}

function isSpecial(v: number): boolean {
  return Number.isNaN(v) || !Number.isFinite(v);
}

function scaleDown(v: number, base: number, prefixes: string[]): string {
  let prefix = '';
  for (const p of prefixes) {
    if (Math.abs(v) < base) break;
    prefix = p;
    v /= base;
  }
  return g4(v) + prefix;
}

const SMALL_PREFIXES = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

function scaleUp(v: number): { v: number; prefix: string } {
  let prefix = '';
  for (const p of SMALL_PREFIXES) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return { v, prefix };
}

export function humanize(value: unknown): string {
  const v = toFloat(value);
  if (v === 0 || isSpecial(v)) return g4(v);
  if (Math.abs(v) >= 1) return scaleDown(v, 1000, ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']);
  const small = scaleUp(v);
  return g4(small.v) + small.prefix;
}

export function humanize1024(value: unknown): string {
  const v = toFloat(value);
  if (Math.abs(v) <= 1 || isSpecial(v)) return g4(v);
  return scaleDown(v, 1024, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']);
}

export function humanizeDuration(value: unknown): string {
  let v = toFloat(value);
  if (isSpecial(v)) return g4(v);
  if (v === 0) return g4(v) + 's';
  if (Math.abs(v) < 1) {
    const small = scaleUp(v);
    return `${g4(small.v)}${small.prefix}s`;
  }
  const sign = v < 0 ? '-' : '';
  v = Math.abs(v);
  const whole = Math.trunc(v);
  const [days, hours, minutes, seconds] = [Math.trunc(whole / 86400), Math.trunc(whole / 3600) % 24, Math.trunc(whole / 60) % 60, whole % 60];
  if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
  if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
  if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
  return `${sign}${g4(v)}s`;
}

export function humanizePercentage(value: unknown): string {
  return g4(toFloat(value) * 100) + '%';
}

export function humanizeTimestamp(value: unknown): string {
  const v = toFloat(value);
  if (isSpecial(v)) return g4(v);
  // Prometheus goes through model.Time, which keeps milliseconds.
  return new GoTime(new Date(Math.trunc((v * 1e9) / 1e6))).String();
}

/** strings.Title: upper-cases the first letter of each word and leaves the rest. */
export function title(text: unknown): string {
  let previous = ' ';
  let out = '';
  for (const ch of asString(text)) {
    out += isWordSeparator(previous) ? ch.toUpperCase() : ch;
    previous = ch;
  }
  return out;
}

function isWordSeparator(ch: string): boolean {
  if (/[A-Za-z0-9_]/.test(ch)) return false;
  if (ch.charCodeAt(0) <= 0x7f) return true;
  return /\s/u.test(ch);
}

/** regexp.ReplaceAllString: `$1`, `${1}` and `$name` in the replacement, and no empty match right after a match. */
export function reReplaceAll(pattern: unknown, replacement: unknown, text: unknown): string {
  const compiled = compileRegex(asString(pattern, 'pattern'), false);
  const re = new RegExp(compiled.source, compiled.flags.replace('g', '') + 'g');
  const input = asString(text, 'text');
  const template = asString(replacement, 'replacement');
  let out = '';
  let copied = 0;
  let lastMatchEnd = -1;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    const end = m.index + m[0].length;
    if (m[0] === '' && m.index === lastMatchEnd) {
      re.lastIndex = m.index + 1;
      continue;
    }
    out += input.slice(copied, m.index) + expandReplacement(template, m);
    copied = end;
    lastMatchEnd = end;
    if (m[0] === '') re.lastIndex = m.index + 1;
  }
  return out + input.slice(copied);
}

function expandReplacement(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, _all, braced?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare!;
    const value = /^\d+$/.test(name) ? m[Number(name)] : m.groups?.[name];
    return value ?? '';
  });
}

function match(pattern: unknown, text: unknown): boolean {
  return compileRegex(asString(pattern, 'pattern'), false).test(asString(text, 'text'));
}

/** net.SplitHostPort; undefined when the text is not host:port. */
function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0 || hostPort[close + 1] !== ':' || hostPort.indexOf(']', close + 1) >= 0) return undefined;
    return { host: hostPort.slice(1, close), port: hostPort.slice(close + 2) };
  }
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0 || hostPort.indexOf(':') !== colon) return undefined;
  return { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) };
}

function stripPort(value: unknown): string {
  const hostPort = asString(value);
  return splitHostPort(hostPort)?.host ?? hostPort;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIP(host: string): boolean {
  const v4 = IPV4.exec(host);
  if (v4) return v4.slice(1).every((octet) => Number(octet) <= 255);
  return host.includes(':') && /^[0-9A-Fa-f:.]+$/.test(host);
}

function stripDomain(value: unknown): string {
  const hostPort = asString(value);
  const split = splitHostPort(hostPort);
  const host = split?.host ?? hostPort;
  if (isIP(host)) return hostPort;
  const short = host.split('.')[0];
  if (!split || split.port === '') return short;
  return `${short.includes(':') ? `[${short}]` : short}:${split.port}`;
}

/** Prometheus' template sample: `.Labels` and `.Value`. */
export interface Sample {
  Labels: Record<string, string>;
  Value: number;
}

/** Turns what a caller's `query` returns ({ labels, value }[]) into samples. */
export function toQueryResult(result: unknown): Sample[] {
  if (!Array.isArray(result)) throw new Error(`query returned ${goTypeName(result)}, not a list of samples`);
  return result.map((item) => ({ Labels: labelsOf(item), Value: valueOf(item) }));
}

function labelsOf(sample: unknown): Record<string, string> {
  const s = sample as { Labels?: Record<string, string>; labels?: Record<string, string> } | null;
  const labels = s?.Labels ?? s?.labels;
  if (!labels || typeof labels !== 'object') throw new Error(`expected a sample, got ${goTypeName(sample)}`);
  return labels;
}

function valueOf(sample: unknown): number {
  const s = sample as { Value?: unknown; value?: unknown } | null;
  const value = s?.Value ?? s?.value;
  if (typeof value !== 'number') throw new Error(`expected a sample, got ${goTypeName(sample)}`);
  return value;
}

function first(result: unknown): unknown {
  if (!Array.isArray(result)) throw new Error(`wrong type for value; expected queryResult; got ${goTypeName(result)}`);
  if (result.length === 0) throw new Error('first() called on vector with no elements');
  return result[0];
}

function sortByLabel(label: unknown, result: unknown): unknown[] {
  const name = asString(label, 'label');
  if (!Array.isArray(result)) throw new Error(`wrong type for value; expected queryResult; got ${goTypeName(result)}`);
  const key = (s: unknown) => labelsOf(s)[name] ?? '';
  return [...result].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function args(...values: unknown[]): Record<string, unknown> {
  return Object.fromEntries(values.map((v, i) => [`arg${i}`, v]));
}

export const prometheusFunctions: Record<string, FunctionSpec> = {
  humanize: fixed(1, humanize),
  humanize1024: fixed(1, humanize1024),
  humanizeDuration: fixed(1, humanizeDuration),
  humanizePercentage: fixed(1, humanizePercentage),
  humanizeTimestamp: fixed(1, humanizeTimestamp),
  title: fixed(1, title),
  toUpper: fixed(1, (s: unknown) => asString(s).toUpperCase()),
  toLower: fixed(1, (s: unknown) => asString(s).toLowerCase()),
  match: fixed(2, match),
  reReplaceAll: fixed(3, reReplaceAll),
  safeHtml: fixed(1, (s: unknown) => asString(s)),
  stripPort: fixed(1, stripPort),
  stripDomain: fixed(1, stripDomain),
  args: variadic(0, args),
  first: fixed(1, first),
  label: fixed(2, (name: unknown, sample: unknown) => labelsOf(sample)[asString(name, 'label')] ?? ''),
  value: fixed(1, valueOf),
  strvalue: fixed(1, (sample: unknown) => labelsOf(sample).__value__ ?? ''),
  sortByLabel: fixed(2, sortByLabel),
};
