import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { generateLinkSecret, signLink, verifyLink, type LinkClaim } from './links.ts';

const secret = 'a-secret-of-sufficient-length';
const claim: LinkClaim = { incidentId: '42', action: 'ack', person: 'ana', expiresAt: 1_800_000_000_000 };

test('a signed link verifies before its expiry and carries its claim', () => {
  const token = signLink(secret, claim);
  assert.deepEqual(verifyLink(secret, token, claim.expiresAt - 1), { ok: true, claim });
});

test('a link is expired from its expiry on', () => {
  const token = signLink(secret, claim);
  assert.deepEqual(verifyLink(secret, token, claim.expiresAt), { ok: false, reason: 'expired' });
});

test('another secret, a changed payload or a changed signature is invalid', () => {
  const token = signLink(secret, claim);
  const [payload, signature] = token.split('.');
  const resolveLink = signLink(secret, { ...claim, action: 'resolve' }).split('.')[0];
  const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
  assert.deepEqual(verifyLink('another-secret-entirely', token, 0), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyLink(secret, `${resolveLink}.${signature}`, 0), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyLink(secret, `${payload}.${flipped}`, 0), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyLink(secret, payload, 0), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyLink(secret, `${token}.x`, 0), { ok: false, reason: 'invalid' });
});

test('a validly signed payload that is not a claim is invalid', () => {
  const payload = Buffer.from(JSON.stringify({ i: 42, a: 'ack', p: 'ana', e: 1 })).toString('base64url');
  const signature = createHmac('sha256', secret).update(payload).digest('base64url');
  assert.deepEqual(verifyLink(secret, `${payload}.${signature}`, 0), { ok: false, reason: 'invalid' });
});

test('generated secrets differ', () => {
  assert.notEqual(generateLinkSecret(), generateLinkSecret());
  assert.ok(generateLinkSecret().length >= 40);
});
