/** Prometheus-style durations: `90d`, `1h30m`, `500ms`, `15s`. */
const unitMs: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

const durationPattern = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const partPattern = /(\d+)(ms|s|m|h|d|w|y)/g;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDurationMs(text: string): number | undefined {
  if (text.length > 64 || !durationPattern.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(partPattern)) {
    total += Number(amount) * unitMs[unit];
  }
  return total;
}

export function formatDurationMs(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % unitMs[unit] === 0 && ms >= unitMs[unit]) return `${ms / unitMs[unit]}${unit}`;
  }
  return `${ms}ms`;
}
