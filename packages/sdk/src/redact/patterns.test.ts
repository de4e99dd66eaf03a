import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor } from './index.ts';
import { isLuhnValid, luhnCheckDigit } from './luhn.ts';

const r = createRedactor();
const opaque = createRedactor({ partialMask: false });

function cases(table: [input: string, expected: string][], redactor = r): void {
  for (const [input, expected] of table) assert.equal(redactor.redactString(input), expected, input);
}

describe('Luhn', () => {
  it('accepts known test card numbers and rejects one-digit changes', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '30569309025904']) {
      assert.ok(isLuhnValid(n), n);
      assert.ok(!isLuhnValid(n.slice(0, -1) + ((Number(n.at(-1)) + 1) % 10)), n);
    }
    assert.equal(luhnCheckDigit('411111111111111'), '1');
    assert.ok(!isLuhnValid(''));
    assert.ok(!isLuhnValid('4111-1111'));
  });
});

describe('pattern masks', () => {
  it('e-mail keeps the domain (partial) or nothing', () => {
    cases([
      ['to john.doe+tag@mail.example.com.', 'to [EMAIL @mail.example.com].'],
      ['<a_b%c@x-y.io>', '<[EMAIL @x-y.io]>'],
      ['key=bob@example.org&x=1', 'key=[EMAIL @example.org]&x=1'],
    ]);
    assert.equal(opaque.redactString('a@b.co'), '[EMAIL]');
  });

  it('phones: E.164 and national formats keep the last two digits', () => {
    cases([
      ['+14155552671', '[PHONE ***71]'],
      ['+44 20 7946 0958', '[PHONE ***58]'],
      ['+44 (0)20 7946 0958', '[PHONE ***58]'],
      ['+1 (415) 555-2671', '[PHONE ***71]'],
      ['+33 1 23 45 67 89', '[PHONE ***89]'],
      ['(415) 555-2671', '[PHONE ***71]'],
      ['415-555-2671', '[PHONE ***71]'],
      ['1-415-555-2671', '[PHONE ***71]'],
      ['415.555.2671', '[PHONE ***71]'],
      ['020 7946 0958', '[PHONE ***58]'],
      ['0161 496 0000', '[PHONE ***00]'],
      ['07700 900123', '[PHONE ***23]'],
      ['call +14155552671 now', 'call [PHONE ***71] now'],
    ]);
    assert.equal(opaque.redactString('+14155552671'), '[PHONE]');
  });

  it('bare digit runs are not phones (documented choice)', () => {
    cases([['id 4155552671', 'id 4155552671'], ['n=02079460958', 'n=02079460958']]);
  });

  it('SSN, JWT, bearer', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    cases([
      ['ssn 123-45-6789.', 'ssn [SSN].'],
      [`token=${jwt}`, 'token=[JWT]'],
      [`Authorization: Bearer ${jwt}`, 'Authorization: Bearer [REDACTED]'],
      ['authorization: bearer abc123==, next', 'authorization: bearer [REDACTED], next'],
      ['BEARER a/b+c~d', 'BEARER [REDACTED]'],
    ]);
  });

  it('cards: Luhn-valid only, ungrouped or grouped, last four kept', () => {
    cases([
      ['4111111111111111', '[CARD ****1111]'],
      ['4111 1111 1111 1111', '[CARD ****1111]'],
      ['4111-1111-1111-1111', '[CARD ****1111]'],
      ['3782 822463 10005', '[CARD ****0005]'],
      ['card 5555555555554444, thanks', 'card [CARD ****4444], thanks'],
      ['4111 1111 1111 1111 2026 x', '[CARD ****1111] 2026 x'],
      ['4111111111111112', '4111111111111112'],
      ['4111 1111 1111 1112', '4111 1111 1111 1112'],
      ['n=4111111111111111x', 'n=4111111111111111x'],
      ['pi=3.4111111111111111', 'pi=3.4111111111111111'],
    ]);
    assert.equal(opaque.redactString('4111111111111111'), '[CARD]');
  });

  it('ungrouped runs starting with 0 or 1 are not cards (epoch ms/us/ns, snowflake ids)', () => {
    // 1000000000000006 and 0000000000000000 are both Luhn-valid.
    cases([['t=1000000000000006', 't=1000000000000006'], ['c=0000000000000000', 'c=0000000000000000']]);
  });

  it('ordinary log content is untouched', () => {
    const text = 'at 2026-11-30T05:40:00Z 30/11/2026 05:40:00 ORD-2026-000123 A1B2C3D4 '
      + '123e4567-e89b-12d3-a456-426614174000 192.168.100.200 fe80::1ff:fe23:4567:890a v1.2.3 1234 '
      + '3.14159 status 200 4bf92f3577b34da6a3ce929d0e0e4736 port :8080 t=1764481200123 pkg@1.2.3 user@localhost';
    cases([[text, text]]);
  });
});
