/**
 * Alertmanager's `time_intervals` entries: when a route is muted or active,
 * and when a recurring silence applies. Each field left out matches any
 * time; an interval matches when every field it has matches. Wall-clock
 * fields are read in `location` through Intl, so DST shifts are right.
 */
import { z } from 'zod';
import { isTimeZone, toWall } from '../local-time.ts';

/** Inclusive range of integers, e.g. weekdays 1..5. */
export interface IntRange {
  begin: number;
  end: number;
}

/** Minutes since local midnight, end exclusive (1440 for "24:00"). */
export interface MinuteRange {
  start_minute: number;
  end_minute: number;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

type Bound = (text: string) => number | undefined;

function numberIn(min: number, max: number, allowZero = true): Bound {
  return (text) => {
    if (!/^-?\d+$/.test(text)) return undefined;
    const n = Number(text);
    return n >= min && n <= max && (allowZero || n !== 0) ? n : undefined;
  };
}

function nameOrNumber(names: string[]): Bound {
  return (text) => {
    const index = names.indexOf(text.toLowerCase());
    if (index >= 0) return names === MONTHS ? index + 1 : index;
    return names === MONTHS ? numberIn(1, 12)(text) : undefined;
  };
}

/** A list of "a:b" or "a" strings, each bound parsed and checked; `ordered` rejects begin > end. */
function rangeList(what: string, bound: Bound, ordered: (r: IntRange) => boolean) {
  return z.array(z.string()).transform((items, ctx): IntRange[] => {
    const ranges: IntRange[] = [];
    for (const item of items) {
      const parts = item.split(':');
      const [begin, end] = parts.length === 1 ? [bound(parts[0].trim()), bound(parts[0].trim())] : [bound(parts[0].trim()), bound(parts[1]?.trim() ?? '')];
      if (parts.length > 2 || begin === undefined || end === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not a valid ${what} range` });
      } else if (!ordered({ begin, end })) {
        ctx.addIssue({ code: 'custom', message: `"${item}": the start of a ${what} range must not be after its end` });
      } else {
        ranges.push({ begin, end });
      }
    }
    return ranges;
  });
}

const ascending = (r: IntRange) => r.begin <= r.end;
/** Mixed signs ("1:-1") are allowed: which comes first depends on the month. */
const daysAscending = (r: IntRange) => Math.sign(r.begin) !== Math.sign(r.end) || r.begin <= r.end;

function minuteOfDay(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 1440 ? minutes : undefined;
}

const timeRange = z
  .object({ start_time: z.string(), end_time: z.string() })
  .strict()
  .transform((t, ctx): MinuteRange => {
    const start = minuteOfDay(t.start_time);
    const end = minuteOfDay(t.end_time);
    if (start === undefined) ctx.addIssue({ code: 'custom', path: ['start_time'], message: `"${t.start_time}" is not a time of day; use HH:MM from 00:00 to 24:00` });
    if (end === undefined) ctx.addIssue({ code: 'custom', path: ['end_time'], message: `"${t.end_time}" is not a time of day; use HH:MM from 00:00 to 24:00` });
    if (start !== undefined && end !== undefined && start >= end) ctx.addIssue({ code: 'custom', message: 'start_time must be before end_time' });
    return { start_minute: start ?? 0, end_minute: end ?? 0 };
  });

const location = z
  .string()
  .refine((name) => name === 'Local' || isTimeZone(name), { error: (issue) => `"${String(issue.input)}" is not a known IANA time zone` });

/** One entry of a `time_intervals` list, in Alertmanager's keys. */
export const timeIntervalSchema = z
  .object({
    times: z.array(timeRange).optional(),
    weekdays: rangeList('weekday', nameOrNumber(WEEKDAYS), ascending).optional(),
    days_of_month: rangeList('day of month', numberIn(-31, 31, false), daysAscending).optional(),
    months: rangeList('month', nameOrNumber(MONTHS), ascending).optional(),
    years: rangeList('year', numberIn(1, 9999), ascending).optional(),
    location: location.optional(),
  })
  .strict();

export type TimeIntervalSpec = z.output<typeof timeIntervalSchema>;

/** True when `atMs` falls inside any of the intervals (an empty list never matches). */
export function isWithin(intervals: readonly TimeIntervalSpec[], atMs: number): boolean {
  return intervals.some((interval) => contains(interval, atMs));
}

function contains(interval: TimeIntervalSpec, atMs: number): boolean {
  const t = wallClock(atMs, interval.location);
  const minute = t.hour * 60 + t.minute;
  if (interval.times?.length && !interval.times.some((r) => minute >= r.start_minute && minute < r.end_minute)) return false;
  if (interval.weekdays?.length && !inAny(interval.weekdays, t.weekday)) return false;
  if (interval.days_of_month?.length && !interval.days_of_month.some((r) => dayMatches(r, t))) return false;
  if (interval.months?.length && !inAny(interval.months, t.month)) return false;
  if (interval.years?.length && !inAny(interval.years, t.year)) return false;
  return true;
}

function inAny(ranges: IntRange[], value: number): boolean {
  return ranges.some((r) => value >= r.begin && value <= r.end);
}

/** As Alertmanager: negative days count from the month's end (-1 is the last day), clamped to the month. */
function dayMatches(r: IntRange, t: WallClock): boolean {
  const days = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
  const begin = r.begin < 0 ? days + r.begin + 1 : r.begin;
  const end = r.end < 0 ? days + r.end + 1 : r.end;
  if (begin > days) return false;
  return t.day >= Math.max(begin, -days) && t.day <= Math.min(end, days);
}

interface WallClock {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  /** 0 is Sunday. */
  weekday: number;
  hour: number;
  minute: number;
}

/** Alertmanager's `location`: absent or "UTC" is UTC, "Local" the server's own zone. */
const LOCAL_ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone;

function wallClock(atMs: number, location: string | undefined): WallClock {
  const wall = new Date(toWall(atMs, location === undefined ? 'UTC' : location === 'Local' ? LOCAL_ZONE : location));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
  };
}
