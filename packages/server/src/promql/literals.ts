/**
 * PromQL literals: numbers (decimal, hex, Inf/NaN, durations as seconds),
 * durations and strings, read as Prometheus' lexer reads them.
 */
import { unquoteGoString } from '../logql/literals.ts';

const UNIT_MS: Record<string, number> = {
  y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1,
};
const DURATION = /^(?:\d+(?:y|w|d|h|ms|m|s))+$/;
const DURATION_PART = /(\d+)(y|w|d|h|ms|m|s)/g;

/** A Prometheus duration (`1h30m`, `59999ms`) in ms, or undefined. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(DURATION_PART)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/** A number literal as the PromQL lexer reads it; durations count as seconds. */
export function parseNumber(text: string): number | undefined {
  let s = text.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1).trim();
  }
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/i.test(s)) return sign * parseInt(s.slice(2), 16);
  const d = parseDuration(s);
  if (d !== undefined) return (sign * d) / 1000;
  const plain = s.replaceAll('_', '');
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(plain)) return undefined;
  return sign * Number(plain);
}

/**
 * A PromQL string literal: Go's rules for "…" and `…`; '…' is the same with
 * the other quote. Bytes that are not UTF-8 are kept (as lone surrogates) so
 * that label names holding them are refused, as Prometheus refuses them.
 */
export function unquoteString(raw: string): { value: string } | { error: string } {
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) {
    const body = raw.slice(1, -1).replace(/\\'|"/g, (m) => (m === '"' ? '\\"' : "'"));
    return unquoteGoString(`"${body}"`, true);
  }
  return unquoteGoString(raw, true);
}

/** Go's FormatFloat(v, 'f', -1, 64) plus Prometheus' Inf/NaN spelling: what the HTTP API returns. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  if (!s.includes('e')) return s;
  const [mant, expText] = s.split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const intLen = (mant.replace('-', '').split('.')[0] ?? '').length + exp;
  let out: string;
  if (intLen <= 0) out = '0.' + '0'.repeat(-intLen) + digits;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = digits.slice(0, intLen) + '.' + digits.slice(intLen);
  return (neg ? '-' : '') + out;
}
