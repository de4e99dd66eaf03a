/**
 * OTLP AnyValue in a decoder-neutral form, so the JSON and protobuf decoders
 * share one way of turning bodies and attributes into strings.
 */
import type { Labels } from '../model.ts';
import { setOwn } from '../own-property.ts';

/** A kvlistValue: keys and values side by side, in wire order, duplicates kept. */
export class KvList {
  constructor(
    readonly keys: string[],
    readonly values: Plain[],
  ) {}
}

/** A bytesValue, kept apart from strings so a bytes body is JSON-encoded like other non-strings. */
export class Base64 {
  constructor(readonly text: string) {}
}

/**
 * string: stringValue; bigint: intValue; number: doubleValue; null: an
 * AnyValue with nothing set.
 */
export type Plain = string | number | bigint | boolean | null | Base64 | Plain[] | KvList;

/** Deeper AnyValue nesting is refused: real payloads stay shallow, and recursion must be bounded. */
export const MAX_ANY_DEPTH = 32;

/** JSON text for a value; ints keep all 64 bits, non-finite doubles become strings as in proto3 JSON. */
export function plainToJson(v: Plain): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : `"${String(v)}"`;
    case 'bigint':
    case 'boolean':
      return String(v);
    default:
      if (v === null) return 'null';
      if (v instanceof Base64) return JSON.stringify(v.text);
      if (Array.isArray(v)) return `[${v.map(plainToJson).join(',')}]`;
      return `{${v.keys.map((k, i) => `${JSON.stringify(k)}:${plainToJson(v.values[i])}`).join(',')}}`;
  }
}

/** The log line for a body: a string as it is, anything else as JSON, no body as ''. */
export function lineOf(body: Plain): string {
  return typeof body === 'string' ? body : body === null ? '' : plainToJson(body);
}

/**
 * Stores an attribute as string metadata. Maps are flattened with '.'
 * between keys (`http` → {`method`} gives `http.method`) so each leaf stays
 * filterable; arrays are kept whole as JSON; bytes are base64; unset
 * values are left out.
 */
export function flattenInto(out: Labels, key: string, v: Plain): void {
  if (v === null) return;
  if (typeof v === 'string') setOwn(out, key, v);
  else if (v instanceof Base64) setOwn(out, key, v.text);
  else if (v instanceof KvList) v.keys.forEach((k, i) => flattenInto(out, `${key}.${k}`, v.values[i]));
  else if (Array.isArray(v)) setOwn(out, key, plainToJson(v));
  else setOwn(out, key, String(v));
}
