import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { verifyTwilioSignature } from './twilio-signature.ts';
import { manualHmac } from './test-support.ts';

// Twilio's documented example (docs "Validating requests", api-snippets signature_validation).
const docToken = '12345';
const docUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const docParams = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };
const docSignature = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';

/** Straight from the docs' recipe: URL, then each key and value in key order. */
function expected(token: string, url: string, params: Record<string, string>): string {
  let data = url;
  for (const key of Object.keys(params).sort()) data += key + params[key];
  return manualHmac('sha1', token, data).toString('base64');
}

const reason = (r: ReturnType<typeof verifyTwilioSignature>) => (r.ok ? 'ok' : r.reason);

test('manual HMAC-SHA1 matches RFC 2202 test case 2', () => {
  assert.equal(manualHmac('sha1', 'Jefe', 'what do ya want for nothing?').toString('hex'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
});

test("accepts Twilio's documented example", () => {
  assert.equal(expected(docToken, docUrl, docParams), docSignature);
  assert.deepEqual(verifyTwilioSignature({ url: docUrl, params: docParams, header: docSignature, authToken: docToken }), { ok: true });
  assert.deepEqual(verifyTwilioSignature({ url: docUrl, params: new URLSearchParams(docParams), header: docSignature, authToken: docToken }), { ok: true });
});

test('refuses tampered params, another URL and a wrong token', () => {
  assert.equal(reason(verifyTwilioSignature({ url: docUrl, params: { ...docParams, Digits: '9999' }, header: docSignature, authToken: docToken })), 'invalid');
  assert.equal(reason(verifyTwilioSignature({ url: docUrl, params: { ...docParams, Extra: '' }, header: docSignature, authToken: docToken })), 'invalid');
  assert.equal(reason(verifyTwilioSignature({ url: 'https://mycompany.com/myapp.php?foo=1&bar=3', params: docParams, header: docSignature, authToken: docToken })), 'invalid');
  assert.equal(reason(verifyTwilioSignature({ url: docUrl, params: docParams, header: docSignature, authToken: '54321' })), 'invalid');
});

test('accepts the URL signed with or without the default port', () => {
  const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
  const signedWithPort = expected(docToken, withPort, docParams);
  assert.equal(verifyTwilioSignature({ url: docUrl, params: docParams, header: signedWithPort, authToken: docToken }).ok, true);
  assert.equal(verifyTwilioSignature({ url: withPort, params: docParams, header: docSignature, authToken: docToken }).ok, true);
  const custom = 'http://hooks.example:8080/sms';
  assert.equal(verifyTwilioSignature({ url: custom, params: {}, header: expected('t', custom, {}), authToken: 't' }).ok, true);
});

test('repeated keys contribute each value, sorted', () => {
  const url = 'https://example.com/voice';
  const signature = manualHmac('sha1', 'tok', `${url}AddOnsaAddOnsbBodyhi`).toString('base64');
  assert.equal(verifyTwilioSignature({ url, params: { Body: 'hi', AddOns: ['b', 'a'] }, header: signature, authToken: 'tok' }).ok, true);
  const form = new URLSearchParams('AddOns=b&Body=hi&AddOns=a');
  assert.equal(verifyTwilioSignature({ url, params: form, header: signature, authToken: 'tok' }).ok, true);
});

test('JSON bodies: bodySHA256 in the URL, signature over the URL alone', () => {
  // Body and URL from Twilio's JSON example (its auth token is not published, so the signature is computed here).
  const body = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';
  const url = 'https://example.com/myapp?bodySHA256=5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9';
  assert.equal(createHash('sha256').update(body).digest('hex'), new URL(url).searchParams.get('bodySHA256'));
  const header = expected(docToken, url, {});
  assert.equal(verifyTwilioSignature({ url, body, header, authToken: docToken }).ok, true);
  assert.equal(verifyTwilioSignature({ url, body: Buffer.from(body), header, authToken: docToken }).ok, true);
  assert.equal(reason(verifyTwilioSignature({ url, body: body.replace('123', '999'), header, authToken: docToken })), 'invalid');
  assert.equal(reason(verifyTwilioSignature({ url, header, authToken: docToken })), 'malformed');
});

test('missing and malformed headers and inputs are reported, never thrown', () => {
  const run = (header: string | string[] | undefined, url = docUrl) => reason(verifyTwilioSignature({ url, params: docParams, header, authToken: docToken }));
  assert.equal(run(undefined), 'missing');
  assert.equal(run(''), 'missing');
  assert.equal(run('not base64!'), 'malformed');
  assert.equal(run('AAAA'), 'malformed');
  assert.equal(run(`${docSignature.slice(0, -1)}A=`.slice(0, 24)), 'malformed');
  assert.equal(run(Buffer.alloc(32).toString('base64')), 'malformed');
  assert.equal(run([docSignature, docSignature]), 'malformed');
  assert.equal(run(docSignature, '/relative/path'), 'malformed');
  assert.equal(reason(verifyTwilioSignature({ url: docUrl, params: docParams, header: docSignature, authToken: '' })), 'malformed');
  assert.equal(reason(verifyTwilioSignature({ url: docUrl, params: 'a=b' as never, header: docSignature, authToken: docToken })), 'malformed');
  // Right length, wrong bytes.
  assert.equal(run(Buffer.alloc(20).toString('base64')), 'invalid');
});
