/**
 * The built-in pattern pass: bearer tokens, JWTs, e-mails, then digits
 * (phones, SSNs, cards), each pass on the previous one's output. One regex
 * test skips strings with no digit, '@', "eyJ" or "bearer" entirely, and
 * each pass has its own cheap pre-check. Masks contain no text another pass
 * could match, so the order only decides overlaps (bearer wins over the JWT
 * it carries, an e-mail over the digits in its local part).
 */
import { createDigitScanner } from './digit-scanner.ts';
import { EMAIL_LOCAL_CHARS, bearer, digitDetectors, email, jwt, type Detector, type PatternName } from './patterns.ts';

type Pass = (s: string) => string;

const BEARER_HINT = /bearer/i;
// Shortest thing any pass can mask: "a@b.co", "eyJ.x.", 8 digit-span chars.
const MIN_LENGTH = 6;
// One regex call rules out most short values ("info", "GET /orders") at once.
const ANY_HINT = /[0-9]|@|eyJ|bearer/i;

export function createPatternScanner(enabled: ReadonlySet<PatternName>, partial: boolean): Pass {
  const passes: Pass[] = [];
  if (enabled.has('bearer')) passes.push(regexPass(bearer, partial, (s) => BEARER_HINT.test(s)));
  if (enabled.has('jwt')) passes.push(regexPass(jwt, partial, (s) => s.includes('eyJ')));
  if (enabled.has('email')) passes.push(emailPass(partial));
  const digits = digitDetectors.filter((d) => enabled.has(d.pattern));
  if (digits.length > 0 || enabled.has('card')) passes.push(createDigitScanner(digits, enabled.has('card'), partial));
  return (s) => {
    if (s.length < MIN_LENGTH || !ANY_HINT.test(s)) return s;
    let out = s;
    for (const pass of passes) out = pass(out);
    return out;
  };
}

function regexPass(detector: Detector, partial: boolean, mayMatch: (s: string) => boolean): Pass {
  const re = new RegExp(detector.source, 'g');
  return (s) => {
    if (!mayMatch(s)) return s;
    re.lastIndex = 0;
    let out = '';
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      const masked = detector.mask(m[0], partial);
      if (masked === null) continue; // built-in regex passes never reject; kept for safety
      out += s.slice(last, m.index) + masked.text;
      last = m.index + masked.length;
    }
    return last === 0 ? s : out + s.slice(last);
  };
}

const LOCAL_CHAR = new RegExp(`[${EMAIL_LOCAL_CHARS}]`);

/**
 * E-mails are found from each '@' (indexOf is far cheaper than a regex that
 * must consider every position as a possible local-part start), scanning
 * back to the start of the local part, then matched sticky from there.
 */
function emailPass(partial: boolean): Pass {
  const re = new RegExp(email.source, 'y');
  return (s) => {
    let at = s.indexOf('@');
    if (at === -1) return s;
    let out = '';
    let last = 0;
    while (at !== -1) {
      let start = at;
      while (start > last && LOCAL_CHAR.test(s[start - 1])) start--;
      re.lastIndex = start;
      const m = re.exec(s);
      if (m === null) {
        at = s.indexOf('@', at + 1);
        continue;
      }
      const masked = email.mask(m[0], partial);
      if (masked === null) break;
      out += s.slice(last, start) + masked.text;
      last = start + masked.length;
      at = s.indexOf('@', last);
    }
    return last === 0 ? s : out + s.slice(last);
  };
}
