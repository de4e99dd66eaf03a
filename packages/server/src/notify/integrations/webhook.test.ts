import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeClock } from '../../testing/fake-clock.ts';
import { recordingServer, sampleNotification, testNotifier } from '../testing.ts';
import { SIGNATURE_HEADER, signWebhookBody, verifyWebhookSignature } from './webhook.ts';

test('webhook: POSTs the version 4 payload with a signature the receiver can verify', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const clock = new FakeClock(1_800_000_000_000);
  const { notifier } = testNotifier(
    [{ name: 'hook', webhook_configs: [{ url: `${server.url}/alerts`, signing_secret: 's3cret', http_config: { basic_auth: { username: 'u', password: 'p' } } }] }],
    {},
    { clock },
  );
  const n = sampleNotification({ receiver: 'hook' });
  const results = await notifier.send('hook', n);

  assert.deepEqual(results, [{ integration: 'webhook[0]', ok: true, attempts: 1 }]);
  const [req] = server.requests;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/alerts');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  const payload = JSON.parse(req.body);
  assert.equal(payload.version, '4');
  assert.equal(payload.groupKey, n.groupKey);
  assert.equal(payload.truncatedAlerts, 0);
  assert.equal(payload.status, 'firing');
  assert.equal(payload.receiver, 'hook');
  assert.deepEqual(payload.groupLabels, n.groupLabels);
  assert.deepEqual(payload.commonLabels, n.commonLabels);
  assert.equal(payload.externalURL, 'http://vigil.test');
  assert.deepEqual(payload.alerts, n.alerts);

  const signature = String(req.headers[SIGNATURE_HEADER.toLowerCase()]);
  assert.match(signature, /^t=1800000000,v1=[0-9a-f]{64}$/);
  assert.equal(verifyWebhookSignature('s3cret', signature, req.body, clock.now()), true);
  assert.equal(verifyWebhookSignature('wrong', signature, req.body, clock.now()), false);
  assert.equal(verifyWebhookSignature('s3cret', signature, req.body.replace('firing', 'resolved'), clock.now()), false);
});

test('webhook: max_alerts cuts the list and counts the rest in truncatedAlerts', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const { notifier } = testNotifier([{ name: 'hook', webhook_configs: [{ url: server.url, max_alerts: 1 }] }]);
  await notifier.send('hook', sampleNotification({ truncatedAlerts: 3 }));
  const payload = JSON.parse(server.requests[0].body);
  assert.equal(payload.alerts.length, 1);
  assert.equal(payload.truncatedAlerts, 4);
  assert.equal(server.requests[0].headers[SIGNATURE_HEADER.toLowerCase()], undefined, 'unsigned without a secret');
});

test('webhook: global.webhook_signing_secret signs hooks without their own', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const { notifier } = testNotifier([{ name: 'hook', webhook_configs: [{ url: server.url }] }], { webhook_signing_secret: 'global-key' });
  await notifier.send('hook', sampleNotification());
  const req = server.requests[0];
  assert.equal(verifyWebhookSignature('global-key', String(req.headers['x-vigil-signature']), req.body, Date.now()), true);
});

test('verifyWebhookSignature rejects signatures outside the tolerance (replays)', () => {
  const body = '{"a":1}';
  const signedAt = 1_800_000_000_000;
  const header = signWebhookBody('k', body, signedAt);
  assert.equal(verifyWebhookSignature('k', header, body, signedAt + 60_000), true);
  assert.equal(verifyWebhookSignature('k', header, body, signedAt + 600_000), false);
  assert.equal(verifyWebhookSignature('k', 'garbage', body, signedAt), false);
});

test('webhook: a credentials_file is read at each send, so a rotated token needs no reload', async (t) => {
  const server = await recordingServer();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-'));
  t.after(() => Promise.all([server.close(), rmSync(dir, { recursive: true })]));
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, 'first\n');
  const { notifier } = testNotifier([{ name: 'hook', webhook_configs: [{ url: server.url, http_config: { authorization: { credentials_file: tokenFile } } }] }]);
  await notifier.send('hook', sampleNotification());
  writeFileSync(tokenFile, 'second\n');
  await notifier.send('hook', sampleNotification());
  assert.deepEqual(server.requests.map((r) => r.headers.authorization), ['Bearer first', 'Bearer second']);
});
