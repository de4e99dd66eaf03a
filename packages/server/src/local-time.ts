/**
 * Wall-clock time in an IANA zone, read through Intl. A "wall" value is the
 * local date and time written as if it were UTC milliseconds, so local
 * calendar arithmetic (add a day, set 09:00) is plain arithmetic on it.
 *
 * Converting wall → UTC is not one-to-one around DST changes; the rule:
 * - a wall time in a spring-forward gap (02:30 in New York on 2026-03-08)
 *   maps to the first valid instant after it: the moment of the change;
 * - an ambiguous wall time in a fall-back overlap maps to its first
 *   occurrence (01:30 in New York on 2026-11-01 is 01:30 EDT).
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The local date and time of `utcMs` in `zone`, as wall milliseconds. */
export function toWall(utcMs: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(utcMs)) parts[part.type] = Number(part.value);
  const wholeSeconds = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wholeSeconds + (((utcMs % 1000) + 1000) % 1000);
}

/** Handoffs and restriction edges are the same few wall times asked for again and again. */
const fromWallCache = new Map<string, number>();
const FROM_WALL_CACHE_SIZE = 10_000;

/** The UTC instant of a local wall time in `zone` (see the gap and overlap rule above). */
export function fromWall(wallMs: number, zone: string): number {
  const key = `${zone} ${wallMs}`;
  let utcMs = fromWallCache.get(key);
  if (utcMs === undefined) {
    if (fromWallCache.size >= FROM_WALL_CACHE_SIZE) fromWallCache.clear();
    utcMs = computeFromWall(wallMs, zone);
    fromWallCache.set(key, utcMs);
  }
  return utcMs;
}

function computeFromWall(wallMs: number, zone: string): number {
  const candidates = offsetsAround(wallMs, zone).map((offset) => wallMs - offset);
  const exact = candidates.filter((utcMs) => toWall(utcMs, zone) === wallMs);
  if (exact.length > 0) return Math.min(...exact);
  return changeInstant(Math.min(...candidates), Math.max(...candidates), zone);
}

/** Offsets in force a day either side: every offset the wall time could have (zones change at most once a day). */
function offsetsAround(wallMs: number, zone: string): number[] {
  const before = toWall(wallMs - DAY_MS, zone) - (wallMs - DAY_MS);
  const after = toWall(wallMs + DAY_MS, zone) - (wallMs + DAY_MS);
  return before === after ? [before] : [before, after];
}

/** The first instant in (lowMs, highMs] with the offset in force at highMs: a gap's end. */
function changeInstant(lowMs: number, highMs: number, zone: string): number {
  const offsetAt = (utcMs: number) => toWall(utcMs, zone) - utcMs;
  const target = offsetAt(highMs);
  while (highMs - lowMs > 1) {
    const mid = Math.floor((lowMs + highMs) / 2);
    if (offsetAt(mid) === target) highMs = mid;
    else lowMs = mid;
  }
  return highMs;
}

/** Midnight (wall) of the local day holding `wallMs`. */
export function startOfDay(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS) * DAY_MS;
}

/** 0 is Sunday, as in Date.getUTCDay. */
export function weekdayOf(wallMs: number): number {
  return new Date(wallMs).getUTCDay();
}

/** Minutes since local midnight. */
export function minuteOfDay(wallMs: number): number {
  return Math.floor((wallMs - startOfDay(wallMs)) / MINUTE_MS);
}

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const rfc3339Pattern = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * A time as written in config: RFC 3339 with an offset (`2026-03-01T09:00:00Z`)
 * or local `YYYY-MM-DDTHH:MM[:SS]` in `zone`. Undefined when it is neither.
 */
export function parseConfigTime(text: string, zone: string): number | undefined {
  if (rfc3339Pattern.test(text)) {
    const ms = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(ms) ? undefined : ms;
  }
  const m = localPattern.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0));
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wallMs);
  if (check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return fromWall(wallMs, zone);
}
