/**
 * Literal values in LogQL text and in label values: Go string literals,
 * durations and byte sizes. Loki reads these with Go's strconv, time and
 * go-humanize packages, so the rules below follow those, not JavaScript's.
 */

/**
 * Go's strconv.Unquote for "…" and `…` literals. Escapes like \xFF and
 * \377 produce raw bytes in Go, so the result is assembled as bytes and
 * decoded as UTF-8 at the end. Returns an error message instead of throwing
 * so the parser can attach the position. Bytes that are not UTF-8 become
 * U+FFFD, or with `keepInvalid` the lone surrogate U+DC00 + byte, so that a
 * caller can refuse them and name them (see goQuote).
 */
export function unquoteGoString(raw: string, keepInvalid = false): { value: string } | { error: string } {
  if (raw.length >= 2 && raw.startsWith('`') && raw.endsWith('`')) {
    return { value: raw.slice(1, -1).replaceAll('\r', '') };
  }
  if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"')) {
    return { error: `not a quoted string: ${raw}` };
  }
  const body = raw.slice(1, -1);
  if (!body.includes('\\')) return { value: body };
  const bytes: number[] = [];
  const pushText = (text: string): void => {
    for (const b of Buffer.from(text, 'utf8')) bytes.push(b);
  };
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
  let i = 0;
  while (i < body.length) {
    const next = body.indexOf('\\', i);
    if (next < 0) {
      pushText(body.slice(i));
      break;
    }
    pushText(body.slice(i, next));
    const c = body[next + 1];
    if (c === undefined) return { error: 'string ends with a lone backslash' };
    if (c in simple) {
      bytes.push(simple[c]);
      i = next + 2;
    } else if (c === 'x' || c === 'u' || c === 'U') {
      const len = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      const hex = body.slice(next + 2, next + 2 + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) return { error: `invalid escape \\${c}${hex}` };
      const n = parseInt(hex, 16);
      if (c === 'x') bytes.push(n);
      else if (n > 0x10ffff || (n >= 0xd800 && n < 0xe000)) return { error: `invalid escape \\${c}${hex}` };
      else pushText(String.fromCodePoint(n));
      i = next + 2 + len;
    } else if (c >= '0' && c <= '7') {
      const oct = body.slice(next + 1, next + 4);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return { error: `invalid escape \\${oct}` };
      bytes.push(parseInt(oct, 8));
      i = next + 4;
    } else {
      return { error: `invalid escape \\${c} (write \\\\${c} for a literal backslash, or use a \`raw string\`)` };
    }
  }
  return { value: keepInvalid ? decodeKeepingInvalid(Uint8Array.from(bytes)) : Buffer.from(bytes).toString('utf8') };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text, with each byte of an invalid sequence as U+DC00 + byte (as Python's surrogateescape). */
function decodeKeepingInvalid(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    let out = '';
    let i = 0;
    while (i < bytes.length) {
      const len = validSequenceLength(bytes, i);
      out += len > 0 ? strictUtf8.decode(bytes.subarray(i, i + len)) : String.fromCharCode(0xdc00 + bytes[i]);
      i += Math.max(len, 1);
    }
    return out;
  }
}

/** Length of the valid UTF-8 sequence at i, or 0. */
function validSequenceLength(b: Uint8Array, i: number): number {
  const lead = b[i];
  const len = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
  if (len === 0 || i + len > b.length) return 0;
  for (let k = 1; k < len; k++) if ((b[i + k] & 0xc0) !== 0x80) return 0;
  try {
    // Overlong forms, surrogates and code points past U+10FFFF are refused by the strict decoder.
    strictUtf8.decode(b.subarray(i, i + len));
    return len;
  } catch {
    return 0;
  }
}

/** Go's %q for the messages that name a value: invalid bytes kept by unquoteGoString show as \xNN. */
export function goQuote(text: string): string {
  return JSON.stringify(text).replace(/(?<!\\)((?:\\\\)*)\\udc([89a-f][0-9a-f])/g, '$1\\x$2');
}

const NS_PER: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  y: 31_536_000_000_000_000n,
};

const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w|y)/y;

/** "1.5" × unit in exact integer nanoseconds (Go truncates the fraction the same way). */
function scaled(num: string, unit: bigint): bigint {
  const [int, frac = ''] = num.split('.');
  const whole = BigInt(int || '0') * unit;
  if (!frac) return whole;
  return whole + (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
}

/**
 * A duration in the query text (`[5m]`, `> 1.5s`): Go's time.ParseDuration
 * units plus Prometheus' d, w and y, as Loki's lexer accepts both. Returns
 * nanoseconds, or undefined when the text is not a duration.
 */
export function parseQueryDuration(text: string): bigint | undefined {
  let pos = 0;
  let total = 0n;
  while (pos < text.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(text);
    if (!m) return undefined;
    total += scaled(m[1], NS_PER[m[2]]);
    pos = DURATION_PART.lastIndex;
  }
  return pos > 0 ? total : undefined;
}

/**
 * A label value compared by a duration filter, read as Go's
 * time.ParseDuration does: optional sign, "0" alone, otherwise every number
 * needs a unit, and there are no d/w/y units. Returns nanoseconds.
 */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '' || /[dwy]/.test(s)) return undefined;
  const ns = parseQueryDuration(s);
  return ns === undefined ? undefined : sign * Number(ns);
}

const BYTE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, ki: 1024, kib: 1024,
  m: 1e6, mb: 1e6, mi: 1024 ** 2, mib: 1024 ** 2,
  g: 1e9, gb: 1e9, gi: 1024 ** 3, gib: 1024 ** 3,
  t: 1e12, tb: 1e12, ti: 1024 ** 4, tib: 1024 ** 4,
  p: 1e15, pb: 1e15, pi: 1024 ** 5, pib: 1024 ** 5,
  e: 1e18, eb: 1e18, ei: 1024 ** 6, eib: 1024 ** 6,
};

/** go-humanize's ParseBytes ("20KB", "1.5 MiB", "1,024"); case-insensitive units. */
export function parseBytes(text: string): number | undefined {
  const m = /^\s*([0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)\s*([A-Za-z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = BYTE_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return undefined;
  return Number(m[1].replaceAll(',', '')) * unit;
}

/**
 * Go's strconv.ParseFloat for a label value in a numeric filter. JavaScript's
 * Number() would accept "", " 1 " and "0x10", which Go rejects.
 */
export function parseGoFloat(text: string): number | undefined {
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return Number(text);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (!special) return undefined;
  if (special[2].toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}
