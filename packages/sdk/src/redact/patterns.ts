/**
 * Built-in PII detectors that are plain regexes. Rules for every source:
 * - no capturing groups (the digit scanner numbers one group per detector);
 * - linear: no nested unbounded quantifiers over overlapping classes, and an
 *   open-ended run is preceded by a lookbehind so a match can only start
 *   where the run starts (else a long token is rescanned from each char).
 * Cards (Luhn, grouping) are found in code: see card-numbers.ts.
 */
export type PatternName = 'email' | 'phone' | 'ssn' | 'card' | 'jwt' | 'bearer';

/** Every built-in pattern name, for option validation and docs. */
export const patternNames: readonly PatternName[] = Object.freeze([
  'email', 'phone', 'ssn', 'card', 'jwt', 'bearer',
]);

/** A mask for the first `length` chars of a match, or null to reject it. */
export interface Masked {
  readonly length: number;
  readonly text: string;
}

export interface Detector {
  readonly pattern: PatternName;
  readonly source: string;
  mask(match: string, partial: boolean): Masked | null;
}

// Phones and SSNs have no checksum: refuse text glued to a word or digit, and
// the tail or head of an id such as ORD-415-555-2671 or 10.415.555.2671.
const ID_START = '(?<![A-Za-z0-9]|[A-Za-z0-9][.-])';
const ID_END = '(?![A-Za-z0-9]|[.-][A-Za-z0-9])';

/** Common e-mail local-part chars. Quotes, '=', '/', '{', '|' are left out: in logs they usually delimit (key=a@b.com, /users/a@b.com). */
export const EMAIL_LOCAL_CHARS = "A-Za-z0-9!#$%&*+?^_~.-";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';

const whole = (match: string, text: string): Masked => ({ length: match.length, text });

export const bearer: Detector = {
  pattern: 'bearer',
  // RFC 6750 b64token after the scheme; the scheme word keeps its casing.
  source: '(?<![A-Za-z0-9])[Bb][Ee][Aa][Rr][Ee][Rr][ \\t]+[A-Za-z0-9\\-._~+/]+=*',
  mask: (m) => whole(m, `${m.slice(0, 6)} [REDACTED]`),
};

export const jwt: Detector = {
  pattern: 'jwt',
  source: '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*',
  mask: (m) => whole(m, '[JWT]'),
};

export const email: Detector = {
  pattern: 'email',
  // Used sticky from the start of the local part (found by scanning back
  // from each '@'). The TLD must be letters so pkg@1.2.3 is not an e-mail.
  source: `[${EMAIL_LOCAL_CHARS}]*@${LABEL}(?:\\.${LABEL})*\\.[A-Za-z]{2,63}(?![A-Za-z0-9-])`,
  mask: (m, partial) => whole(m, partial ? `[EMAIL ${m.slice(m.lastIndexOf('@'))}]` : '[EMAIL]'),
};

const phoneIntl: Detector = {
  pattern: 'phone',
  // E.164 with optional grouping: +14155552671, +44 20 7946 0958,
  // +1 (415) 555-2671, +44 (0)20 7946 0958; 8 to 15 digits. Separators are
  // mandatory between groups so a digit run can be split only one way.
  source: '(?<![A-Za-z0-9+])\\+[1-9]\\d{0,14}(?:[ .-]?\\(\\d{1,4}\\)\\d{0,6})?(?:[ .-]\\d{1,6}){0,6}(?![A-Za-z0-9])',
  mask: (m, partial) => maskGroupPrefix(m, (d) => d.length >= 8 && d.length <= 15, phoneMask(partial)),
};

const phoneUs: Detector = {
  pattern: 'phone',
  // (415) 555-2671, 415-555-2671, 1-415-555-2671, 415.555.2671. A bare
  // 4155552671 is deliberately not a phone: it is as likely an id or amount.
  source: `${ID_START}(?:\\(\\d{3}\\) ?\\d{3}[-. ]\\d{4}|(?:1-)?\\d{3}-\\d{3}-\\d{4}|(?:1\\.)?\\d{3}\\.\\d{3}\\.\\d{4})${ID_END}`,
  mask: (m, partial) => whole(m, phoneMask(partial)(m.replace(/\D+/g, ''))),
};

const phoneNational: Detector = {
  pattern: 'phone',
  // Trunk-0 national numbers, UK style, 10 or 11 digits: 020 7946 0958,
  // 0161 496 0000, 07700 900123.
  source: `${ID_START}(?:0[1-9]\\d{1,3}[ -]\\d{3,4}[ -]\\d{3,4}|0[1-9]\\d{3}[ -]\\d{5,6})${ID_END}`,
  mask: (m, partial) => maskGroupPrefix(m, (d) => d.length === 10 || d.length === 11, phoneMask(partial)),
};

const ssn: Detector = {
  pattern: 'ssn',
  source: `${ID_START}\\d{3}-\\d{2}-\\d{4}${ID_END}`,
  mask: (m) => whole(m, '[SSN]'),
};

/** Digit detectors in priority order (at one position the first wins). */
export const digitDetectors: readonly Detector[] = Object.freeze([phoneIntl, phoneUs, phoneNational, ssn]);

function phoneMask(partial: boolean): (digits: string) => string {
  return (digits) => (partial ? `[PHONE ***${digits.slice(-2)}]` : '[PHONE]');
}

/**
 * Masks the longest prefix of `match` that ends at a digit-group boundary and
 * whose digits pass `accept` ("+1 415 555 2671 2026 1234" keeps the phone).
 */
function maskGroupPrefix(match: string, accept: (d: string) => boolean, render: (d: string) => string): Masked | null {
  const ends: number[] = [];
  const counts: number[] = [];
  let digits = '';
  for (let i = 0; i < match.length; i++) {
    const c = match.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    digits += match[i];
    const next = match.charCodeAt(i + 1);
    // A prefix may not stop inside "(0)".
    if (Number.isNaN(next) || ((next < 48 || next > 57) && next !== 41)) {
      ends.push(i + 1);
      counts.push(digits.length);
    }
  }
  for (let k = ends.length - 1; k >= 0; k--) {
    const prefix = digits.slice(0, counts[k]);
    if (accept(prefix)) return { length: ends[k], text: render(prefix) };
  }
  return null;
}
