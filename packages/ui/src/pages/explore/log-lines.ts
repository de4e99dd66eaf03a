/**
 * Log lines as Explore shows them: flattened from Loki streams, newest
 * first, with their JSON fields and severity read once, and the queries the
 * page derives from a line (request pivot) or from the query (histogram).
 */
import type { LogStream } from '../../api/client.ts';

export type SeverityLevel = 'critical' | 'error' | 'warning' | 'info' | 'debug';

export interface LogLine {
  /** Stable across refreshes and live tail, so the same line is never listed twice. */
  key: string;
  tsNs: bigint;
  line: string;
  labels: Record<string, string>;
  /** The line's top-level JSON fields (objects as JSON text); empty when it is not JSON. */
  fields: Record<string, string>;
  severity?: { level: SeverityLevel; text: string };
}

const levels: Record<string, SeverityLevel> = {
  emerg: 'critical', emergency: 'critical', alert: 'critical', crit: 'critical', critical: 'critical', fatal: 'critical', panic: 'critical',
  err: 'error', error: 'error',
  warn: 'warning', warning: 'warning',
  notice: 'info', info: 'info', information: 'info',
  debug: 'debug', trace: 'debug',
};

export function parseFields(line: string): Record<string, string> {
  if (!line.trimStart().startsWith('{')) return {};
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  } catch {
    return {};
  }
}

/** The `severity` or `level` of the line's JSON, else of its labels. */
export function severityOf(labels: Record<string, string>, fields: Record<string, string>): LogLine['severity'] {
  const text = fields.severity ?? fields.level ?? labels.severity ?? labels.level;
  if (text === undefined) return undefined;
  const level = levels[text.toLowerCase()];
  return level ? { level, text: text.toLowerCase() } : undefined;
}

function streamKey(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
}

export function linesOf(streams: LogStream[]): LogLine[] {
  const lines = streams.flatMap(({ stream, values }) => {
    const key = streamKey(stream);
    return values.map(([ts, line]) => {
      const fields = parseFields(line);
      return { key: `${key}|${ts}|${line}`, tsNs: BigInt(ts), line, labels: stream, fields, severity: severityOf(stream, fields) };
    });
  });
  return newestFirst(lines);
}

export function newestFirst(lines: LogLine[]): LogLine[] {
  return [...lines].sort((a, b) => (a.tsNs > b.tsNs ? -1 : a.tsNs < b.tsNs ? 1 : 0));
}

/** `newer` on top of `older`, each line once, at most `max` lines. */
export function mergeLines(newer: LogLine[], older: LogLine[], max: number): LogLine[] {
  const seen = new Set<string>();
  const merged: LogLine[] = [];
  for (const line of [...newer, ...older]) {
    if (seen.has(line.key)) continue;
    seen.add(line.key);
    merged.push(line);
  }
  return newestFirst(merged).slice(0, max);
}

export const pivotFields = ['request_id', 'trace_id'] as const;

/** The request and trace ids of a line, from its JSON first, then its labels. */
export function pivotIds(line: LogLine): { name: string; value: string }[] {
  return pivotFields.flatMap((name) => {
    const value = line.fields[name] ?? line.labels[name];
    return value ? [{ name, value }] : [];
  });
}

function logqlString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/** Every line of the line's service mentioning `id`; any service when the stream has none. */
/** Every service's lines with this id: the SDK passes request and trace ids on to the services a request calls. */
export function pivotQuery(id: string): string {
  return `{service=~".+"} |= ${logqlString(id)}`;
}

/** How many lines the log query matched per `stepMs`, as one series. */
export function histogramQuery(query: string, stepMs: number): string {
  return `sum(count_over_time(${query.trim()} [${Math.max(1, Math.round(stepMs / 1000))}s]))`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local time to the millisecond: `2026-11-30 08:28:39.590`. */
export function formatLogTime(tsNs: bigint): string {
  const d = new Date(Number(tsNs / 1_000_000n));
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
