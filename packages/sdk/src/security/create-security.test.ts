import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createAuthBlocker } from './auth-blocker.ts';
import { createSecurity } from './create-security.ts';
import { arrayLogger, counterValue, manualHmac, samples } from './test-support.ts';

test('recordAuthFailure counts by reason only and logs who failed', async () => {
  const logger = arrayLogger();
  const registry = new Registry();
  const security = createSecurity({ logger, registry });
  security.recordAuthFailure({ reason: 'bad_password', principal: 'alice', ip: '203.0.113.5' });
  security.recordAuthFailure({ reason: 'bad_password', principal: 'bob', ip: '203.0.113.6' });
  security.recordAuthFailure({ reason: 'unknown_user', ip: '203.0.113.6' });

  assert.equal(await counterValue(registry, 'auth_failures_total', { reason: 'bad_password' }), 2);
  assert.equal(await counterValue(registry, 'auth_failures_total', { reason: 'unknown_user' }), 1);
  for (const [labels] of await samples(registry, 'auth_failures_total')) assert.deepEqual(Object.keys(labels), ['reason']);

  assert.deepEqual(logger.lines[0], {
    level: 'warn',
    obj: { category: 'security', event: 'auth.login_failed', reason: 'bad_password', principal: 'alice', ip: '203.0.113.5' },
    msg: 'authentication failed',
  });
  assert.deepEqual(logger.lines[2].obj, { category: 'security', event: 'auth.login_failed', reason: 'unknown_user', ip: '203.0.113.6' });
});

test('reason labels are capped so a bug passing free text cannot explode cardinality', async () => {
  const logger = arrayLogger();
  const registry = new Registry();
  const security = createSecurity({ logger, registry });
  for (let i = 0; i < 80; i++) security.recordAuthFailure({ reason: `User ${i} not found!` });
  const series = await samples(registry, 'auth_failures_total');
  assert.equal(series.length, 51);
  assert.equal(await counterValue(registry, 'auth_failures_total', { reason: 'other' }), 30);
  assert.equal(await counterValue(registry, 'auth_failures_total', { reason: 'user_0_not_found_' }), 1);
  assert.equal(logger.lines.filter((line) => line.obj.event === 'sdk.label_cap').length, 1);
});

test('webhook verifications are counted per provider and result; failures logged without secrets', async () => {
  const logger = arrayLogger();
  const registry = new Registry();
  const now = 1_700_000_000;
  const security = createSecurity({ logger, registry, now: () => now * 1000 });
  const secret = 'whsec_abcdef0123456789';
  const body = '{"id":"evt_9"}';
  const good = manualHmac('sha256', secret, `${now}.${body}`).toString('hex');
  const forged = 'f'.repeat(64);

  assert.equal(security.verifyStripe({ payload: body, header: `t=${now},v1=${good}`, secret }).ok, true);
  assert.equal(security.verifyStripe({ payload: body, header: `t=${now},v1=${forged}`, secret }).ok, false);
  const stale = manualHmac('sha256', secret, `${now - 1000}.${body}`).toString('hex');
  assert.equal(security.verifyStripe({ payload: body, header: `t=${now - 1000},v1=${stale}`, secret }).ok, false);
  assert.equal(security.verifyStripe({ payload: body, header: 'nonsense', secret }).ok, false);
  assert.equal(security.verifyStripe({ payload: body, header: undefined, secret }).ok, false);
  // A per-call clock wins over the one given to createSecurity.
  assert.equal(security.verifyStripe({ payload: body, header: `t=${now - 1000},v1=${stale}`, secret, now: () => (now - 1000) * 1000 }).ok, true);

  const value = (result: string) => counterValue(registry, 'webhook_signature_verifications_total', { provider: 'stripe', result });
  assert.deepEqual([await value('valid'), await value('invalid'), await value('stale'), await value('malformed')], [2, 1, 1, 2]);

  const failures = logger.lines.map((line) => line.obj);
  assert.deepEqual(failures.map((f) => [f.event, f.category, f.provider, f.reason]), [
    ['webhook.signature_failed', 'security', 'stripe', 'invalid'],
    ['webhook.signature_failed', 'security', 'stripe', 'stale'],
    ['webhook.signature_failed', 'security', 'stripe', 'malformed'],
    ['webhook.signature_failed', 'security', 'stripe', 'missing'],
  ]);
  const logged = JSON.stringify(logger.lines);
  for (const secretish of [secret, good, forged, stale, body]) assert.ok(!logged.includes(secretish), `log leaks ${secretish}`);
});

test('Twilio and generic HMAC record under their providers; zero series exist from the first use', async () => {
  const logger = arrayLogger();
  const registry = new Registry();
  const security = createSecurity({ logger, registry });
  const url = 'https://example.com/sms';
  const header = manualHmac('sha1', 'tok', `${url}Bodyhi`).toString('base64');
  assert.equal(security.verifyTwilio({ url, params: { Body: 'hi' }, header, authToken: 'tok' }).ok, true);
  assert.equal(security.verifyTwilio({ url, params: { Body: 'ho' }, header, authToken: 'tok' }).ok, false);
  const gh = manualHmac('sha256', 's', 'payload').toString('hex');
  assert.equal(security.verifyHmac({ provider: 'github', payload: 'payload', header: `sha256=${gh}`, secret: 's' }).ok, true);
  assert.equal(security.verifyHmac({ payload: 'payload', header: gh, secret: 'wrong' }).ok, false);

  assert.equal(await counterValue(registry, 'webhook_signature_verifications_total', { provider: 'twilio', result: 'valid' }), 1);
  assert.equal(await counterValue(registry, 'webhook_signature_verifications_total', { provider: 'twilio', result: 'invalid' }), 1);
  assert.equal(await counterValue(registry, 'webhook_signature_verifications_total', { provider: 'github', result: 'valid' }), 1);
  assert.equal(await counterValue(registry, 'webhook_signature_verifications_total', { provider: 'hmac', result: 'invalid' }), 1);
  const github = (await samples(registry, 'webhook_signature_verifications_total')).filter(([labels]) => labels.provider === 'github');
  assert.deepEqual(github.map(([labels]) => labels.result).sort(), ['invalid', 'malformed', 'stale', 'valid']);
  assert.deepEqual(logger.lines.map((line) => line.obj.provider), ['twilio', 'hmac']);
});

test('blocking: recordAuthFailure feeds the blocker, which logs auth.blocked once and counts it', async () => {
  const logger = arrayLogger();
  const registry = new Registry();
  let time = 0;
  const security = createSecurity({ logger, registry, blocking: { maxFailures: 3, now: () => time } });
  security.recordAuthFailure({ reason: 'bad_password', principal: 'dave', ip: '198.51.100.9' });
  security.recordAuthFailure({ reason: 'bad_password', principal: 'dave', ip: '198.51.100.9' });
  const status = security.recordAuthFailure({ reason: 'bad_password', principal: 'dave', ip: '198.51.100.9' });
  assert.equal(status.blocked, true);
  assert.equal(status.retryAfterSeconds, 900);
  time += 1000;
  assert.equal(security.blocker?.isBlocked({ ip: '198.51.100.9' }).retryAfterSeconds, 899);
  const blocked = logger.lines.filter((line) => line.obj.event === 'auth.blocked');
  assert.deepEqual(blocked.map((line) => line.obj.key_type), ['ip', 'principal']);
  assert.equal(await counterValue(registry, 'auth_blocks_total', { key_type: 'ip' }), 1);
  assert.equal(await counterValue(registry, 'auth_blocks_total', { key_type: 'principal' }), 1);
});

test('a shared registry and an existing blocker are reused; bad options and throwing loggers do not break callers', () => {
  const registry = new Registry();
  const blocker = createAuthBlocker({ registry, maxFailures: 1 });
  const throwing = { warn: () => { throw new Error('log sink down'); } };
  const security = createSecurity({ logger: throwing, registry, blocking: blocker });
  assert.equal(security.blocker, blocker);
  createSecurity({ logger: throwing, registry }); // same counters, no "already registered"
  assert.equal(security.recordAuthFailure({ reason: 'bad_password', ip: '192.0.2.44' }).blocked, true);
  assert.equal(security.verifyHmac({ payload: 'x', header: 'zz', secret: 's' }).ok, false);
  assert.throws(() => createSecurity({} as never), /logger must have a warn\(obj, msg\) method, got undefined/);
});
