/**
 * Go's fmt for the values a template prints: float64 as strconv formats it
 * (exact decimal expansion, round-half-even), Go ints (held as bigint so a
 * `len` result prints as 3 while a float64 sample value of 1e6 prints as
 * 1e+06), maps, slices and time.Time, plus Sprintf with the verbs people use.
 */
import { GoTime } from './go-time.ts';

/** The digits of a non-negative finite float: value = 0.d1d2d3… × 10^point. */
interface Decimal {
  digits: string;
  point: number;
}

/** The exact decimal expansion of a double: every double is m × 2^e. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', point: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  const digits = exponent >= 0 ? (mantissa << BigInt(exponent)).toString() : (mantissa * 5n ** BigInt(-exponent)).toString();
  const point = exponent >= 0 ? digits.length : digits.length + exponent;
  return trimZeros({ digits, point });
}

/** The shortest digits that read back as x, as Go's and V8's shortest formatting both produce. */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', point: 0 };
  const [mantissa, exp] = x.toExponential().split('e');
  return { digits: mantissa.replace('.', ''), point: Number(exp) + 1 };
}

function trimZeros(d: Decimal): Decimal {
  const digits = d.digits.replace(/0+$/, '');
  return digits ? { digits, point: d.point } : { digits: '', point: 0 };
}

/** Keeps `count` leading digits, rounding half to even on the exact value as strconv does. */
function roundTo(d: Decimal, count: number): Decimal {
  if (count < 0) return { digits: '', point: 0 };
  if (count >= d.digits.length) return d;
  const next = d.digits[count];
  const exactHalf = next === '5' && count + 1 === d.digits.length;
  const up = next > '5' || (next === '5' && !exactHalf) || (exactHalf && count > 0 && Number(d.digits[count - 1]) % 2 === 1);
  if (!up) return trimZeros({ digits: d.digits.slice(0, count), point: d.point });
  let i = count - 1;
  while (i >= 0 && d.digits[i] === '9') i--;
  if (i < 0) return { digits: '1', point: d.point + 1 };
  const digits = d.digits.slice(0, i) + String(Number(d.digits[i]) + 1);
  return { digits, point: d.point };
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? d.digits[i] : '0';
}

function fixedDigits(d: Decimal, precision: number): string {
  let out = d.point > 0 ? '' : '0';
  for (let i = 0; i < d.point; i++) out += digitAt(d, i);
  if (precision > 0) {
    out += '.';
    for (let i = 0; i < precision; i++) out += digitAt(d, d.point + i);
  }
  return out;
}

function exponentDigits(d: Decimal, precision: number, verb: 'e' | 'E'): string {
  let out = d.digits ? d.digits[0] : '0';
  if (precision > 0) {
    out += '.';
    for (let i = 1; i <= precision; i++) out += digitAt(d, i);
  }
  const exp = d.digits ? d.point - 1 : 0;
  const sign = exp < 0 ? '-' : '+';
  return `${out}${verb}${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** strconv.FormatFloat(x, verb, precision, 64); precision -1 means shortest. */
export function formatFloat(x: number, verb: 'e' | 'E' | 'f' | 'g' | 'G', precision: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const abs = Math.abs(x);
  const shortest = precision < 0;
  if (verb === 'f') {
    if (shortest) {
      const d = shortestDecimal(abs);
      return sign + fixedDigits(d, Math.max(d.digits.length - d.point, 0));
    }
    const d = exactDecimal(abs);
    return sign + fixedDigits(roundTo(d, d.point + precision), precision);
  }
  if (verb === 'e' || verb === 'E') {
    const d = shortest ? shortestDecimal(abs) : roundTo(exactDecimal(abs), precision + 1);
    return sign + exponentDigits(d, shortest ? Math.max(d.digits.length - 1, 0) : precision, verb);
  }
  return sign + formatGeneral(abs, verb, precision);
}

function formatGeneral(abs: number, verb: 'g' | 'G', requested: number): string {
  const shortest = requested < 0;
  const wanted = requested === 0 ? 1 : requested;
  const d = shortest ? shortestDecimal(abs) : roundTo(exactDecimal(abs), wanted);
  let precision = shortest ? d.digits.length : wanted;
  let eprec = precision;
  if (eprec > d.digits.length && d.digits.length >= d.point) eprec = d.digits.length;
  if (shortest) eprec = 6;
  const exp = d.point - 1;
  if (exp < -4 || exp >= eprec) {
    if (precision > d.digits.length) precision = d.digits.length;
    return exponentDigits(d, precision - 1, verb === 'g' ? 'e' : 'E');
  }
  if (precision > d.point) precision = d.digits.length;
  return fixedDigits(d, Math.max(precision - d.point, 0));
}

/** fmt's %v: how text/template prints any value. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatFloat(value, 'g', -1);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return new GoTime(value).String();
  if (value instanceof GoTime) return value.String();
  if (Array.isArray(value)) return `[${value.map(formatNested).join(' ')}]`;
  if (value instanceof Map) return formatMap([...value.entries()].map(([k, v]) => [String(k), v]));
  if (typeof value === 'function') return '<func>';
  if (typeof value === 'object') return formatMap(Object.entries(value));
  return String(value);
}

function formatNested(value: unknown): string {
  return value === undefined ? '<nil>' : formatValue(value);
}

function formatMap(entries: [string, unknown][]): string {
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, v]) => `${k}:${formatNested(v)}`).join(' ')}]`;
}

/** Go's type name for a value, as fmt shows it in "%!d(string=hi)". */
export function goTypeName(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Date || value instanceof GoTime) return 'time.Time';
  if (Array.isArray(value)) return '[]interface {}';
  if (typeof value === 'function') return 'func';
  return 'map[string]interface {}';
}

const ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code >= 0x20 && code !== 0x7f && (code < 0x80 || code > 0x9f)) out += ch;
    else if (code < 0x80) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code < 0x10000) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += '\\U' + code.toString(16).padStart(8, '0');
  }
  return out + '"';
}

interface Directive {
  flags: string;
  width?: number;
  precision?: number;
  verb: string;
}

const DIRECTIVE = /%([-+# 0]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])?/y;

/** fmt.Sprintf for the verbs templates use: %s %d %f %e %g %v %q %x %X %t %c %o %b %%. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let next = 0;
  let pos = 0;
  while (pos < format.length) {
    const percent = format.indexOf('%', pos);
    if (percent < 0) {
      out += format.slice(pos);
      break;
    }
    out += format.slice(pos, percent);
    DIRECTIVE.lastIndex = percent;
    const m = DIRECTIVE.exec(format)!;
    pos = DIRECTIVE.lastIndex;
    const directive: Directive = {
      flags: m[1],
      width: m[2] === undefined ? undefined : Number(m[2]),
      precision: m[3] === undefined ? undefined : Number(m[3] || 0),
      verb: m[4] ?? '',
    };
    if (directive.verb === '%') out += '%';
    else if (directive.verb === '') out += '%!(NOVERB)';
    else if (next >= args.length) out += `%!${directive.verb}(MISSING)`;
    else out += pad(formatArg(directive, args[next++]), directive);
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args.slice(next).map((a) => `${goTypeName(a)}=${formatValue(a)}`).join(', ')})`;
  }
  return out;
}

function pad(text: string, { flags, width, verb }: Directive): string {
  if (width === undefined) return text;
  const length = [...text].length;
  if (length >= width) return text;
  if (flags.includes('-')) return text + ' '.repeat(width - length);
  if (flags.includes('0') && 'dfFeEgGxXob'.includes(verb) && !text.startsWith('%!')) {
    const sign = /^[-+ ]/.test(text) ? text[0] : '';
    return sign + '0'.repeat(width - length) + text.slice(sign.length);
  }
  return ' '.repeat(width - length) + text;
}

function badVerb(verb: string, value: unknown): string {
  if (value === null || value === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(value)}=${formatValue(value)})`;
}

/** A JS number with no fraction stands in for a Go int when a verb needs one. */
function asInteger(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return undefined;
}

function withSign(text: string, flags: string): string {
  if (text.startsWith('-') || text.startsWith('+')) return text;
  if (flags.includes('+')) return '+' + text;
  if (flags.includes(' ')) return ' ' + text;
  return text;
}

function formatArg(d: Directive, value: unknown): string {
  switch (d.verb) {
    case 'v':
      return typeof value === 'number' && d.precision !== undefined ? formatFloat(value, 'g', d.precision) : formatValue(value);
    case 's':
      return formatString(d, value);
    case 'q':
      if (typeof value === 'string') return goQuote(value);
      return asInteger(value) !== undefined ? `'${String.fromCodePoint(Number(value))}'` : badVerb('q', value);
    case 't':
      return typeof value === 'boolean' ? String(value) : badVerb('t', value);
    case 'd':
    case 'o':
    case 'b':
    case 'c':
      return formatInteger(d, value);
    case 'x':
    case 'X':
      return formatHex(d.verb, value);
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
      return formatNumber(d, value);
    default:
      return badVerb(d.verb, value);
  }
}

function formatString(d: Directive, value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof Date || value instanceof GoTime) text = formatValue(value);
  else if (Array.isArray(value) || (typeof value === 'object' && value !== null)) text = formatValue(value);
  else return badVerb('s', value);
  return d.precision === undefined ? text : [...text].slice(0, d.precision).join('');
}

function formatInteger(d: Directive, value: unknown): string {
  const int = asInteger(value);
  if (int === undefined) return badVerb(d.verb, value);
  if (d.verb === 'c') return String.fromCodePoint(Number(int));
  const radix = d.verb === 'o' ? 8 : d.verb === 'b' ? 2 : 10;
  return withSign(int.toString(radix), d.flags);
}

function formatHex(verb: 'x' | 'X', value: unknown): string {
  let hex: string;
  const int = asInteger(value);
  if (typeof value === 'string') hex = Buffer.from(value, 'utf8').toString('hex');
  else if (int !== undefined) hex = int.toString(16);
  else return badVerb(verb, value);
  return verb === 'X' ? hex.toUpperCase() : hex;
}

function formatNumber(d: Directive, value: unknown): string {
  const x = typeof value === 'bigint' ? Number(value) : value;
  if (typeof x !== 'number') return badVerb(d.verb, value);
  const verb = d.verb === 'F' ? 'f' : (d.verb as 'f' | 'e' | 'E' | 'g' | 'G');
  const precision = d.precision ?? (verb === 'g' || verb === 'G' ? -1 : 6);
  return withSign(formatFloat(x, verb, precision), d.flags);
}

/** fmt.Sprint: spaces go between operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(arg);
  });
  return out;
}

/** fmt.Sprintln: spaces between all operands and a trailing newline. */
export function sprintln(args: unknown[]): string {
  return args.map(formatValue).join(' ') + '\n';
}
