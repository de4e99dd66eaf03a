/**
 * createLogger's options, checked once at construction. A bad option in code
 * throws a TypeError naming the option and what it got (a bug to fix before
 * shipping); a bad LOG_LEVEL or LOG_FORMAT in the environment only warns and
 * falls back, so a typo in a deployment does not stop the service.
 */
import type { Writable } from 'node:stream';
import type pino from 'pino';
import { describeValue } from '../redact/describe-value.ts';
import type { RedactOptions } from '../redact/index.ts';
import { levelNames, parseLevel, type LevelOption } from './levels.ts';

export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  /** The service name on every line (the server's `service` stream label). Required. */
  service: string;
  /** Deployment environment on every line. Default: NODE_ENV, else "development". */
  env?: string;
  /** Lowest level written. Default: LOG_LEVEL, else "info". Example: "warning". */
  level?: string;
  /** "json" (one JSON object per line) or "pretty" (human text for a terminal). Default: LOG_FORMAT, else "json". */
  format?: LogFormat;
  /** Redactor options (see @vigil/sdk/redact), or false to turn redaction off. Default: on, default rules. */
  redact?: RedactOptions | false;
  /** Where lines go. Default: stdout (pino's synchronous destination). */
  destination?: pino.DestinationStream | Writable;
  /** More fields on every line, e.g. { region: "eu-west-1" }. */
  base?: Record<string, unknown>;
}

export interface ResolvedLoggerOptions {
  readonly service: string;
  readonly env: string;
  readonly level: LevelOption;
  readonly format: LogFormat;
  readonly redact: RedactOptions | false;
  readonly destination: pino.DestinationStream | undefined;
  readonly base: Record<string, unknown>;
}

const OPTION_KEYS = ['service', 'env', 'level', 'format', 'redact', 'destination', 'base'];
const formats: readonly LogFormat[] = ['json', 'pretty'];

export function resolveLoggerOptions(options: unknown, environment: NodeJS.ProcessEnv = process.env): ResolvedLoggerOptions {
  if (!isPlainObject(options)) throw optionError('options', 'an object with at least { service }', options);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw new TypeError(`unknown logger option ${JSON.stringify(key)}; known: ${OPTION_KEYS.join(', ')}`);
  }
  const o = options as Partial<LoggerOptions>;
  if (typeof o.service !== 'string' || o.service.trim() === '') throw optionError('service', 'a non-empty string', o.service);
  if (o.env !== undefined && typeof o.env !== 'string') throw optionError('env', 'a string', o.env);
  if (o.redact !== undefined && o.redact !== false && !isPlainObject(o.redact)) throw optionError('redact', 'redact options or false', o.redact);
  if (o.destination !== undefined && typeof (o.destination as { write?: unknown })?.write !== 'function') {
    throw optionError('destination', 'a stream with a write() method', o.destination);
  }
  if (o.base !== undefined && !isPlainObject(o.base)) throw optionError('base', 'an object of fields', o.base);
  return {
    service: o.service,
    env: o.env ?? (environment.NODE_ENV || 'development'),
    level: resolveLevel(o.level, environment.LOG_LEVEL),
    format: resolveFormat(o.format, environment.LOG_FORMAT),
    redact: o.redact ?? {},
    destination: o.destination as pino.DestinationStream | undefined,
    base: o.base ?? {},
  };
}

function resolveLevel(option: unknown, fromEnv: string | undefined): LevelOption {
  if (option !== undefined) {
    const level = typeof option === 'string' ? parseLevel(option) : undefined;
    if (level === undefined) throw optionError('level', `one of ${levelNames.join(', ')}`, option);
    return level;
  }
  if (fromEnv === undefined || fromEnv === '') return 'info';
  const level = parseLevel(fromEnv);
  if (level !== undefined) return level;
  warnOnce(`LOG_LEVEL=${JSON.stringify(fromEnv)} is not one of ${levelNames.join(', ')}; logging at info`);
  return 'info';
}

function resolveFormat(option: unknown, fromEnv: string | undefined): LogFormat {
  if (option !== undefined) {
    if (!formats.includes(option as LogFormat)) throw optionError('format', '"json" or "pretty"', option);
    return option as LogFormat;
  }
  if (fromEnv === undefined || fromEnv === '') return 'json';
  const format = fromEnv.trim().toLowerCase() as LogFormat;
  if (formats.includes(format)) return format;
  warnOnce(`LOG_FORMAT=${JSON.stringify(fromEnv)} is not "json" or "pretty"; writing json`);
  return 'json';
}

const warned = new Set<string>();

/** One process warning per distinct problem: a misconfigured service should not flood stderr. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, { code: 'VIGIL_LOGGER_CONFIG' });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function optionError(option: string, expected: string, got: unknown): TypeError {
  return new TypeError(`logger option ${option} must be ${expected}, got ${describeValue(got)}`);
}
