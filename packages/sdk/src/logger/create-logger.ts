/**
 * createLogger: a pino logger with Vigil's field schema, levels, redaction,
 * correlation and event helpers. Everything rides on pino's own extension
 * points (customLevels, formatters, timestamp, serializers, hooks), so the
 * result is a real pino logger: pino tools, Fastify's loggerInstance and
 * child loggers work unchanged.
 *
 * Line shape (json):
 *   {"severity":"INFO","level":30,"time":1764481200000,"category":"standard",
 *    "request_id":"…","tenant":"…","principal":"…","trace_id":"…","span_id":"…",
 *    "service":"checkout","env":"production",<bindings>,<fields>,"msg":"…"}
 * `time` is epoch milliseconds, pino's default: exact, the cheapest to write,
 * and what pino-loki and pino-pretty read; the server takes a line's
 * timestamp from the push that carries it, not from this field.
 * `category` is always written (standard unless a child, an event or the
 * caller's fields say otherwise), so lines say how long they are kept.
 */
import pino from 'pino';
import { createRedactor, type Redactor } from '../redact/index.ts';
import { createCorrelationTime } from './correlation.ts';
import { createEventMethods, type EventMethods } from './event-methods.ts';
import { createFieldRedaction } from './field-redaction.ts';
import { customLevels, levelFields, parseLevel, type LevelName } from './levels.ts';
import { childState, rootState, splitBindings, stateKey, type Handoff, type Serializer, type WithState } from './logger-state.ts';
import { resolveLoggerOptions, warnOnce, type LoggerOptions } from './options.ts';
import { prettyDestination } from './pretty.ts';

export interface ChildOptions {
  /** Lowest level this child writes. */
  level?: string;
  /** Serializers by field name, applied before redaction. */
  serializers?: Record<string, Serializer>;
  /** Prepended to every message of this child. */
  msgPrefix?: string;
}

export type VigilLogger = Omit<pino.Logger<LevelName, true>, 'child'> &
  EventMethods & {
    /** A logger whose lines all carry `bindings` (redacted once, here). */
    child(bindings: Record<string, unknown>, options?: ChildOptions): VigilLogger;
  };

type PinoLogger = pino.Logger<LevelName, true> & WithState;
type PinoChild = (this: PinoLogger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions<LevelName>) => unknown;

const LOG_FAILED = '[LOG FAILED]';
const CRITICAL = customLevels.critical;
// Fields arrive at pino already serialised (see field-redaction.ts): pino's default `err` serializer must not run again.
const passThrough: Serializer = (value) => value;

/** Throws TypeError on bad options; the logger it returns never throws. */
export function createLogger(options: LoggerOptions): VigilLogger {
  const o = resolveLoggerOptions(options);
  const redactor = o.redact === false ? undefined : createRedactor(o.redact);
  const root = splitBindings({ service: o.service, env: o.env, ...o.base }, redactor);
  const destination = o.format === 'pretty' ? prettyDestination(o.destination) : o.destination;
  const handoff: Handoff = { state: undefined, callerCategory: false };
  const fields = redactor && createFieldRedaction(redactor, handoff);

  const pinoOptions: pino.LoggerOptions<LevelName, true> = {
    level: o.level,
    customLevels: { ...customLevels },
    useOnlyCustomLevels: true,
    base: root.pinoBindings,
    timestamp: createCorrelationTime(redactor?.redactString ?? String, handoff) as () => string,
    formatters: fields ? { level: levelFields, log: fields.log } : { level: levelFields },
    serializers: fields ? { err: passThrough, msg: fields.message } : {},
    hooks: { logMethod: guardedLogMethod(handoff) },
  };
  const logger = (destination ? pino(pinoOptions, destination) : pino(pinoOptions)) as unknown as PinoLogger;

  // Own properties of the root; pino's children are Object.create(parent), so they inherit them.
  const pinoChild = logger.child as unknown as PinoChild;
  const pinoSetBindings = logger.setBindings;
  Object.assign(logger, { [stateKey]: childState(rootState(), root.owned, undefined) }, createEventMethods(), {
    child(this: PinoLogger, bindings: Record<string, unknown>, childOptions?: ChildOptions): PinoLogger {
      try {
        return makeChild(this, pinoChild, redactor, bindings, childOptions);
      } catch (err) {
        warnOnce(`logger.child failed (${describeError(err)}); using the parent logger`);
        return this;
      }
    },
    setBindings(this: PinoLogger, bindings: Record<string, unknown>): void {
      try {
        pinoSetBindings.call(this, splitBindings(bindings ?? {}, redactor).pinoBindings);
      } catch (err) {
        warnOnce(`logger.setBindings failed (${describeError(err)})`);
      }
    },
  });
  return logger as unknown as VigilLogger;
}

function makeChild(
  parent: PinoLogger,
  pinoChild: PinoChild,
  redactor: Redactor | undefined,
  bindings: Record<string, unknown>,
  options: ChildOptions | undefined,
): PinoLogger {
  const { pinoBindings, owned } = splitBindings(bindings ?? {}, redactor);
  const { serializers, level, ...rest } = options ?? {};
  const pinoOptions: pino.ChildLoggerOptions<LevelName> = { ...rest };
  if (level !== undefined) pinoOptions.level = parseLevel(String(level)) ?? level;
  // Without redaction pino applies serializers itself; with it, field-redaction.ts does, before redacting.
  if (serializers !== undefined && redactor === undefined) pinoOptions.serializers = serializers;
  const child = pinoChild.call(parent, pinoBindings, Object.keys(pinoOptions).length > 0 ? pinoOptions : undefined) as unknown as PinoLogger;
  if (owned !== undefined || (serializers !== undefined && redactor !== undefined)) {
    child[stateKey] = childState(parent[stateKey], owned, redactor === undefined ? undefined : serializers);
  }
  return child;
}

/**
 * pino's logMethod hook, which every call passes through. It is the only
 * try/catch the hot path pays: on failure (a throwing toString in a format
 * argument, a broken stream…) it writes a stand-in line; if even that
 * fails, it warns once and drops the line. It also notes a caller's own
 * `category` for the correlation fields (correlation.ts), and flushes after
 * a critical line, as pino does for its built-in fatal (custom levels lose
 * that): the process may be about to exit.
 */
function guardedLogMethod(handoff: Handoff) {
  return function logMethod(this: pino.Logger, args: unknown[], method: (...a: unknown[]) => void, level: number): void {
    const first = args[0];
    handoff.callerCategory = typeof first === 'object' && first !== null && (first as { category?: unknown }).category !== undefined;
    try {
      method.apply(this, args);
      if (level >= CRITICAL) flushSync(this);
    } catch (err) {
      handoff.callerCategory = false;
      try {
        method.call(this, { log_error: describeError(err) }, LOG_FAILED);
      } catch (again) {
        warnOnce(`a log line was dropped: ${describeError(again)}`);
      }
    }
  };
}

function flushSync(logger: pino.Logger): void {
  const stream = (logger as unknown as Record<symbol, { flushSync?: () => void }>)[pino.symbols.streamSym];
  try {
    stream?.flushSync?.();
  } catch {
    // as pino: an async destination that is not ready yet cannot be flushed
  }
}

/** The error's name only: its message could hold the very data that failed to log. */
function describeError(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
