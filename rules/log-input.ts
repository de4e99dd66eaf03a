/**
 * `input_logs` (Vigil's extension of promtool's test format) as a LogSource:
 * each entry writes `line` into the stream `labels` `times` times (default
 * 1), from `at`, every `every`. Lines get the per-line fields the store gives
 * them: ingest's findFields, plus category and severity as the SQLite reader
 * adds them.
 */
import { MemoryLogSource, type MemoryStream } from '../packages/server/src/logql/index.ts';
import { findFields, parseJsonObject } from '../packages/server/src/ingest/fields.ts';
import { durationMs } from './rule-tests.ts';

export interface LogInput {
  labels: string;
  entries: { line: string; at?: string; every?: string; times?: number }[];
}

const NS_PER_MS = 1_000_000n;

/** `{service="api", level="warn"}` → labels; values are double-quoted strings. */
export function parseStreamLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, name, quoted] of text.matchAll(/([a-zA-Z_]\w*)\s*=\s*("(?:[^"\\]|\\.)*")/g)) {
    labels[name] = JSON.parse(quoted) as string;
  }
  return labels;
}

export function logSource(inputs: LogInput[]): MemoryLogSource {
  const streams: MemoryStream[] = inputs.map((input) => {
    const labels = parseStreamLabels(input.labels);
    const entries = input.entries.flatMap((entry) => {
      const startMs = durationMs(entry.at, 'at');
      const everyMs = durationMs(entry.every, 'every');
      const fields = storedFields(entry.line, labels);
      return Array.from({ length: entry.times ?? 1 }, (_, k) => ({
        tsNs: BigInt(startMs + k * everyMs) * NS_PER_MS,
        line: entry.line,
        fields,
      }));
    });
    return { labels, entries };
  });
  return new MemoryLogSource(streams);
}

function storedFields(line: string, labels: Record<string, string>): Record<string, string> {
  const found = findFields(parseJsonObject(line), undefined, labels);
  const fields: Record<string, string> = { ...found.fields, category: found.category };
  if (found.severity) fields.severity = found.severity;
  return fields;
}
