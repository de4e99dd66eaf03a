/**
 * Property: ordinary log content (dates, timestamps, ids, UUIDs, IPs,
 * versions, numbers, hex ids, ports) comes back byte-for-byte unchanged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRedactor } from './index.ts';
import { isLuhnValid } from './luhn.ts';
import * as arb from './test-arbitraries.ts';

const redactor = createRedactor();
const RUNS = { numRuns: 500 };

describe('ordinary text is left alone', () => {
  it('each ordinary token alone', () => {
    fc.assert(fc.property(arb.ordinaryToken, (t) => assert.equal(redactor.redactString(t), t)), RUNS);
  });

  it('ordinary tokens in free text and key=value lines', () => {
    fc.assert(
      fc.property(arb.ordinaryText, ({ tokens, text }) => {
        assert.equal(redactor.redactString(text), text);
        assert.equal(redactor.redactLine(text), text);
        const kv = tokens.map((t, i) => `k${i}=${t}`).join(' ');
        assert.equal(redactor.redactLine(kv), kv);
      }),
      RUNS,
    );
  });

  it('JSON lines of ordinary values come back identical (fast path, no re-serialisation)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arb.fieldName, arb.ordinaryToken), { minLength: 1, maxLength: 8 }), (pairs) => {
        const line = JSON.stringify(Object.fromEntries(pairs.map(([k, v], i) => [`${k}${i}`, v])));
        assert.equal(redactor.redactLine(line), line);
      }),
      RUNS,
    );
  });

  it('non-Luhn digit runs of card length are not cards (text, JSON strings, JSON numbers)', () => {
    const nonLuhn = arb.digits(13, 19).filter((d) => !isLuhnValid(d));
    fc.assert(
      fc.property(nonLuhn, arb.separator, (d, sep) => {
        const text = `paid${sep}${d}${sep}ok`;
        assert.equal(redactor.redactString(text), text);
        const asNumber = Number(d);
        const sameDigits = Number.isSafeInteger(asNumber) && String(asNumber) === d;
        const line = JSON.stringify({ id: d, n: sameDigits ? asNumber : 0 });
        assert.equal(redactor.redactLine(line), line);
      }),
      RUNS,
    );
  });

  it('structured values keep their shape and ordinary content', () => {
    fc.assert(
      fc.property(fc.array(arb.ordinaryToken, { maxLength: 5 }), fc.integer(), fc.boolean(), (tokens, n, b) => {
        const value = { items: tokens, nested: { n, b, none: null }, list: [[tokens[0] ?? 'x']] };
        assert.deepEqual(redactor.redactObject(value), value);
      }),
      RUNS,
    );
  });
});
