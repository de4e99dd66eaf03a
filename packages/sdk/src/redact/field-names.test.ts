import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor } from './index.ts';

const r = createRedactor();

describe('isSensitiveKey', () => {
  it('matches the default names and names containing them, ignoring case and separators', () => {
    const sensitive = [
      'password', 'PASSWORD', 'passwd', 'user_password', 'userPassword', 'secret', 'client_secret',
      'token', 'access_token', 'refreshToken', 'api_key', 'apikey', 'apiKey', 'X-Api-Key', 'x_api_key',
      'authorization', 'Authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'Cookies',
      'ssn', 'SSN', 'user_ssn', 'userSsn', 'ssn.last4', 'tax_id', 'taxId', 'tax-id',
    ];
    for (const name of sensitive) assert.ok(r.isSensitiveKey(name), name);
  });

  it('leaves other names alone; short names must be whole words', () => {
    for (const name of ['user', 'msg', 'className', 'classname', 'session', 'passage', 'api', 'key', 'id', 'taxonomy']) {
      assert.ok(!r.isSensitiveKey(name), name);
    }
  });

  it('extends with extraFieldNames and can replace the default list', () => {
    const extra = createRedactor({ extraFieldNames: ['pin', 'card_number'] });
    assert.ok(extra.isSensitiveKey('PIN') && extra.isSensitiveKey('user_pin') && extra.isSensitiveKey('cardNumber'));
    assert.ok(!extra.isSensitiveKey('shipping') && extra.isSensitiveKey('password'));
    const only = createRedactor({ fieldNames: ['secret'] });
    assert.ok(only.isSensitiveKey('secret') && !only.isSensitiveKey('prompt_tokens'));
  });

  it('returns false for non-strings instead of throwing', () => {
    assert.equal(r.isSensitiveKey(42 as unknown as string), false);
  });
});
