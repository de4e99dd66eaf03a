/**
 * Test-only: a destination that keeps what the logger really wrote, so
 * tests check the output bytes, not the logger's internals.
 */
import { createLogger, type VigilLogger } from './create-logger.ts';
import type { LoggerOptions } from './options.ts';

export interface Captured {
  log: VigilLogger;
  /** Raw lines as written, newline included. */
  readonly raw: string[];
  /** Every line parsed; fails the test if one is not valid JSON. */
  lines(): Record<string, unknown>[];
  /** The last line parsed. */
  last(): Record<string, unknown>;
}

/** Level trace and format json unless given, so LOG_LEVEL/LOG_FORMAT in the test environment change nothing; pass `level: undefined` to test them. */
export function capture(options: Partial<LoggerOptions> = {}): Captured {
  const raw: string[] = [];
  const destination = { write: (s: string) => void raw.push(s) };
  const log = createLogger({ service: 'checkout', env: 'test', level: 'trace', format: 'json', destination, ...options });
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, raw, lines, last: () => lines().at(-1) ?? {} };
}
