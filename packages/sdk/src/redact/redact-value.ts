/**
 * Deep, redacted copy of structured data: values under sensitive keys become
 * "[REDACTED]", every string goes through the pattern pass, keys included
 * (maps keyed by e-mail exist). Works on JSON.parse output and on arbitrary
 * values handed to a logger, so it guards cycles, depth and odd objects.
 */
import { cardMask, isCardNumber } from './card-numbers.ts';

export const FIELD_MASK = '[REDACTED]';
const TRUNCATED = '[TRUNCATED]';
const CIRCULAR = '[Circular]';

export interface ValueContext {
  readonly redactString: (s: string) => string;
  /** redactString for keys, which repeat across lines, so it may cache. */
  readonly redactKey: (s: string) => string;
  readonly isSensitiveKey: (name: string) => boolean;
  readonly maxDepth: number;
  readonly partialMask: boolean;
}

export function redactValue(value: unknown, ctx: ValueContext): unknown {
  return walk(value, ctx, 0, new Set());
}

/**
 * Faster walk for JSON.parse output: only plain objects, arrays and
 * primitives, and no cycles, so no type probing or cycle tracking.
 */
export function redactJson(value: unknown, ctx: ValueContext, depth = 0): unknown {
  if (typeof value === 'string') return ctx.redactString(value);
  if (typeof value === 'number') return redactNumber(value, ctx.partialMask);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= ctx.maxDepth) return TRUNCATED;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, ctx, depth + 1));
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key in source) {
    const v = source[key];
    setOwn(out, ctx.redactKey(key), ctx.isSensitiveKey(key) ? maskField(v) : redactJson(v, ctx, depth + 1));
  }
  return out;
}

function walk(value: unknown, ctx: ValueContext, depth: number, parents: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
      return ctx.redactString(value);
    case 'number':
    case 'bigint':
      return redactNumber(value, ctx.partialMask);
    case 'object':
      if (value === null) return null;
      if (depth >= ctx.maxDepth) return TRUNCATED;
      if (parents.has(value)) return CIRCULAR;
      parents.add(value);
      try {
        return walkObject(value, ctx, depth + 1, parents);
      } finally {
        parents.delete(value);
      }
    default:
      // booleans, undefined, symbols, functions carry no text to leak.
      return value;
  }
}

/** A card stored as a JSON number is still a card; same rule as ungrouped text. */
function redactNumber(value: number | bigint, partial: boolean): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return value;
  const digits = String(value < 0 ? -value : value);
  if (digits.length < 13 || digits < '2' || !isCardNumber(digits)) return value;
  return cardMask(digits, partial);
}

function walkObject(value: object, ctx: ValueContext, depth: number, parents: Set<object>): unknown {
  const next = (v: unknown): unknown => walk(v, ctx, depth, parents);
  if (Array.isArray(value)) return value.map(next);
  if (value instanceof Date) return new Date(value.getTime());
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value; // binary: no text
  if (value instanceof Map) return walkMap(value, ctx, next);
  if (value instanceof Set) return new Set([...value].map(next));
  if (value instanceof Error) return walkEntries(errorEntries(value), ctx, next);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  // Logged values are serialised as JSON.stringify sees them.
  if (typeof toJSON === 'function') return next(toJSON.call(value));
  return walkEntries(Object.entries(value), ctx, next);
}

function walkEntries(entries: [string, unknown][], ctx: ValueContext, next: (v: unknown) => unknown): object {
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const redacted = ctx.isSensitiveKey(key) ? maskField(v) : next(v);
    setOwn(out, ctx.redactKey(key), redacted);
  }
  return out;
}

function walkMap(map: Map<unknown, unknown>, ctx: ValueContext, next: (v: unknown) => unknown): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  for (const [key, v] of map) {
    const sensitive = typeof key === 'string' && ctx.isSensitiveKey(key);
    out.set(next(key), sensitive ? maskField(v) : next(v));
  }
  return out;
}

/** null, undefined and booleans say only whether a secret was set; keep them. */
function maskField(value: unknown): unknown {
  return value === null || value === undefined || typeof value === 'boolean' ? value : FIELD_MASK;
}

function errorEntries(err: Error): [string, unknown][] {
  const entries: [string, unknown][] = [['name', err.name], ['message', err.message], ['stack', err.stack]];
  if ('cause' in err) entries.push(['cause', err.cause]);
  return entries.concat(Object.entries(err).filter(([k]) => k !== 'cause'));
}

/** Plain assignment of "__proto__" would set the prototype instead of a key. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
