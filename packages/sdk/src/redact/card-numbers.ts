/**
 * Payment card detection inside one digit span (see digit-scanner.ts), in
 * code rather than regex: Luhn and grouping rules are awkward to express as
 * a regex, and the regex versions were several times slower.
 *
 * A card is 13-19 digits, Luhn-valid, 13-digit ones starting with 4 (only
 * Visa issued those; this keeps 13-digit epoch-ms timestamps safe until
 * 2096), and either
 * - ungrouped, first digit 2-9: epoch ms/us/ns timestamps and snowflake ids
 *   start with 1 (until 2033), zero-padded counters with 0; or
 * - grouped: a 4-digit group then up to 5 groups of 1-6 digits, joined by
 *   one kind of single separator (space or dash), so "2026-11-30 2026-12-01"
 *   is never a candidate. Any run of space-separated 4-digit numbers is a
 *   candidate though, and one in ten such runs is Luhn-valid.
 * Neither may touch a letter or digit, nor be the fraction of a decimal.
 */
import { isLuhnValid } from './luhn.ts';

export interface Hit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export function isCardNumber(digits: string): boolean {
  const n = digits.length;
  return n >= 13 && n <= 19 && (n > 13 || digits.charCodeAt(0) === 52) && isLuhnValid(digits);
}

export function cardMask(digits: string, partial: boolean): string {
  return partial ? `[CARD ****${digits.slice(-4)}]` : '[CARD]';
}

/** Appends the cards found in s[from, to) to `hits`, in order. */
export function findCards(s: string, from: number, to: number, partial: boolean, hits: Hit[]): void {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = from; i < to; i++) {
    if (!isDigit(s.charCodeAt(i))) continue;
    starts.push(i);
    while (i < to && isDigit(s.charCodeAt(i))) i++;
    ends.push(i);
  }
  for (let g = 0; g < starts.length; g++) {
    const last = cardAt(s, starts, ends, g);
    if (last < 0) continue;
    const digits = digitsOf(s, starts, ends, g, last);
    hits.push({ start: starts[g], end: ends[last], text: cardMask(digits, partial) });
    g = last;
  }
}

/** Index of the last group of a card starting at group g, or -1. */
function cardAt(s: string, starts: number[], ends: number[], g: number): number {
  const start = starts[g];
  if (!freeBefore(s, start)) return -1;
  const len = ends[g] - start;
  if (len >= 13 && len <= 19 && s.charCodeAt(start) >= 50 && freeAfter(s, ends[g])) {
    if (isCardNumber(s.slice(start, ends[g]))) return g;
  }
  if (len !== 4) return -1;
  const lastInChain = chainEnd(s, starts, ends, g);
  for (let e = lastInChain; e > g; e--) {
    if (isLetterOrDigit(s.charCodeAt(ends[e]))) continue;
    if (isCardNumber(digitsOf(s, starts, ends, g, e))) return e;
  }
  return -1;
}

/** Last group joined to group g by single separators of g's kind (max 5 more groups of <= 6 digits). */
function chainEnd(s: string, starts: number[], ends: number[], g: number): number {
  const sep = s.charCodeAt(ends[g]);
  if (sep !== 32 && sep !== 45) return g;
  let e = g;
  while (e + 1 < starts.length && e - g < 5) {
    const joined = starts[e + 1] === ends[e] + 1 && s.charCodeAt(ends[e]) === sep;
    if (!joined || ends[e + 1] - starts[e + 1] > 6) break;
    e++;
  }
  return e;
}

function digitsOf(s: string, starts: number[], ends: number[], g: number, e: number): string {
  let digits = '';
  for (let k = g; k <= e; k++) digits += s.slice(starts[k], ends[k]);
  return digits;
}

/** Not glued to a word or number, not the fraction of a decimal (3.14159…). */
function freeBefore(s: string, i: number): boolean {
  const p1 = s.charCodeAt(i - 1);
  return !isLetterOrDigit(p1) && !(p1 === 46 && isDigit(s.charCodeAt(i - 2)));
}

function freeAfter(s: string, i: number): boolean {
  const q1 = s.charCodeAt(i);
  return !isLetterOrDigit(q1) && !(q1 === 46 && isDigit(s.charCodeAt(i + 1)));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetterOrDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
