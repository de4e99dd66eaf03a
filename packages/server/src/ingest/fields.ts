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

type Target = IndexedField | 'severity' | 'category';

/** Every alias → the field it names and its rank among that field's aliases. */
const aliasIndex = new Map<string, { target: Target; rank: number }>();
for (const [target, names] of [
  ...Object.entries(aliases),
  ['severity', severityNames],
  ['category', ['category', 'log_category']],
] as [Target, string[]][]) {
  names.forEach((name, rank) => aliasIndex.set(name, { target, rank }));
}

/**
 * `parsed` is the line as a JSON object when it is one. Precedence: the
 * line's own fields, then structured metadata, then stream labels; within
 * one source, the first alias listed above.
 */
export function findFields(parsed: Record<string, unknown> | undefined, metadata: Labels | undefined, labels: Labels): FoundFields {
  const values = new Map<Target, string | number>();
  for (const source of [parsed, metadata, labels]) {
    if (source === undefined) continue;
    const fromSource = new Map<Target, { value: string | number; rank: number }>();
    for (const key in source) {
      const alias = aliasIndex.get(key);
      if (alias === undefined || values.has(alias.target)) continue;
      const value = source[key];
      if (!isUsable(value, alias.target)) continue;
      const held = fromSource.get(alias.target);
      if (held === undefined || alias.rank < held.rank) fromSource.set(alias.target, { value, rank: alias.rank });
    }
    for (const [target, { value }] of fromSource) values.set(target, value);
  }
  const fields: Partial<Record<IndexedField, string>> = {};
  for (const [target, value] of values) {
    if (target !== 'severity' && target !== 'category') fields[target] = String(value).slice(0, maxFieldLength);
  }
  const severityValue = values.get('severity');
  const category = String(values.get('category') ?? '').toLowerCase();
  return {
    severity: severityValue === undefined ? undefined : normaliseSeverity(severityValue),
    category: isCategory(category) ? category : 'standard',
    fields,
  };
}

function isUsable(value: unknown, target: Target): value is string | number {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'string' || value === '') return false;
  // an unknown severity name should not hide a known one in a later source
  return target !== 'severity' || normaliseSeverity(value) !== undefined;
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
