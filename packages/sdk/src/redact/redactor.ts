/**
 * createRedactor: validated options in, a never-throwing redactor out.
 * redactLine keeps a clean JSON line on a fast path (no parse, no copy):
 * it is parsed only when a sensitive key, a pattern hit or an escape
 * sequence could change the result.
 */
import { applyExtraPatterns } from './extra-patterns.ts';
import { createKeyMatcher } from './field-names.ts';
import { resolveOptions, type RedactOptions } from './options.ts';
import { createPatternScanner } from './pattern-scanner.ts';
import { redactJson, redactValue, type ValueContext } from './redact-value.ts';

export interface Redactor {
  /** Patterns only. */
  redactString(s: string): string;
  /** A log line: JSON object/array lines get field names + patterns and stay valid JSON; other text gets patterns. */
  redactLine(line: string): string;
  /** Redacted deep copy of structured data (field names + patterns). */
  redactObject<T>(value: T): T;
  isSensitiveKey(name: string): boolean;
}

/** Fail closed: if redaction itself breaks, emit nothing of the input. */
export const REDACTION_FAILED = '[REDACTION FAILED]';
const REDACTION_FAILED_JSON = JSON.stringify({ msg: REDACTION_FAILED });

/** Throws TypeError on a bad option; the returned redactor never throws. */
export function createRedactor(options?: RedactOptions): Redactor {
  const resolved = resolveOptions(options);
  const keys = createKeyMatcher(resolved.fieldNames);
  const scan = createPatternScanner(resolved.enabledPatterns, resolved.partialMask);
  const extras = resolved.extraPatterns;
  const anchoredExtras = extras.some((p) => p.anchored);
  const patternsOnly = extras.length === 0 ? scan : (s: string) => applyExtraPatterns(scan(s), extras);
  const ctx: ValueContext = {
    redactString: patternsOnly,
    redactKey: boundedCache(patternsOnly),
    isSensitiveKey: keys.isSensitiveKey,
    maxDepth: resolved.maxDepth,
    partialMask: resolved.partialMask,
  };

  // Without backslashes the raw text of each JSON string equals its value, so
  // a raw pass finds exactly what a per-value pass would (plus harmless extras
  // in keys and numbers, which the structured pass handles).
  const jsonNeedsParse = (line: string): boolean =>
    anchoredExtras || line.includes('\\') || keys.rawJsonMayHaveSensitiveKey(line) || patternsOnly(line) !== line;

  const redactJsonLine = (line: string): string => {
    if (!jsonNeedsParse(line)) return line;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return patternsOnly(line); // looked like JSON but is not: plain text
    }
    return JSON.stringify(redactJson(parsed, ctx)) ?? REDACTION_FAILED_JSON;
  };

  return Object.freeze<Redactor>({
    redactString: (s) => guard(() => (typeof s === 'string' ? patternsOnly(s) : s), REDACTION_FAILED),
    redactLine(line) {
      if (typeof line !== 'string') return '';
      const json = looksLikeJson(line);
      return guard(() => (json ? redactJsonLine(line) : patternsOnly(line)), json ? REDACTION_FAILED_JSON : REDACTION_FAILED);
    },
    redactObject: <T>(value: T): T => guard(() => redactValue(value, ctx) as T, REDACTION_FAILED as T),
    isSensitiveKey: (name) => guard(() => keys.isSensitiveKey(name), true),
  });
}

/** Memoises a string function; cleared when full so odd inputs cannot grow it. */
function boundedCache(fn: (s: string) => string, limit = 4096): (s: string) => string {
  const cache = new Map<string, string>();
  return (s) => {
    let out = cache.get(s);
    if (out === undefined) {
      out = fn(s);
      if (cache.size >= limit) cache.clear();
      cache.set(s, out);
    }
    return out;
  };
}

function guard<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** '{' or '[' first and matching '}' or ']' last, ignoring surrounding whitespace. */
function looksLikeJson(line: string): boolean {
  let start = 0;
  let end = line.length - 1;
  while (start <= end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end))) end--;
  const first = line.charCodeAt(start);
  const last = line.charCodeAt(end);
  return (first === 123 && last === 125) || (first === 91 && last === 93);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
