import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyStripeSignature } from './stripe-signature.ts';
import { manualHmac } from './test-support.ts';

const secret = 'whsec_test_5f3a9c';
const body = '{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}';
const t = 1_700_000_000;
const clock = (seconds: number) => () => seconds * 1000;
/** Stripe's documented header shape: t=<unix>,v1=<hex>,v0=<hex>. */
const sign = (payload: string, key = secret, at = t) => manualHmac('sha256', key, `${at}.${payload}`).toString('hex');

test('manual HMAC matches RFC 4231 test case 2', () => {
  assert.equal(manualHmac('sha256', 'Jefe', 'what do ya want for nothing?').toString('hex'),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test('accepts a valid signature in the documented format, with a v0 element', () => {
  const header = `t=${t},v1=${sign(body)},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39`;
  assert.deepEqual(verifyStripeSignature({ payload: body, header, secret, now: clock(t) }), { ok: true });
  assert.deepEqual(verifyStripeSignature({ payload: Buffer.from(body), header, secret, now: clock(t) }), { ok: true });
});

test('accepts any matching v1 (secret roll-over), in any position', () => {
  const old = sign(body, 'whsec_old');
  assert.equal(verifyStripeSignature({ payload: body, header: `t=${t},v1=${old},v1=${sign(body)}`, secret, now: clock(t) }).ok, true);
  assert.equal(verifyStripeSignature({ payload: body, header: `t=${t}, v1=${sign(body)}, v1=${old}`, secret, now: clock(t) }).ok, true);
  assert.equal(verifyStripeSignature({ payload: body, header: `t=${t},v1=${old}`, secret, now: clock(t) }).ok, false);
});

test('refuses tampered bodies and wrong secrets as invalid', () => {
  const header = `t=${t},v1=${sign(body)}`;
  assert.deepEqual(verifyStripeSignature({ payload: body.replace('succeeded', 'failed'), header, secret, now: clock(t) }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyStripeSignature({ payload: `${body} `, header, secret, now: clock(t) }), { ok: false, reason: 'invalid' });
  assert.deepEqual(verifyStripeSignature({ payload: body, header, secret: 'whsec_other', now: clock(t) }), { ok: false, reason: 'invalid' });
  // The timestamp is signed too: moving it breaks the signature.
  assert.deepEqual(verifyStripeSignature({ payload: body, header: `t=${t + 1},v1=${sign(body)}`, secret, now: clock(t) }), { ok: false, reason: 'invalid' });
});

test('stale and future timestamps beyond the tolerance are refused; the edge is accepted', () => {
  const header = `t=${t},v1=${sign(body)}`;
  assert.equal(verifyStripeSignature({ payload: body, header, secret, now: clock(t + 300) }).ok, true);
  assert.equal(verifyStripeSignature({ payload: body, header, secret, now: clock(t - 300) }).ok, true);
  const stale = verifyStripeSignature({ payload: body, header, secret, now: clock(t + 301) });
  assert.equal(stale.ok, false);
  assert.equal(!stale.ok && stale.reason, 'stale');
  const future = verifyStripeSignature({ payload: body, header, secret, now: clock(t - 301) });
  assert.equal(!future.ok && future.reason, 'stale');
  assert.equal(verifyStripeSignature({ payload: body, header, secret, now: clock(t + 3600), toleranceSeconds: 7200 }).ok, true);
  assert.equal(verifyStripeSignature({ payload: body, header, secret, now: clock(t + 10 ** 6), toleranceSeconds: 0 }).ok, true);
  // A forged signature with an old timestamp is "invalid", not "stale".
  const forged = verifyStripeSignature({ payload: body, header: `t=${t},v1=${'0'.repeat(64)}`, secret, now: clock(t + 10_000) });
  assert.equal(!forged.ok && forged.reason, 'invalid');
});

test('missing and malformed headers are reported, never thrown', () => {
  const v1 = sign(body);
  const reason = (header: string | string[] | undefined, payload: unknown = body) => {
    const result = verifyStripeSignature({ payload: payload as string, header, secret, now: clock(t) });
    return result.ok ? 'ok' : result.reason;
  };
  assert.equal(reason(undefined), 'missing');
  assert.equal(reason(''), 'missing');
  assert.equal(reason('garbage'), 'malformed');
  assert.equal(reason(`v1=${v1}`), 'malformed');
  assert.equal(reason(`t=${t}`), 'malformed');
  assert.equal(reason(`t=${t},v0=${v1}`), 'malformed');
  assert.equal(reason(`t=abc,v1=${v1}`), 'malformed');
  assert.equal(reason(`t=${t},t=${t},v1=${v1}`), 'malformed');
  assert.equal(reason(`t=${t},=x,v1=${v1}`), 'malformed');
  assert.equal(reason([`t=${t},v1=${v1}`, `t=${t},v1=${v1}`]), 'malformed');
  assert.equal(reason(`t=${t},v1=${v1},${'x'.repeat(5000)}=1`), 'malformed');
  assert.equal(reason(`t=${t},v1=${v1}`, { id: 'evt_1' }), 'malformed');
  assert.equal(verifyStripeSignature({ payload: body, header: `t=${t},v1=${v1}`, secret: '', now: clock(t) }).ok, false);
});

test('length-mismatched and non-hex signatures are invalid without throwing', () => {
  for (const v1 of ['abcd', sign(body).slice(0, 63), `${sign(body)}00`, 'zz'.repeat(32), '']) {
    const result = verifyStripeSignature({ payload: body, header: `t=${t},v1=${v1}`, secret, now: clock(t) });
    assert.deepEqual(result, { ok: false, reason: 'invalid' }, v1);
  }
});

test('uses Date.now when no clock is given', () => {
  const now = Math.floor(Date.now() / 1000);
  assert.equal(verifyStripeSignature({ payload: body, header: `t=${now},v1=${sign(body, secret, now)}`, secret }).ok, true);
});
