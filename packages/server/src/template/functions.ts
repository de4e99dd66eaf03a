/**
 * Go text/template's builtin functions, with Go's semantics on JavaScript
 * values: Go ints are bigint, float64s are numbers, plain objects and Maps are
 * Go maps, arrays are slices. Functions throw plain Errors; the executor
 * reports them as "error calling <name>: …" as Go does.
 */
import { goTypeName, sprint, sprintf, sprintln } from './go-format.ts';

/** A template function: a JavaScript function plus, for builtins, the argument counts it takes. */
export interface FunctionSpec {
  fn: (...args: unknown[]) => unknown;
  minArgs?: number;
  maxArgs?: number;
}

export function fixed(count: number, fn: (...args: never[]) => unknown): FunctionSpec {
  return { fn: fn as FunctionSpec['fn'], minArgs: count, maxArgs: count };
}

export function variadic(minArgs: number, fn: (...args: never[]) => unknown): FunctionSpec {
  return { fn: fn as FunctionSpec['fn'], minArgs };
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
export function isTrue(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  if (value === 0 || value === 0n || value === '' || Number.isNaN(value)) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length > 0;
  return true;
}

function isNumeric(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** Go refuses to compare an int with a float; Vigil compares them as numbers, since JS cannot tell 1 from 1.0. */
function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

function basicEqual(a: unknown, b: unknown): boolean {
  const aNil = a === null || a === undefined;
  const bNil = b === null || b === undefined;
  if (aNil || bNil) return aNil && bNil;
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b) === 0;
  if (typeof a !== typeof b) throw new Error('incompatible types for comparison');
  if (typeof a === 'string' || typeof a === 'boolean') return a === b;
  throw new Error(`invalid type for comparison`);
}

/** eq arg1 arg2…: whether arg1 equals any of the others. */
function eq(first: unknown, ...others: unknown[]): boolean {
  if (others.length === 0) throw new Error('missing argument for comparison');
  return others.some((other) => basicEqual(first, other));
}

function order(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a !== typeof b) throw new Error('incompatible types for comparison');
  throw new Error('invalid type for comparison');
}

function length(value: unknown): bigint {
  if (typeof value === 'string') return BigInt(Buffer.byteLength(value, 'utf8'));
  if (Array.isArray(value)) return BigInt(value.length);
  if (value instanceof Map) return BigInt(value.size);
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return BigInt(Object.keys(value).length);
  throw new Error(`len of type ${goTypeName(value)}`);
}

function toIndex(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new Error(`cannot index slice/array with type ${goTypeName(value)}`);
}

function indexOne(item: unknown, key: unknown): unknown {
  if (Array.isArray(item) || typeof item === 'string') {
    const i = toIndex(key);
    if (i < 0 || i >= item.length) throw new Error(`index out of range: ${i}`);
    return typeof item === 'string' ? BigInt(Buffer.from(item, 'utf8')[i]) : item[i];
  }
  if (item instanceof Map) return item.has(key) ? item.get(key) : '';
  if (typeof item === 'object' && item !== null) {
    // A missing key gives the map's zero value; label maps hold strings, so that is "".
    return typeof key === 'string' && Object.hasOwn(item, key) ? (item as Record<string, unknown>)[key] : '';
  }
  if (item === null || item === undefined) throw new Error('index of untyped nil');
  throw new Error(`can't index item of type ${goTypeName(item)}`);
}

function index(item: unknown, ...keys: unknown[]): unknown {
  return keys.reduce(indexOne, item);
}

function slice(item: unknown, ...bounds: unknown[]): unknown {
  if (typeof item !== 'string' && !Array.isArray(item)) throw new Error(`can't slice item of type ${goTypeName(item)}`);
  if (bounds.length > 2) throw new Error('too many slice indexes: ' + bounds.length);
  const [from, to] = [bounds[0] === undefined ? 0 : toIndex(bounds[0]), bounds[1] === undefined ? item.length : toIndex(bounds[1])];
  if (from < 0 || to > item.length || from > to) throw new Error(`index out of range: ${from}:${to}`);
  return item.slice(from, to);
}

const HTML_ESCAPES: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' };

function htmlEscape(...args: unknown[]): string {
  return sprintArgs(args).replace(/["'&<>\0]/g, (c) => HTML_ESCAPES[c]);
}

const JS_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };

function jsEscape(...args: unknown[]): string {
  return sprintArgs(args).replace(/[\\'"<>&=\u0000-\u001f]/g, (c) => JS_ESCAPES[c] ?? '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'));
}

/** url.QueryEscape: unreserved bytes stay, spaces become "+", the rest %XX. */
function urlQuery(...args: unknown[]): string {
  return encodeURIComponent(sprintArgs(args))
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** html, js and urlquery format a lone string argument as is, and anything else with fmt.Sprint. */
function sprintArgs(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);
}

/** The first argument whose truth is `stopAt`, else the last: what Go's and (false) and or (true) return. */
function deciding(args: unknown[], stopAt: boolean): unknown {
  const i = args.findIndex((a) => isTrue(a) === stopAt);
  return args[i < 0 ? args.length - 1 : i];
}

function printf(format: unknown, ...args: unknown[]): string {
  if (typeof format !== 'string') throw new Error(`wrong type for value; expected string; got ${goTypeName(format)}`);
  return sprintf(format, args);
}

export const builtinFunctions: Record<string, FunctionSpec> = {
  // The executor runs and/or itself so they can stop at the deciding argument; these are their plain meaning.
  and: variadic(1, (...args: unknown[]) => deciding(args, false)),
  or: variadic(1, (...args: unknown[]) => deciding(args, true)),
  not: fixed(1, (value: unknown) => !isTrue(value)),
  len: fixed(1, length),
  index: variadic(1, index),
  slice: variadic(1, slice),
  print: variadic(0, (...args: unknown[]) => sprint(args)),
  println: variadic(0, (...args: unknown[]) => sprintln(args)),
  printf: variadic(1, printf),
  eq: variadic(1, eq),
  ne: fixed(2, (a: unknown, b: unknown) => !basicEqual(a, b)),
  lt: fixed(2, (a: unknown, b: unknown) => order(a, b) < 0),
  le: fixed(2, (a: unknown, b: unknown) => order(a, b) <= 0),
  gt: fixed(2, (a: unknown, b: unknown) => order(a, b) > 0),
  ge: fixed(2, (a: unknown, b: unknown) => order(a, b) >= 0),
  html: variadic(0, htmlEscape),
  js: variadic(0, jsEscape),
  urlquery: variadic(0, urlQuery),
};

/** Requires a string argument, as a Go function with a string parameter does. */
export function asString(value: unknown, what = 'value'): string {
  if (typeof value === 'string') return value;
  throw new Error(`wrong type for ${what}; expected string; got ${goTypeName(value)}`);
}
