/**
 * The time range every page shares, kept in the URL as `from`/`to`
 * (`now-1h`/`now`, or Unix ms for a custom range) and `refresh` (off, 10s,
 * 30s, 1m), as Grafana does.
 */
export interface TimeRange {
  from: string;
  to: string;
}

export const presets: { label: string; from: string }[] = [
  { label: 'Last 5 minutes', from: 'now-5m' },
  { label: 'Last 1 hour', from: 'now-1h' },
  { label: 'Last 6 hours', from: 'now-6h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
];

export const refreshChoices = [
  { label: 'Off', value: '' },
  { label: '10s', value: '10s' },
  { label: '30s', value: '30s' },
  { label: '1m', value: '1m' },
];

export const defaultRange: TimeRange = { from: 'now-1h', to: 'now' };

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds of a duration like `5m`, `24h`, `7d`; undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const match = /^(\d+)(s|m|h|d|w)$/.exec(text.trim());
  return match ? Number(match[1]) * units[match[2]] : undefined;
}

/** `now`, `now-1h`, or Unix ms → ms; undefined when unreadable. */
export function resolveTime(text: string, nowMs: number): number | undefined {
  if (text === 'now') return nowMs;
  const relative = /^now-(\d+[smhdw])$/.exec(text);
  if (relative) return nowMs - durationMs(relative[1])!;
  if (/^\d{10,13}$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

export function rangeFromParams(params: URLSearchParams): TimeRange {
  return { from: params.get('from') ?? defaultRange.from, to: params.get('to') ?? defaultRange.to };
}

export function resolveRange(range: TimeRange, nowMs = Date.now()): { startMs: number; endMs: number } {
  const endMs = resolveTime(range.to, nowMs) ?? nowMs;
  const startMs = resolveTime(range.from, nowMs) ?? endMs - 3_600_000;
  return startMs < endMs ? { startMs, endMs } : { startMs: endMs - 3_600_000, endMs };
}

/** A step giving about `points` points, rounded to a friendly value (at least 1 s). */
export function stepFor(startMs: number, endMs: number, points = 250): number {
  const raw = Math.max(1000, (endMs - startMs) / points);
  const friendly = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1000);
  return friendly.find((s) => s >= raw) ?? raw;
}

export function describeRange(range: TimeRange): string {
  const preset = presets.find((p) => p.from === range.from && range.to === 'now');
  if (preset) return preset.label;
  const fmt = (text: string) => {
    const ms = resolveTime(text, Date.now());
    return ms === undefined ? text : new Date(ms).toLocaleString();
  };
  return `${fmt(range.from)} to ${fmt(range.to)}`;
}
