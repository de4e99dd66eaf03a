/**
 * Go literals as text/template reads them: numbers (ints stay exact as
 * bigint, anything with a point or exponent is a float64), character
 * constants, and double-quoted strings with Go's escapes.
 */
import type { Token } from './lexer.ts';

export class ParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export function parseNumber(token: Token): bigint | number {
  if (token.type === 'char') return BigInt(unquoteChars(token.value.slice(1, -1), token).codePointAt(0) ?? 0);
  const text = token.value.replace(/_/g, '');
  const negative = text.startsWith('-');
  const unsigned = text.replace(/^[+-]/, '');
  if (/^0[xXoObB]/.test(unsigned) || !/[.eE]/.test(unsigned)) {
    const digits = /^0[0-7]+$/.test(unsigned) ? '0o' + unsigned.slice(1) : unsigned;
    const value = BigInt(digits);
    return negative ? -value : value;
  }
  const value = Number(text);
  if (Number.isNaN(value)) throw new ParseError(`bad number syntax: "${token.value}"`, token.line);
  return value;
}

export function unquote(token: Token): string {
  if (token.type === 'rawString') return token.value.slice(1, -1).replace(/\r/g, '');
  return unquoteChars(token.value.slice(1, -1), token);
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };

/** Go's escape sequences; \x and octal escapes are bytes, so they are collected and decoded as UTF-8. */
function unquoteChars(body: string, token: Token): string {
  const bytes: number[] = [];
  const pushText = (text: string) => bytes.push(...Buffer.from(text, 'utf8'));
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      const ch = String.fromCodePoint(body.codePointAt(i)!);
      pushText(ch);
      i += ch.length - 1;
      continue;
    }
    const c = body[++i];
    if (c in SIMPLE_ESCAPES) bytes.push(SIMPLE_ESCAPES[c]);
    else if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) bytes.push(parseInt(body.slice(i + 1, (i += 2) + 1), 16));
    else if (/[0-7]/.test(c) && /^[0-7]{3}$/.test(body.slice(i, i + 3))) bytes.push(parseInt(body.slice(i, (i += 2) + 1), 8) & 0xff);
    else if ((c === 'u' || c === 'U') && new RegExp(`^[0-9a-fA-F]{${c === 'u' ? 4 : 8}}$`).test(body.slice(i + 1, i + (c === 'u' ? 5 : 9)))) {
      const len = c === 'u' ? 4 : 8;
      pushText(String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + len), 16)));
      i += len;
    } else throw new ParseError(`invalid syntax in ${token.value}`, token.line);
  }
  return Buffer.from(bytes).toString('utf8');
}
