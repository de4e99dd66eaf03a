/** Times as the alerting pages show them: "12m", "1h 5m", local date-times, and Go's zero time as "never". */

/** RFC 3339 → ms; undefined for Go's zero time ("0001-01-01T00:00:00Z", i.e. not set) or bad text. */
export function parseTime(text: string | undefined): number | undefined {
  if (!text || text.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

const UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1000, 's'],
];

/** The two largest units, e.g. "2d 3h", "12m", "45s"; under a second is "0s". */
export function durationText(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000) * 1000);
  const parts: string[] = [];
  for (const [size, unit] of UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join(' ') || '0s';
}

/** "2h", "1h30m", "90m", "1d 2h", "45s" → ms; undefined when not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^(\d+(d|h|m|s))+$/.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+)(d|h|m|s)/g)) total += Number(amount) * UNITS.find(([, u]) => u === unit)![0];
  return total > 0 ? total : undefined;
}

/** The value an `<input type="datetime-local">` shows for `ms`, in the browser's time zone. */
export function localInputValue(ms: number): string {
  const local = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function dateTimeText(ms: number | undefined): string {
  return ms === undefined ? 'never' : new Date(ms).toLocaleString();
}

/** "3m ago" / "in 3m" around `nowMs`. */
export function relativeText(ms: number | undefined, nowMs: number): string {
  if (ms === undefined) return 'never';
  return ms <= nowMs ? `${durationText(nowMs - ms)} ago` : `in ${durationText(ms - nowMs)}`;
}
