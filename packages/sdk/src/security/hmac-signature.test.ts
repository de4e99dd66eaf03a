import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyHmacSignature } from './hmac-signature.ts';
import { manualHmac } from './test-support.ts';

const secret = 'gh-webhook-secret';
const body = '{"action":"opened","number":7}';
const mac = manualHmac('sha256', secret, body);
const reason = (header: string | string[] | undefined, payload: unknown = body, key: string = secret) => {
  const result = verifyHmacSignature({ payload: payload as string, header, secret: key });
  return result.ok ? 'ok' : result.reason;
};

test('accepts hex, upper-case hex, base64, base64url and the sha256= prefix', () => {
  assert.equal(reason(mac.toString('hex')), 'ok');
  assert.equal(reason(mac.toString('hex').toUpperCase()), 'ok');
  assert.equal(reason(`sha256=${mac.toString('hex')}`), 'ok');
  assert.equal(reason(`SHA256=${mac.toString('hex')}`), 'ok');
  assert.equal(reason(mac.toString('base64')), 'ok');
  assert.equal(reason(`sha256=${mac.toString('base64')}`), 'ok');
  assert.equal(reason(mac.toString('base64url')), 'ok');
  assert.equal(reason(mac.toString('hex'), Buffer.from(body)), 'ok');
  assert.equal(verifyHmacSignature({ payload: body, header: mac.toString('hex'), secret: Buffer.from(secret) }).ok, true);
});

test("GitHub's documented example (X-Hub-Signature-256)", () => {
  // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!".
  const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  assert.equal(verifyHmacSignature({ payload: 'Hello, World!', header, secret: "It's a Secret to Everybody" }).ok, true);
});

test('refuses tampered bodies and wrong secrets as invalid', () => {
  assert.equal(reason(mac.toString('hex'), body.replace('7', '8')), 'invalid');
  assert.equal(reason(mac.toString('hex'), body, 'other-secret'), 'invalid');
});

test('length-mismatched signatures are invalid or malformed, never thrown', () => {
  assert.equal(reason(mac.toString('hex').slice(0, 62)), 'invalid');
  assert.equal(reason(`${mac.toString('hex')}00`), 'invalid');
  assert.equal(reason(mac.subarray(0, 16).toString('base64')), 'invalid');
  assert.equal(reason('abc'), 'invalid'); // valid base64url of 2 bytes
  assert.equal(reason('ab$c'), 'malformed');
  assert.equal(reason('sha256='), 'malformed');
  assert.equal(reason('not a signature!'), 'malformed');
});

test('missing header, repeated header, parsed body and no secret', () => {
  assert.equal(reason(undefined), 'missing');
  assert.equal(reason(''), 'missing');
  assert.equal(reason([mac.toString('hex'), mac.toString('hex')]), 'malformed');
  assert.equal(reason(mac.toString('hex'), JSON.parse(body)), 'malformed');
  assert.equal(reason(mac.toString('hex'), body, ''), 'malformed');
});
