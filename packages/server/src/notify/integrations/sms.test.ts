import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordingServer, sampleAlert, sampleNotification, testNotifier } from '../testing.ts';
import { defaultSmsBody } from './sms.ts';

test('sms: Twilio form POST with basic auth account_sid:auth_token', async (t) => {
  const server = await recordingServer([201]);
  t.after(() => server.close());
  const { notifier } = testNotifier([
    { name: 'phone', sms_configs: [{ account_sid: 'AC123', auth_token: 'tok', from: '+15550100', to: '+15550199', api_url: server.url }] },
  ]);
  const results = await notifier.send('phone', sampleNotification());

  assert.deepEqual(results, [{ integration: 'sms[0]', ok: true, attempts: 1 }]);
  const req = server.requests[0];
  assert.equal(req.url, '/2010-04-01/Accounts/AC123/Messages.json');
  assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(req.headers.authorization, `Basic ${Buffer.from('AC123:tok').toString('base64')}`);
  const form = new URLSearchParams(req.body);
  assert.equal(form.get('To'), '+15550199');
  assert.equal(form.get('From'), '+15550100');
  assert.equal(form.get('Body'), '[FIRING:2] HighLatency p99 latency above 1s (+1 more)');
});

test('sms: the body stays within Twilio’s 1600 characters', async (t) => {
  const server = await recordingServer([201]);
  t.after(() => server.close());
  const { notifier } = testNotifier([{ name: 'p', sms_configs: [{ account_sid: 'AC1', auth_token: 't', from: '+1', to: '+2', api_url: server.url }] }]);
  await notifier.send('p', sampleNotification({ alerts: [sampleAlert({ alertname: 'Big' }, { summary: 'y'.repeat(3000) })] }));
  assert.equal(new URLSearchParams(server.requests[0].body).get('Body')!.length, 1600);
});

test('sms: resolved groups say so', () => {
  const n = sampleNotification({
    groupLabels: { alertname: 'DiskFull' },
    alerts: [sampleAlert({ alertname: 'DiskFull' }, { summary: 'disk ok again' }, 'resolved')],
  });
  assert.equal(defaultSmsBody(n), '[RESOLVED] DiskFull disk ok again');
});
