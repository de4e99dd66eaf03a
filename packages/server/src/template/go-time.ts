/**
 * Go's time.Time as templates see it: printed as time.Time.String() and
 * formatted with Go reference layouts ("2006-01-02 15:04:05 MST"), in UTC or
 * in an IANA zone (via Intl). Alertmanager templates call `.StartsAt.Format`
 * and the `date`/`tz` functions; a JavaScript Date is read as a UTC time.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number;
  yearDay: number;
  /** Minutes east of UTC. */
  offset: number;
  abbreviation: string;
}

/** A time in a zone, with the Go methods templates call on it. */
export class GoTime {
  constructor(
    readonly date: Date,
    readonly zone = 'UTC',
  ) {
    if (Number.isNaN(date.getTime())) throw new Error('invalid time');
    if (zone !== 'UTC') new Intl.DateTimeFormat('en-US', { timeZone: zone });
  }

  Format(layout: unknown): string {
    if (typeof layout !== 'string') throw new Error('Format takes a layout string');
    return formatLayout(fieldsOf(this), layout);
  }

  String(): string {
    return this.Format('2006-01-02 15:04:05.999999999 -0700 MST');
  }

  Unix(): bigint {
    return BigInt(Math.floor(this.date.getTime() / 1000));
  }

  UnixMilli(): bigint {
    return BigInt(this.date.getTime());
  }

  UTC(): GoTime {
    return new GoTime(this.date, 'UTC');
  }
}

/** A Date, a GoTime, or an RFC 3339 string (as Alertmanager's webhook payload has times). */
export function toGoTime(value: unknown): GoTime {
  if (value instanceof GoTime) return value;
  if (value instanceof Date) return new GoTime(value);
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return new GoTime(new Date(value));
  throw new Error(`expected a time, got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`);
}

function fieldsOf(t: GoTime): Fields {
  const ms = t.date.getTime();
  const offset = t.zone === 'UTC' ? 0 : zoneOffsetMinutes(t.date, t.zone);
  const local = new Date(ms + offset * 60_000);
  const startOfYear = Date.UTC(local.getUTCFullYear(), 0, 1);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    ms: local.getUTCMilliseconds(),
    weekday: local.getUTCDay(),
    yearDay: Math.floor((local.getTime() - startOfYear) / 86_400_000) + 1,
    offset,
    abbreviation: t.zone === 'UTC' ? 'UTC' : zoneAbbreviation(t.date, t.zone),
  };
}

function zoneOffsetMinutes(date: Date, zone: string): number {
  const name = zonePart(date, zone, 'longOffset');
  const m = /GMT([+-])(\d\d):?(\d\d)?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function zoneAbbreviation(date: Date, zone: string): string {
  return zonePart(date, zone, 'short');
}

function zonePart(date: Date, zone: string, style: 'short' | 'longOffset'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: style }).formatToParts(date);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function offsetText(offset: number, colon: boolean, z: boolean, short = false): string {
  if (z && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hours = pad(Math.floor(abs / 60));
  if (short) return sign + hours;
  return sign + hours + (colon ? ':' : '') + pad(abs % 60);
}

/** Layout elements, longest first where one is a prefix of another, as time.nextStdChunk tries them. */
const ELEMENTS: [string, (f: Fields) => string][] = [
  ['January', (f) => MONTHS[f.month - 1]],
  ['Jan', (f) => MONTHS[f.month - 1].slice(0, 3)],
  ['Monday', (f) => DAYS[f.weekday]],
  ['Mon', (f) => DAYS[f.weekday].slice(0, 3)],
  ['MST', (f) => f.abbreviation],
  ['2006', (f) => pad(f.year, 4)],
  ['002', (f) => pad(f.yearDay, 3)],
  ['01', (f) => pad(f.month)],
  ['02', (f) => pad(f.day)],
  ['03', (f) => pad(f.hour % 12 || 12)],
  ['04', (f) => pad(f.minute)],
  ['05', (f) => pad(f.second)],
  ['06', (f) => pad(f.year % 100)],
  ['__2', (f) => String(f.yearDay).padStart(3, ' ')],
  ['_2', (f) => String(f.day).padStart(2, ' ')],
  ['15', (f) => pad(f.hour)],
  ['1', (f) => String(f.month)],
  ['2', (f) => String(f.day)],
  ['3', (f) => String(f.hour % 12 || 12)],
  ['4', (f) => String(f.minute)],
  ['5', (f) => String(f.second)],
  ['PM', (f) => (f.hour >= 12 ? 'PM' : 'AM')],
  ['pm', (f) => (f.hour >= 12 ? 'pm' : 'am')],
  ['-07:00', (f) => offsetText(f.offset, true, false)],
  ['-0700', (f) => offsetText(f.offset, false, false)],
  ['-07', (f) => offsetText(f.offset, false, false, true)],
  ['Z07:00', (f) => offsetText(f.offset, true, true)],
  ['Z0700', (f) => offsetText(f.offset, false, true)],
  ['Z07', (f) => offsetText(f.offset, false, true, true)],
];

/** `.000` keeps that many digits; `.999` the same without trailing zeros (and no dot when all are). */
function fraction(layout: string, at: number, f: Fields): { text: string; length: number } | undefined {
  const m = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(at));
  if (!m) return undefined;
  const digits = (pad(f.ms, 3) + '000000').slice(0, m[1].length);
  if (m[1][0] === '0') return { text: layout[at] + digits, length: m[0].length };
  const trimmed = digits.replace(/0+$/, '');
  return { text: trimmed ? layout[at] + trimmed : '', length: m[0].length };
}

function formatLayout(f: Fields, layout: string): string {
  let out = '';
  for (let i = 0; i < layout.length; ) {
    const frac = fraction(layout, i, f);
    if (frac) {
      out += frac.text;
      i += frac.length;
      continue;
    }
    const element = ELEMENTS.find(([token]) => layout.startsWith(token, i));
    out += element ? element[1](f) : layout[i];
    i += element ? element[0].length : 1;
  }
  return out;
}
