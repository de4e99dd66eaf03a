/**
 * fast-check generators shared by the redaction property tests (test-only;
 * fast-check is a root devDependency, never imported by the module itself).
 */
import fc from 'fast-check';
import { luhnCheckDigit } from './luhn.ts';

export const digits = (min: number, max = min): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

const nonZero = fc.integer({ min: 1, max: 9 }).map(String);
const sep = (options: string) => fc.constantFrom(...options.split(''));

// ---- PII -----------------------------------------------------------------

const localPart = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._%+-]{0,20}$/);
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const tld = fc.stringMatching(/^[a-z]{2,6}$/);

export const email: fc.Arbitrary<string> = fc
  .tuple(localPart, fc.array(label, { minLength: 1, maxLength: 3 }), tld)
  .map(([local, labels, top]) => `${local}@${labels.join('.')}.${top}`);

/** Card numbers: 13-19 digits, first digit 2-9 (4 if 13 long; see card-numbers.ts), Luhn-valid. */
export const cardDigits: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 13, max: 19 }).chain((n) => digits(n - 2)))
  .map(([first, middle]) => {
    const partial = `${middle.length === 11 ? 4 : first}${middle}`;
    return partial + luhnCheckDigit(partial);
  });

/** A card as written: ungrouped, in fours, or Amex/Diners 4-6-x, space or dash. */
export const card: fc.Arbitrary<{ digits: string; text: string }> = fc
  .tuple(cardDigits, fc.constantFrom('plain', 'fours', 'amex'), sep(' -'))
  .map(([d, style, s]) => ({ digits: d, text: formatCard(d, style, s) }));

function formatCard(d: string, style: string, s: string): string {
  if (style === 'plain') return d;
  if (style === 'amex' && (d.length === 14 || d.length === 15)) return [d.slice(0, 4), d.slice(4, 10), d.slice(10)].join(s);
  return d.match(/.{1,4}/g)!.join(s);
}

const e164Plain = fc.tuple(nonZero, fc.integer({ min: 7, max: 14 }).chain((n) => digits(n)))
  .map(([first, rest]) => `+${first}${rest}`);

/** "+44 20 7946 0958" style: country code then 2-4 groups of 2-4 digits. */
const e164Grouped = fc
  .tuple(nonZero, digits(0, 2), fc.array(digits(2, 4), { minLength: 2, maxLength: 4 }), sep(' -.'))
  .filter(([, cc, groups]) => {
    const total = 1 + cc.length + groups.join('').length;
    return total >= 8 && total <= 15;
  })
  .map(([first, cc, groups, s]) => `+${first}${cc}${s}${groups.join(s)}`);

const e164Paren = fc.oneof(
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `+1 (${a}) ${b}-${c}`),
  fc.tuple(digits(2), digits(4), digits(4)).map(([a, b, c]) => `+44 (0)${a} ${b} ${c}`),
);

const usNational = fc.tuple(digits(3), digits(3), digits(4), fc.integer({ min: 0, max: 3 })).map(([a, b, c, style]) =>
  [`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `1-${a}-${b}-${c}`][style]);

const ukNational = fc.tuple(nonZero, digits(2), digits(3), digits(4), digits(4), fc.integer({ min: 0, max: 2 }))
  .map(([n, a, b, c, d, style]) =>
    [`0${n}${a.slice(0, 1)} ${c} ${d}`, `0${n}${a} ${b} ${c}`, `0${n}${a}${c.slice(0, 1)} ${b}${b}`][style]);

export const phone: fc.Arbitrary<string> = fc.oneof(e164Plain, e164Grouped, e164Paren, usNational, ukNational);

export const ssn: fc.Arbitrary<string> = fc.tuple(digits(3), digits(2), digits(4)).map(([a, b, c]) => `${a}-${b}-${c}`);

const base64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

export const jwt: fc.Arbitrary<string> = fc
  .tuple(
    fc.record({ alg: fc.constantFrom('HS256', 'RS256', 'ES256', 'none'), typ: fc.constant('JWT') }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.oneof(fc.string(), fc.integer())),
    fc.uint8Array({ minLength: 0, maxLength: 64 }),
  )
  .map(([header, payload, sig]) =>
    `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${base64url(sig)}`);

export const bearerToken: fc.Arbitrary<{ token: string; text: string }> = fc
  .tuple(fc.mixedCase(fc.constant('bearer')), fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,40}={0,2}$/))
  .map(([scheme, token]) => ({ token, text: `${scheme} ${token}` }));

// ---- surrounding text -------------------------------------------------------

const word = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z]{1,10}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z][a-z]{0,8}$/) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 9999 }).map(String) },
);

/** What separates a token from its neighbours: whitespace or punctuation. */
export const separator = fc.constantFrom(' ', ', ', '; ', ': ', ' (', ') ', ' "', '" ', '\t', '\n', ' = ', '=', ' - ', ' | ', ' <', '> ', "'");

export const words: fc.Arbitrary<string> = fc.array(word, { maxLength: 6 }).map((w) => w.join(' '));

/** `token` embedded in random words and punctuation. */
export function inText(token: string): fc.Arbitrary<string> {
  return fc.tuple(words, separator, separator, words).map(([before, s1, s2, after]) => `${before}${s1}${token}${s2}${after}`);
}

/** Safe field names: never sensitive (checked by the tests that use them). */
export const fieldName = fc.constantFrom('msg', 'message', 'user', 'contact', 'detail', 'note', 'value', 'extra', 'data');

// ---- ordinary text that must survive unchanged -------------------------------

const instant = fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
const two = (n: number) => String(n).padStart(2, '0');

export const ordinaryToken: fc.Arbitrary<string> = fc.oneof(
  instant.map((d) => d.toISOString()),
  instant.map((d) => d.toISOString().slice(0, 10)),
  instant.map((d) => d.toISOString().replace('T', ' ').slice(0, 19)),
  instant.map((d) => d.toISOString().replace(/\.\d{3}/, '')),
  instant.map((d) => `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`),
  instant.map((d) => d.toISOString().slice(11, 23)),
  // Epoch ms: 13 digits; from late 2096 they start with 4 like 13-digit Visa cards.
  instant.filter((d) => d.getTime() < 4e12).map((d) => String(d.getTime())),
  instant.map((d) => String(Math.floor(d.getTime() / 1000))), // epoch s
  fc.tuple(fc.integer({ min: 2000, max: 2099 }), digits(6)).map(([y, n]) => `ORD-${y}-${n}`),
  fc.stringMatching(/^[A-Z0-9]{8}$/),
  fc.uuid(),
  fc.ipV4(),
  fc.ipV6(),
  fc.tuple(fc.nat(99), fc.nat(999), fc.nat(999)).map((v) => v.join('.')),
  fc.integer({ min: -99999, max: 99999 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
  fc.integer({ min: 100, max: 599 }).map(String),
  fc.integer({ min: 1, max: 65535 }).map((p) => `:${p}`),
  fc.stringMatching(/^[0-9a-f]{32}$/),
  fc.stringMatching(/^[0-9a-f]{16}$/),
);

/** Ordinary tokens alternating with words ("took 1234 ms at 2026-11-30"). */
export const ordinaryText: fc.Arbitrary<{ tokens: string[]; text: string }> = fc
  .array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), ordinaryToken), { minLength: 1, maxLength: 6 })
  .map((pairs) => ({ tokens: pairs.map(([, t]) => t), text: pairs.map(([w, t]) => `${w} ${t}`).join(' ') }));
