/**
 * Redaction through the logger's real output: whatever path a value takes
 * (message, format argument, field, nested field, key, child binding,
 * base, error), the written line never holds it in clear.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as arb from '../redact/test-arbitraries.ts';
import { capture } from './test-capture.ts';

const RUNS = { numRuns: 200 };

/** The forms a token can take in a JSON line: as is, and JSON-escaped. */
function assertAbsent(raw: string, token: string): void {
  for (const form of new Set([token, JSON.stringify(token).slice(1, -1)])) {
    assert.ok(!raw.includes(form), `${JSON.stringify(token)} survived in ${raw}`);
  }
}

/** Logs `token` (and `text`, which embeds it) every way a caller can, and returns what was written. */
function logEveryWay(token: string, text: string, key: string): string[] {
  const { log, raw, lines } = capture({ base: { deploy_note: text } });
  log.info(text);
  log.info('user said %s', text);
  log.info({ [key]: text, n: 1 }, 'with a field');
  log.info({ [key]: token }, 'bare field');
  log.info({ nested: { deep: [{ [key]: text }] }, list: [token] }, 'nested');
  log.info({ [token]: 1 }, 'as a key');
  log.child({ bound: token }).info('child binding');
  log.error(new Error(`failed for ${text}`));
  log.event('webhook.received', { [key]: text, msg: text });
  lines(); // every line is valid JSON
  return raw;
}

function property(name: string, token: fc.Arbitrary<string>): void {
  it(name, () => {
    fc.assert(
      fc.property(token.chain((t) => fc.tuple(fc.constant(t), arb.inText(t), arb.fieldName)), ([t, text, key]) => {
        for (const line of logEveryWay(t, text, key)) assertAbsent(line, t);
      }),
      RUNS,
    );
  });
}

describe('PII never appears in clear in a written line', () => {
  property('e-mail addresses', arb.email);
  property('phone numbers, E.164 and national formats', arb.phone);
  property('E.164 phone numbers', fc.tuple(fc.integer({ min: 1, max: 9 }), arb.digits(7, 14)).map(([a, b]) => `+${a}${b}`));
  property('US social security numbers', arb.ssn);
  property('JWTs', arb.jwt);

  it('payment cards (Luhn-valid, grouped or not), digits included', () => {
    fc.assert(
      fc.property(arb.card.chain((c) => fc.tuple(fc.constant(c), arb.inText(c.text), arb.fieldName)), ([c, text, key]) => {
        for (const line of logEveryWay(c.text, text, key)) {
          assertAbsent(line, c.text);
          assertAbsent(line, c.digits);
        }
      }),
      RUNS,
    );
  });

  it('cards logged as numbers', () => {
    fc.assert(
      fc.property(arb.cardDigits.filter((d) => Number.isSafeInteger(Number(d))), (digits) => {
        const { log, raw } = capture();
        log.info({ card: Number(digits), amount: 12.5 }, 'charge');
        assertAbsent(raw[0], digits);
      }),
      RUNS,
    );
  });
});

describe('sensitive field names', () => {
  it('replaces values under sensitive names, at any depth, whatever their type', () => {
    const { log, last } = capture();
    log.info({
      password: 'hunter2',
      token: 12345,
      Authorization: 'Basic dXNlcjpwYXNz',
      headers: { cookie: 'sid=abc', 'X-Api-Key': 'k-1' },
      user: { apiKey: { id: 1 }, name: 'Ann' },
      has_password: true,
      client_secret: null,
    }, 'login');
    assert.deepEqual(
      { ...last(), time: 0 },
      {
        severity: 'INFO', level: 30, time: 0, category: 'standard', service: 'checkout', env: 'test',
        password: '[REDACTED]',
        token: '[REDACTED]',
        Authorization: '[REDACTED]',
        headers: { cookie: '[REDACTED]', 'X-Api-Key': '[REDACTED]' },
        user: { apiKey: '[REDACTED]', name: 'Ann' },
        has_password: true,
        client_secret: null,
        msg: 'login',
      },
    );
  });

  it('redacts child bindings, base fields and serializer output once, at the same rules', () => {
    const { log, last } = capture({ base: { deploy_token: 'abc' } });
    const child = log.child({ session_token: 's', owner: 'ann@example.com' }, { serializers: { user: (u) => ({ ...(u as object), password: 'p' }) } });
    child.info({ user: { name: 'Ann' } }, 'x');
    const line = last();
    assert.equal(line.deploy_token, '[REDACTED]');
    assert.equal(line.session_token, '[REDACTED]');
    assert.equal(line.owner, '[EMAIL @example.com]');
    assert.deepEqual(line.user, { name: 'Ann', password: '[REDACTED]' });
  });

  it('redacts requests pino serialises itself (log.info(req)) and a msg field', () => {
    const { log, lines } = capture();
    const req = { method: 'POST', url: '/login?email=ann@example.com', headers: { authorization: 'Bearer abc.def', cookie: 'sid=1', host: 'api' }, socket: { remoteAddress: '10.0.0.1', remotePort: 5000 } };
    log.info(req, 'incoming');
    log.info({ msg: 'call +14155552671' });
    const [incoming, field] = lines();
    const r = incoming.req as { url: string; headers: Record<string, string> };
    assert.equal(r.url, '/login?email=[EMAIL @example.com]');
    assert.deepEqual(r.headers, { authorization: '[REDACTED]', cookie: '[REDACTED]', host: 'api' });
    assert.equal(field.msg, 'call [PHONE ***71]');
  });

  it('does not change the caller\'s objects', () => {
    const { log } = capture();
    const fields = { password: 'hunter2', contact: 'a@example.com', nested: { token: 't' } };
    const copy = structuredClone(fields);
    log.info(fields, 'x');
    assert.deepEqual(fields, copy);
  });

  it('leaves clean lines untouched', () => {
    const { log, raw } = capture();
    log.info({ order_id: 'ORD-2026-000123', status: 200, duration_ms: 41, ip: '192.168.1.20', at: '2026-11-30T05:40:00Z', id: '3f2c1a4e-4b1d-4a9e-9d1e-0c3b9b0f7d2a' }, 'GET /orders/123 took 41 ms');
    assert.match(raw[0], /"order_id":"ORD-2026-000123","status":200,"duration_ms":41,"ip":"192.168.1.20","at":"2026-11-30T05:40:00Z","id":"3f2c1a4e-4b1d-4a9e-9d1e-0c3b9b0f7d2a","msg":"GET \/orders\/123 took 41 ms"/);
  });
});

describe('redact options', () => {
  it('extraFieldNames, extraPatterns and partialMask apply to fields and messages', () => {
    const { log, last } = capture({
      redact: { extraFieldNames: ['pin'], extraPatterns: [{ name: 'employee', pattern: 'EMP-\\d{6}' }], partialMask: false },
    });
    log.info({ pin: '1234', card: '4111 1111 1111 1111', who: 'EMP-123456' }, 'mail a@example.com');
    const line = last();
    assert.equal(line.pin, '[REDACTED]');
    assert.equal(line.card, '[CARD]');
    assert.equal(line.who, '[REDACTED]');
    assert.equal(line.msg, 'mail [EMAIL]');
  });

  it('redact: false writes values as given', () => {
    const { log, last } = capture({ redact: false });
    log.info({ password: 'hunter2' }, 'mail a@example.com');
    assert.equal(last().password, 'hunter2');
    assert.equal(last().msg, 'mail a@example.com');
  });
});
