/**
 * Redaction of the caller's fields, as pino's `formatters.log`, and of the
 * message, as the `msg` serializer (pino formats the message after
 * formatters.log, so that is where its final text is seen).
 *
 * Why per value and not on the finished line (as the server's ingest does):
 * the line would be scanned whole, correlation fields and all, and parsed
 * and re-serialised on any hit. Here only the caller's values are scanned,
 * keys are classified once (cached), and the caller's object is copied only
 * when something in it changes. The rules are the shared redactor's: field
 * names, then patterns in every string, keys included.
 */
import pino from 'pino';
import type { Redactor } from '../redact/index.ts';
import type { Handoff, Serializer } from './logger-state.ts';

const FIELD_MASK = '[REDACTED]';
const SERIALIZER_FAILED = '[SERIALIZER FAILED]';
const FIELDS_UNREADABLE = '[FIELDS UNREADABLE]';
const KEY_CACHE_LIMIT = 4096;
const RECENT_KEYS = 32;
const errSerializer = pino.stdSerializers.err as Serializer;

/**
 * What is known about one key: whether it is sensitive, its redacted form,
 * and the last string value seen under it with its redaction. The redactor
 * is a pure function of the string, so repeating its last answer is exact,
 * and many keys repeat their value line after line (route, method, status
 * text, a constant message). Strings up to MEMO_MAX_LENGTH only, so no large
 * value is kept alive.
 */
class KeyInfo {
  lastInput = '';
  lastOutput = '';
  constructor(
    readonly sensitive: boolean,
    /** The key after the pattern pass (maps keyed by e-mail exist). */
    readonly out: string,
  ) {}
}

const MEMO_MAX_LENGTH = 256;

export interface FieldRedaction {
  /** pino formatters.log: the fields to write; `obj` itself when nothing changed. */
  log(obj: Record<string, unknown>): Record<string, unknown>;
  /** pino serializer for `msg`. */
  message: Serializer;
}

export function createFieldRedaction(redactor: Redactor, handoff: Handoff): FieldRedaction {
  const keys = new Map<string, KeyInfo>();
  const messageMemo = new KeyInfo(false, 'msg');
  // The keys of the last line by position: lines from one call site repeat
  // them, and comparing interned key strings is cheaper than a Map lookup.
  const recentKeys: string[] = [];
  const recentInfos: KeyInfo[] = [];

  const keyInfo = (key: string, position: number): KeyInfo => {
    if (recentKeys[position] === key) return recentInfos[position];
    let info = keys.get(key);
    if (info === undefined) {
      info = new KeyInfo(redactor.isSensitiveKey(key), redactor.redactString(key));
      // Keys repeat across lines; bound the cache so generated keys cannot grow it.
      if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
      keys.set(key, info);
    }
    if (position < RECENT_KEYS) {
      recentKeys[position] = key;
      recentInfos[position] = info;
    }
    return info;
  };

  const redactString = (value: string, memo: KeyInfo): string => {
    if (value === memo.lastInput) return memo.lastOutput;
    const output = redactor.redactString(value);
    if (value.length <= MEMO_MAX_LENGTH) {
      memo.lastInput = value;
      memo.lastOutput = output;
    }
    return output;
  };

  const redactValue = (value: unknown, info: KeyInfo): unknown => {
    switch (typeof value) {
      case 'string':
        return redactString(value, info);
      case 'number':
        // Only integers of 13+ digits can be card numbers: skip the call for the rest.
        return value >= 1e12 || value <= -1e12 ? redactor.redactObject(value) : value;
      case 'bigint':
        return redactor.redactObject(value);
      case 'object':
        if (value === null) return value;
        return redactor.redactObject(value instanceof Error ? errSerializer(value) : value);
      default:
        return value; // booleans, undefined, functions, symbols: no text to leak
    }
  };

  const fieldValue = (key: string, info: KeyInfo, value: unknown, serializers: Readonly<Record<string, Serializer>> | undefined): unknown => {
    if (info.sensitive) return maskField(value);
    if (key === 'msg') return value; // the msg serializer redacts it, as it does the message
    const serializer = serializers === undefined ? undefined : serializers[key];
    return redactValue(serializer === undefined ? value : runSerializer(serializer, value), info);
  };

  return {
    log(obj) {
      // A local copy: a getter that logs would replace the hand-off mid-loop.
      const serializers = handoff.state?.serializers;
      let out: Record<string, unknown> | undefined;
      let position = 0;
      try {
        for (const key in obj) {
          if (!Object.hasOwn(obj, key)) continue; // as pino: inherited properties are not logged
          const value = obj[key];
          if (value === undefined) continue;
          const info = keyInfo(key, position++);
          const next = fieldValue(key, info, value, serializers);
          if (out === undefined) {
            if (next === value && info.out === key) continue;
            out = copyBefore(obj, key); // first change: copy what came before, unchanged
          }
          setOwn(out, info.out, next);
        }
      } catch {
        // A throwing getter: write the line and its message, without the fields.
        return { log_error: FIELDS_UNREADABLE };
      }
      return out ?? obj;
    },
    message: (msg) => (typeof msg === 'string' ? redactString(msg, messageMemo) : redactor.redactObject(msg)),
  };
}

/** A caller's serializer that throws loses its field, not the line. */
function runSerializer(serializer: Serializer, value: unknown): unknown {
  try {
    return serializer(value);
  } catch {
    return SERIALIZER_FAILED;
  }
}

/** null, undefined and booleans only say whether a secret was set: kept, as the redactor does. */
function maskField(value: unknown): unknown {
  return value === null || value === undefined || typeof value === 'boolean' ? value : FIELD_MASK;
}

function copyBefore(obj: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in obj) {
    if (key === stop) break;
    if (Object.hasOwn(obj, key) && obj[key] !== undefined) setOwn(out, key, obj[key]);
  }
  return out;
}

/** Plain assignment of "__proto__" would set the prototype instead of a key. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
