/**
 * Property: generated PII embedded anywhere (free text, JSON string values,
 * JSON field values, nested objects) never comes back in clear.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRedactor } from './index.ts';
import * as arb from './test-arbitraries.ts';

const redactor = createRedactor();
const RUNS = { numRuns: 300 };

/** Every way a token can reach the redactor, and the output to inspect. */
function outputs(token: string, text: string, key: string): string[] {
  const line = JSON.stringify({ level: 'info', [key]: text });
  const fieldLine = JSON.stringify({ level: 'info', [key]: token, n: 1 });
  const lineOut = redactor.redactLine(line);
  const fieldOut = redactor.redactLine(fieldLine);
  // Valid JSON in, valid JSON out.
  JSON.parse(lineOut);
  JSON.parse(fieldOut);
  return [
    redactor.redactString(text),
    redactor.redactLine(text),
    lineOut,
    fieldOut,
    JSON.stringify(redactor.redactObject({ a: [{ [key]: text }], b: token })),
  ];
}

function assertHidden(token: string, text: string, key: string): void {
  for (const out of outputs(token, text, key)) {
    assert.ok(!out.includes(token), `${JSON.stringify(token)} survived in ${JSON.stringify(out)}`);
  }
}

function property(name: string, token: fc.Arbitrary<string>, check = assertHidden): void {
  it(name, () => {
    fc.assert(
      fc.property(token.chain((t) => fc.tuple(fc.constant(t), arb.inText(t), arb.fieldName)), ([t, text, key]) => check(t, text, key)),
      RUNS,
    );
  });
}

describe('PII never comes back in clear', () => {
  property('e-mail addresses', arb.email);
  property('e-mail addresses (fast-check RFC generator)', fc.emailAddress());
  property('phone numbers, E.164 and national formats', arb.phone);
  property('US social security numbers', arb.ssn);
  property('JWTs', arb.jwt);

  it('payment cards (Luhn-valid, with and without separators)', () => {
    fc.assert(
      fc.property(arb.card.chain((c) => fc.tuple(fc.constant(c), arb.inText(c.text), arb.fieldName)), ([c, text, key]) => {
        for (const out of outputs(c.text, text, key)) {
          assert.ok(!out.includes(c.text), `${c.text} survived in ${JSON.stringify(out)}`);
          assert.ok(!out.includes(c.digits), `digits ${c.digits} survived in ${JSON.stringify(out)}`);
        }
      }),
      RUNS,
    );
  });

  it('bearer tokens keep the scheme and lose the token', () => {
    fc.assert(
      fc.property(arb.bearerToken.chain((b) => fc.tuple(fc.constant(b), arb.inText(b.text))), ([b, text]) => {
        const out = redactor.redactString(text);
        assert.ok(!out.includes(b.text), `${b.text} survived in ${JSON.stringify(out)}`);
        assert.ok(out.includes(`${b.text.slice(0, 6)} [REDACTED]`));
      }),
      RUNS,
    );
  });

  it('partial masks keep only the documented hints', () => {
    fc.assert(
      fc.property(arb.cardDigits, arb.email, (card, email) => {
        assert.equal(redactor.redactString(card), `[CARD ****${card.slice(-4)}]`);
        assert.equal(redactor.redactString(email), `[EMAIL ${email.slice(email.indexOf('@'))}]`);
      }),
      RUNS,
    );
  });
});
