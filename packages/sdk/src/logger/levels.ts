/**
 * Vigil's five severities as pino levels. The numbers are pino's own, so
 * any pino tool (pino-pretty, pino-loki, Vigil's ingest, which maps pino
 * numbers) reads them unchanged; `severity` carries the upper-case name the
 * server indexes and alerts on.
 *
 *   method            number  severity
 *   trace             10      DEBUG     (kept so pino consumers such as Fastify's loggerInstance work)
 *   debug             20      DEBUG
 *   info              30      INFO
 *   warning, warn     40      WARNING
 *   error             50      ERROR
 *   critical, fatal   60      CRITICAL
 */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** Every log method name; aliases log at the same number as their level. */
export type LevelName = 'trace' | 'debug' | 'info' | 'warn' | 'warning' | 'error' | 'fatal' | 'critical';

/** Accepted for `level` / LOG_LEVEL: a method name, or silent to turn logging off. */
export type LevelOption = LevelName | 'silent';

/**
 * pino's customLevels. Order matters: pino keeps the last name given for a
 * number as that number's label, so `logger.level` reads "warning" and
 * "critical" rather than the aliases.
 */
export const customLevels: Readonly<Record<LevelName, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  warning: 40,
  error: 50,
  fatal: 60,
  critical: 60,
});

const severityByNumber = new Map<number, Severity>([
  [10, 'DEBUG'],
  [20, 'DEBUG'],
  [30, 'INFO'],
  [40, 'WARNING'],
  [50, 'ERROR'],
  [60, 'CRITICAL'],
]);

/**
 * pino's level formatter. pino calls it once per level at construction and
 * caches the JSON prefix, so `severity` costs nothing per line.
 */
export function levelFields(_label: string, number: number): { severity: Severity; level: number } {
  return { severity: severityOfPinoLevel(number) ?? 'INFO', level: number };
}

/** The severity of one of pino's built-in level numbers (the server reads shipped lines with it); undefined for others. */
export function severityOfPinoLevel(number: number): Severity | undefined {
  return severityByNumber.get(number);
}

/** pino-pretty's `customLevels`: one label per number, Vigil's names. */
export const prettyLevels = 'trace:10,debug:20,info:30,warning:40,error:50,critical:60';

/** The level name for an option or environment value, or undefined when unknown (case-insensitive). */
export function parseLevel(value: string): LevelOption | undefined {
  const name = value.trim().toLowerCase();
  return name === 'silent' || Object.hasOwn(customLevels, name) ? (name as LevelOption) : undefined;
}

export const levelNames: readonly string[] = Object.freeze([...Object.keys(customLevels), 'silent']);
