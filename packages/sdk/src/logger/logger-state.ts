/**
 * What each logger (root or child) carries for Vigil's fields, and the
 * hand-off between pino's hooks within one write. Children inherit the
 * state through pino's prototype chain (a child is Object.create(parent)).
 */
import pino from 'pino';
import { REDACTION_FAILED, type Redactor } from '../redact/index.ts';
import type { Category } from './events.ts';

export type Serializer = (value: unknown) => unknown;

export interface LoggerState {
  /** Category of lines that do not give one. */
  readonly category: Category;
  /** JSON of the bound fields Vigil writes itself (request_id…), redacted: `,"tenant":"acme"`. */
  readonly fixedJson: string;
  /** Keys in fixedJson: the context leaves them out rather than repeat them. */
  readonly fixedKeys: ReadonlySet<string>;
  /** The caller's serializers by key, applied before redaction; undefined when none (the common case, no lookups). */
  readonly serializers: Readonly<Record<string, Serializer>> | undefined;
}

export const stateKey: unique symbol = Symbol('vigil.logger.state');
export interface WithState {
  [stateKey]: LoggerState;
}

/**
 * pino runs, in order: logMethod hook → timestamp → formatters.log →
 * serializers, synchronously. The timestamp function is the one that sees
 * the logger, so it leaves the state here for formatters.log.
 */
export interface Handoff {
  state: LoggerState | undefined;
  /** The hook saw a `category` in the caller's fields: that line's fragment leaves its own out. */
  callerCategory: boolean;
}

/** Keys Vigil writes from the logger state and the request context; bound in a child they are not given to pino. */
export const ownedKeys: ReadonlySet<string> = new Set(['category', 'request_id', 'tenant', 'principal', 'trace_id', 'span_id']);

const errSerializer = pino.stdSerializers.err as Serializer;

export function rootState(): LoggerState {
  return { category: 'standard', fixedJson: '', fixedKeys: new Set(), serializers: undefined };
}

/** A child's state: the parent's, plus what the child binds. */
export function childState(parent: LoggerState, owned: Record<string, unknown> | undefined, serializers: Record<string, Serializer> | undefined): LoggerState {
  let { category, fixedJson } = parent;
  const fixedKeys = new Set(parent.fixedKeys);
  for (const [key, value] of Object.entries(owned ?? {})) {
    if (key === 'category') {
      if (isCategoryName(value)) category = value;
    } else if (value !== undefined && !fixedKeys.has(key)) {
      fixedKeys.add(key);
      fixedJson += `,${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
    }
  }
  const merged = serializers === undefined ? parent.serializers : Object.assign(Object.create(null), parent.serializers, serializers);
  return { category, fixedJson, fixedKeys, serializers: merged };
}

function isCategoryName(value: unknown): value is Category {
  return value === 'standard' || value === 'security' || value === 'audit';
}

/**
 * Child bindings and `base`, redacted once when the logger is made, split
 * into what pino writes (its chindings) and what Vigil's fields own.
 */
export function splitBindings(
  bindings: Record<string, unknown>,
  redactor: Redactor | undefined,
): { pinoBindings: Record<string, unknown>; owned: Record<string, unknown> | undefined } {
  const withErrors = Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, v instanceof Error ? errSerializer(v) : v]));
  let redacted: unknown = redactor ? redactor.redactObject(withErrors) : withErrors;
  // redactObject fails closed with a string: drop the bindings rather than spread it.
  if (redacted === null || typeof redacted !== 'object') redacted = { log_error: REDACTION_FAILED };
  const source = redacted as Record<string, unknown>;
  const pinoBindings: Record<string, unknown> = {};
  let owned: Record<string, unknown> | undefined;
  for (const key of Object.keys(source)) {
    if (ownedKeys.has(key)) (owned ??= {})[key] = source[key];
    else if (key === '__proto__') Object.defineProperty(pinoBindings, key, { value: source[key], enumerable: true });
    else pinoBindings[key] = source[key];
  }
  return { pinoBindings, owned };
}
