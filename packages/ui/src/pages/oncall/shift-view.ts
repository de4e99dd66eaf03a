/** Shift times in the viewer's zone and the schedule's; no React here. */

export interface ZonedText {
  local: string;
  /** Absent when the schedule's zone shows the same wall time as the viewer's. */
  zoned?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(timeZone && { timeZone }),
    });
    formatters.set(key, format);
  }
  return format;
}

/** e.g. "Mon 30 Nov, 09:00"; `timeZone` undefined is the viewer's own zone. */
export function wallTime(ms: number, timeZone?: string): string {
  return formatter(timeZone).format(ms);
}

/** A time in the viewer's zone, and in the schedule's when that differs. */
export function zonedText(ms: number, scheduleZone: string, viewerZone?: string): ZonedText {
  const local = wallTime(ms, viewerZone);
  const zoned = wallTime(ms, scheduleZone);
  return zoned === local ? { local } : { local, zoned };
}

/** The viewer's IANA zone, e.g. "Europe/Berlin". */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Where a shift sits in the window, as fractions 0..1 for a bar; clipped to the window. */
export function shiftSpan(startMs: number, endMs: number, windowStart: number, windowEnd: number): { left: number; width: number } {
  const size = windowEnd - windowStart;
  if (size <= 0) return { left: 0, width: 0 };
  const left = Math.min(1, Math.max(0, (startMs - windowStart) / size));
  const right = Math.min(1, Math.max(0, (endMs - windowStart) / size));
  return { left, width: right - left };
}
