import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor, defaultRedactOptions, REDACTION_FAILED } from './index.ts';

const r = createRedactor();

describe('redactLine', () => {
  it('redacts sensitive fields by name, nested and in arrays, plus patterns in every string', () => {
    const line = JSON.stringify({
      msg: 'login for a@b.com',
      Password: 'hunter2',
      headers: { Authorization: 'Bearer x', 'X-Api-Key': 'k', 'set-cookie': ['a=1', 'b=2'] },
      users: [{ access_token: 't1', name: 'n' }, { client_secret: { nested: true } }],
      flags: { has_password: true, password_hint: null },
      pin_attempts: 3,
    });
    assert.deepEqual(JSON.parse(r.redactLine(line)), {
      msg: 'login for [EMAIL @b.com]',
      Password: '[REDACTED]',
      headers: { Authorization: '[REDACTED]', 'X-Api-Key': '[REDACTED]', 'set-cookie': '[REDACTED]' },
      users: [{ access_token: '[REDACTED]', name: 'n' }, { client_secret: '[REDACTED]' }],
      flags: { has_password: true, password_hint: null },
      pin_attempts: 3,
    });
  });

  it('returns a clean JSON line as is, byte for byte', () => {
    const line = '{ "ts": "2026-11-30T05:40:00Z", "msg": "token refreshed", "n": 1.50 }';
    assert.equal(r.redactLine(line), line);
  });

  it('always returns valid JSON for JSON input', () => {
    const lines = [
      '{"msg":"line1\\nmail a@b.com\\t\\"quoted\\" \\u00e9"}',
      '{"a\\"password":"x"}',
      '[{"token":1},"4111 1111 1111 1111",null]',
      '{"card":4111111111111111,"big":12345678901234567890}',
      '{"__proto__":{"password":"x"},"k":"+14155552671"}',
      '  {"nested":{"deep":[[[{"secret":"s"}]]]}}  ',
    ];
    for (const line of lines) {
      const out = r.redactLine(line);
      assert.doesNotThrow(() => JSON.parse(out), out);
      assert.ok(!/hunter2|a@b\.com|4111 1111|"x"|"s"|14155552671/.test(out), out);
    }
    assert.deepEqual(JSON.parse(r.redactLine(lines[3])).card, '[CARD ****1111]');
    assert.deepEqual(Object.getOwnPropertyNames(JSON.parse(r.redactLine(lines[4]))), ['__proto__', 'k']);
  });

  it('treats non-JSON and broken JSON as text (patterns only)', () => {
    assert.equal(r.redactLine('password=hunter2 user a@b.com'), 'password=hunter2 user [EMAIL @b.com]');
    assert.equal(r.redactLine('{not json a@b.com}'), '{not json [EMAIL @b.com]}');
  });

  it('truncates values nested deeper than maxDepth', () => {
    const shallow = createRedactor({ maxDepth: 2 });
    assert.equal(shallow.redactLine('{"a":{"b":{"c":"x"}},"password":1}'), '{"a":{"b":"[TRUNCATED]"},"password":"[REDACTED]"}');
  });
});

describe('redactObject', () => {
  it('returns a redacted deep copy and leaves the input untouched', () => {
    const input = { user: { email: 'a@b.com', token: 'abc', tags: ['+14155552671'] }, at: new Date(0) };
    const out = r.redactObject(input);
    assert.deepEqual(out, { user: { email: '[EMAIL @b.com]', token: '[REDACTED]', tags: ['[PHONE ***71]'] }, at: new Date(0) });
    assert.equal(input.user.token, 'abc');
    assert.notEqual(out.at, input.at);
  });

  it('handles cycles, Maps, Sets, Errors, toJSON and odd values without throwing', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const out = r.redactObject({
      cyclic,
      map: new Map<unknown, unknown>([['password', 'x'], ['a@b.com', 1]]),
      set: new Set(['a@b.com']),
      err: new Error('failed for a@b.com'),
      json: { toJSON: () => ({ secret: 's' }) },
      big: 4111111111111111n,
      fn: () => 1,
    });
    assert.equal((out.cyclic as Record<string, unknown>).self, '[Circular]');
    assert.deepEqual([...out.map], [['password', '[REDACTED]'], ['[EMAIL @b.com]', 1]]);
    assert.deepEqual([...out.set], ['[EMAIL @b.com]']);
    assert.equal((out.err as unknown as Record<string, string>).message, 'failed for [EMAIL @b.com]');
    assert.deepEqual(out.json, { secret: '[REDACTED]' });
    assert.equal(out.big, '[CARD ****1111]');
  });

  it('fails closed when reading the input throws', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    assert.equal(r.redactObject(hostile), REDACTION_FAILED);
  });
});

describe('options', () => {
  it('exposes frozen defaults', () => {
    assert.ok(Object.isFrozen(defaultRedactOptions) && Object.isFrozen(defaultRedactOptions.fieldNames));
    assert.equal(defaultRedactOptions.partialMask, true);
    assert.ok(defaultRedactOptions.fieldNames.includes('tax_id'));
  });

  it('treats an explicit undefined as the default', () => {
    assert.doesNotThrow(() => createRedactor({ partialMask: undefined, extraPatterns: undefined }));
  });

  it('rejects bad options with a TypeError naming the option and the value', () => {
    const bad: [unknown, RegExp][] = [
      [null, /options must be an object.*null/],
      [{ partialMask: 'yes' }, /partialMask must be a boolean, got the string "yes"/],
      [{ maxDepth: 0 }, /maxDepth must be an integer from 1 to 1000, got number 0/],
      [{ extraFieldNames: 'pin' }, /extraFieldNames must be an array.*got the string "pin"/],
      [{ extraFieldNames: ['ok', '--'] }, /extraFieldNames\[1\] must be a field name.*"--"/],
      [{ disabledPatterns: ['iban'] }, /disabledPatterns\[0\] must be one of email, phone.*"iban"/],
      [{ extraPatterns: [{ name: 'x', pattern: '(' }] }, /extraPatterns\[0\]\.pattern \(x\) must be a valid regular expression.*got the string "\("/],
      [{ extraPatterns: [{ name: 'x', pattern: 'a*' }] }, /cannot match the empty string/],
      [{ extraPatterns: [{ name: 'x', pattern: 'a', flags: 'g' }] }, /extraPatterns\[0\]\.flags/],
      [{ extraPatterns: [{ name: '', pattern: 'a' }] }, /extraPatterns\[0\]\.name must be a non-empty string/],
      [{ extraPatterns: [{ name: 'x', pattern: 'a', replace: 'b' }] }, /unknown key "replace"/],
      [{ partialmask: true }, /unknown redact option "partialmask"/],
    ];
    for (const [options, message] of bad) {
      assert.throws(() => createRedactor(options as never), (err: unknown) => err instanceof TypeError && message.test(err.message), String(message));
    }
  });

  it('keeps the regex compile error as the cause', () => {
    try {
      createRedactor({ extraPatterns: [{ name: 'x', pattern: '[' }] });
      assert.fail('expected a TypeError');
    } catch (err) {
      assert.ok(err instanceof TypeError && err.cause instanceof SyntaxError);
    }
  });

  it('applies extra patterns after the built-ins, in strings and JSON values', () => {
    const x = createRedactor({
      extraPatterns: [
        { name: 'employee id', pattern: '\\bEMP-(\\d{2})\\d{4}\\b', replacement: '[EMP $1****]' },
        { name: 'iban', pattern: '\\bDE\\d{20}\\b', flags: 'i' },
      ],
    });
    assert.equal(x.redactString('by EMP-123456 to de89370400440532013000'), 'by [EMP 12****] to [REDACTED]');
    assert.equal(x.redactLine('{"m":"EMP-123456"}'), '{"m":"[EMP 12****]"}');
  });

  it('applies anchored extra patterns to each JSON value, not the raw line', () => {
    const x = createRedactor({ extraPatterns: [{ name: 'whole value', pattern: '^internal-\\w+$' }] });
    assert.equal(x.redactLine('{"host":"internal-db1","n":1}'), '{"host":"[REDACTED]","n":1}');
  });

  it('disables individual built-in patterns', () => {
    const x = createRedactor({ disabledPatterns: ['email', 'card'] });
    assert.equal(x.redactString('a@b.com 4111111111111111 +14155552671'), 'a@b.com 4111111111111111 [PHONE ***71]');
  });

  it('partialMask: false drops every hint', () => {
    const x = createRedactor({ partialMask: false });
    assert.equal(x.redactString('a@b.com 4111111111111111 +14155552671'), '[EMAIL] [CARD] [PHONE]');
  });
});

describe('never throws, stays linear', () => {
  it('accepts non-string input', () => {
    assert.equal(r.redactString(undefined as unknown as string), undefined);
    assert.equal(r.redactLine(null as unknown as string), '');
  });

  it('handles adversarial inputs in linear time', () => {
    const n = 200_000;
    const inputs = [
      'a'.repeat(n) + '@', 'a.'.repeat(n / 2) + '@x', '@'.repeat(n), 'eyJ'.repeat(n / 3), 'eyJa.'.repeat(n / 5),
      '1 '.repeat(n / 2), '1-'.repeat(n / 2), '+1 '.repeat(n / 3), '4111 '.repeat(n / 5), '0'.repeat(n),
      'bearer '.repeat(n / 7), 'Bearer ' + 'a'.repeat(n), '(' + '1'.repeat(n), `{"${'k'.repeat(n)}":1}`,
      `{"a":"${'token'.repeat(n / 5)}"}`, `{"${'password'.repeat(n / 8)}":1}`,
    ];
    for (const input of inputs) {
      const start = performance.now();
      r.redactLine(input);
      r.redactString(input);
      const ms = performance.now() - start;
      // Linear work is ~10-100 ms here; a quadratic path would take minutes.
      assert.ok(ms < 2000, `${input.slice(0, 20)}… took ${ms.toFixed(0)} ms`);
    }
  });
});
