/**
 * User-supplied patterns: regex source strings compiled once at construction.
 * They run after the built-ins on every string, with no pre-check, so their
 * cost and their linearity are the caller's responsibility.
 */
import { optionError } from './describe-value.ts';

export interface ExtraPattern {
  /** Shown in error messages only. */
  readonly name: string;
  /** Regex source, e.g. "\\bEMP-\\d{6}\\b". */
  readonly pattern: string;
  /** String.replace replacement ($1, $& allowed). Default "[REDACTED]". */
  readonly replacement?: string;
  /** Any of "i", "m", "s", "u"; "g" is always added. Default "". */
  readonly flags?: string;
}

export interface CompiledPattern {
  readonly re: RegExp;
  readonly replacement: string;
  /** Anchors see the raw JSON line, not each value, so such lines must be parsed. */
  readonly anchored: boolean;
}

const ALLOWED_FLAGS = /^(?!.*(.).*\1)[imsu]*$/;

export function compileExtraPatterns(value: unknown): CompiledPattern[] {
  if (!Array.isArray(value)) throw optionError('extraPatterns', 'an array', value);
  return value.map((item, i) => compileOne(item, `extraPatterns[${i}]`));
}

function compileOne(item: unknown, at: string): CompiledPattern {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw optionError(at, 'an object { name, pattern, replacement?, flags? }', item);
  }
  const { name, pattern, replacement = '[REDACTED]', flags = '' } = item as Record<string, unknown>;
  for (const key of Object.keys(item)) {
    if (!['name', 'pattern', 'replacement', 'flags'].includes(key)) {
      throw new TypeError(`redact option ${at} has unknown key ${JSON.stringify(key)}`);
    }
  }
  if (typeof name !== 'string' || name === '') throw optionError(`${at}.name`, 'a non-empty string', name);
  if (typeof pattern !== 'string' || pattern === '') throw optionError(`${at}.pattern`, 'a non-empty string', pattern);
  if (typeof replacement !== 'string') throw optionError(`${at}.replacement`, 'a string', replacement);
  if (typeof flags !== 'string' || !ALLOWED_FLAGS.test(flags)) {
    throw optionError(`${at}.flags`, 'a string of distinct flags from "imsu"', flags);
  }
  const re = compileRegex(pattern, flags, `${at}.pattern (${name})`);
  return { re, replacement, anchored: /[\^$]/.test(pattern) };
}

function compileRegex(pattern: string, flags: string, at: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(pattern, `${flags}g`);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw optionError(at, `a valid regular expression (${reason})`, pattern, err);
  }
  // A pattern matching "" would insert its replacement between every char.
  if (re.test('')) throw optionError(at, 'a pattern that cannot match the empty string', pattern);
  re.lastIndex = 0;
  return re;
}

export function applyExtraPatterns(s: string, patterns: readonly CompiledPattern[]): string {
  let out = s;
  for (const p of patterns) out = out.replace(p.re, p.replacement);
  return out;
}
