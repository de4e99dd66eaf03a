/**
 * Finds the recognised fields (severity, category, request_id…) in a line
 * and its metadata, under the names that common loggers use for them.
 */
import type { Labels } from './model.ts';
import { isCategory, type Category, type IndexedField, type Severity } from '../store/record.ts';
import { normaliseSeverity } from './severity.ts';

/** Names each field goes by in pino, winston, bunyan, OTel, structlog…, first match wins. */
const aliases: Record<IndexedField, string[]> = {
  request_id: ['request_id', 'requestId', 'req_id', 'reqId', 'x_request_id', 'correlation_id'],
  trace_id: ['trace_id', 'traceId', 'trace.id'],
  span_id: ['span_id', 'spanId', 'span.id'],
  event: ['event', 'event_name', 'event.name'],
  principal: ['principal', 'user_id', 'userId', 'user'],
  status: ['status', 'status_code', 'statusCode', 'http.status_code'],
  duration_ms: ['duration_ms', 'durationMs', 'responseTime', 'response_time_ms'],
};
const severityNames = ['severity', 'level', 'lvl', 'levelname', 'log.level', 'detected_level'];
const maxFieldLength = 256;

export interface FoundFields {
  severity?: Severity;
  category: Category;
  fields: Partial<Record<IndexedField, string>>;
}

/**
 * `parsed` is the line as a JSON object when it is one. Precedence: the
 * line's own fields, then structured metadata, then stream labels.
 */
export function findFields(parsed: Record<string, unknown> | undefined, metadata: Labels | undefined, labels: Labels): FoundFields {
  const sources = [parsed, metadata, labels].filter((s): s is Record<string, unknown> => s !== undefined);
  const fields: Partial<Record<IndexedField, string>> = {};
  for (const field of Object.keys(aliases) as IndexedField[]) {
    const value = firstScalar(sources, aliases[field]);
    if (value !== undefined) fields[field] = value.slice(0, maxFieldLength);
  }
  const severity = firstSeverity(sources);
  const category = firstScalar(sources, ['category', 'log_category'])?.toLowerCase();
  return { severity, category: category && isCategory(category) ? category : 'standard', fields };
}

function firstScalar(sources: Record<string, unknown>[], names: string[]): string | undefined {
  for (const source of sources) {
    for (const name of names) {
      const value = source[name];
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    }
  }
  return undefined;
}

function firstSeverity(sources: Record<string, unknown>[]): Severity | undefined {
  for (const source of sources) {
    for (const name of severityNames) {
      const value = source[name];
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      const severity = normaliseSeverity(value);
      if (severity) return severity;
    }
  }
  return undefined;
}

/** The line as an object when it is a JSON object; cheap rejection otherwise. */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
  if (line.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
