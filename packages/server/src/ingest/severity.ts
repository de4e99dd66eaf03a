/**
 * Vigil's five severities and the mappings from the schemes clients use.
 * Five levels are what alerting and the UI distinguish; TRACE folds into
 * DEBUG and FATAL/ALERT/EMERGENCY into CRITICAL.
 */
import { severityOfPinoLevel } from '@vigil/sdk/levels';
import type { Severity } from '../store/record.ts';

export type { Severity };

/** How to read a number: pino levels (the default), syslog or OpenTelemetry. */
export type SeverityScheme = 'pino' | 'syslog' | 'otel';

const BY_NAME: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ['trace', 'DEBUG'],
  ['debug', 'DEBUG'],
  ['info', 'INFO'],
  ['information', 'INFO'],
  ['informational', 'INFO'],
  ['notice', 'INFO'],
  ['warn', 'WARNING'],
  ['warning', 'WARNING'],
  ['err', 'ERROR'],
  ['error', 'ERROR'],
  ['crit', 'CRITICAL'],
  ['critical', 'CRITICAL'],
  ['fatal', 'CRITICAL'],
  ['alert', 'CRITICAL'],
  ['emerg', 'CRITICAL'],
  ['emergency', 'CRITICAL'],
  ['panic', 'CRITICAL'],
]);

/** RFC 5424 severities 0 (emergency) to 7 (debug). */
const SYSLOG: readonly Severity[] = [
  'CRITICAL', 'CRITICAL', 'CRITICAL', 'ERROR', 'WARNING', 'INFO', 'INFO', 'DEBUG',
];

/** OTel SeverityNumber ranges of four: TRACE, DEBUG, INFO, WARN, ERROR, FATAL. */
const OTEL_BANDS: readonly Severity[] = ['DEBUG', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

/** OTel SeverityNumber 1–24 → Severity; 0 (unspecified) and others → undefined. */
export function severityFromOtelNumber(n: number): Severity | undefined {
  if (!Number.isInteger(n) || n < 1 || n > 24) return undefined;
  return OTEL_BANDS[(n - 1) >> 2];
}

/**
 * Maps a level name (case-insensitive) or number to a Severity. Numbers, and
 * strings of digits, are pino levels unless `scheme` says syslog or otel: a
 * bare 3 or 6 could mean anything, so syslog's 0–7 apply only when the caller
 * knows the source is syslog.
 */
export function normaliseSeverity(
  value: string | number,
  scheme: SeverityScheme = 'pino',
): Severity | undefined {
  if (typeof value === 'string') {
    const name = value.trim().toLowerCase();
    const named = BY_NAME.get(name);
    if (named !== undefined || !/^\d+$/.test(name)) return named;
    return fromNumber(Number(name), scheme);
  }
  return fromNumber(value, scheme);
}

function fromNumber(n: number, scheme: SeverityScheme): Severity | undefined {
  if (!Number.isInteger(n)) return undefined;
  if (scheme === 'otel') return severityFromOtelNumber(n);
  if (scheme === 'syslog') return n >= 0 && n < SYSLOG.length ? SYSLOG[n] : undefined;
  // pino's built-in levels, as the SDK writes them; custom levels in between are not guessed at
  return severityOfPinoLevel(n);
}
