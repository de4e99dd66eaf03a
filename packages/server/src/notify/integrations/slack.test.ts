import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordingServer, sampleAlert, sampleNotification, testNotifier } from '../testing.ts';
import { slackColor } from './slack.ts';

test('slack: one attachment with subject title, alert summaries, labels and runbook/dashboard buttons', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const { notifier } = testNotifier([{ name: 'chat', slack_configs: [{ channel: '#alerts', username: 'vigil' }] }], {
    slack_api_url: `${server.url}/services/T/B/X`,
  });
  const results = await notifier.send('chat', sampleNotification());

  assert.deepEqual(results, [{ integration: 'slack[0]', ok: true, attempts: 1 }]);
  const req = server.requests[0];
  assert.equal(req.url, '/services/T/B/X');
  const body = JSON.parse(req.body);
  assert.equal(body.channel, '#alerts');
  assert.equal(body.username, 'vigil');
  assert.equal(body.attachments.length, 1);
  const [attachment] = body.attachments;
  assert.equal(attachment.color, 'danger');
  assert.equal(attachment.title, '[FIRING:2] HighLatency (api critical)');
  assert.equal(attachment.title_link, 'http://vigil.test');
  assert.match(attachment.text, /\*p99 latency above 1s\* `critical`/);
  assert.match(attachment.text, /`instance=a:1` `service=api` `severity=critical`/);
  assert.deepEqual(attachment.actions, [
    { type: 'button', text: 'Runbook', url: 'https://runbooks.test/latency' },
    { type: 'button', text: 'Dashboard', url: 'https://grafana.test/d/api' },
  ]);
});

test('slack: the integration’s own api_url wins and plain-text title/text are used as written', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const { notifier } = testNotifier(
    [{ name: 'chat', slack_configs: [{ api_url: `${server.url}/own`, title: 'Latency', text: 'see the dashboard', color: '#123456' }] }],
    { slack_api_url: 'http://127.0.0.1:9/unused' },
  );
  await notifier.send('chat', sampleNotification());
  const attachment = JSON.parse(server.requests[0].body).attachments[0];
  assert.equal(server.requests[0].url, '/own');
  assert.equal(attachment.title, 'Latency');
  assert.equal(attachment.text, 'see the dashboard');
  assert.equal(attachment.color, '#123456');
  assert.equal('channel' in JSON.parse(server.requests[0].body), false, 'no empty channel is sent');
});

test('slack: colour by status and severity', () => {
  const withSeverity = (severity: string | undefined, status: 'firing' | 'resolved' = 'firing') =>
    sampleNotification({ alerts: [sampleAlert(severity ? { alertname: 'A', severity } : { alertname: 'A' }, {}, status)] });
  assert.equal(slackColor(withSeverity('critical', 'resolved')), 'good');
  assert.equal(slackColor(withSeverity('critical')), 'danger');
  assert.equal(slackColor(withSeverity('high')), 'warning');
  assert.equal(slackColor(withSeverity('warning')), 'warning');
  assert.equal(slackColor(withSeverity('info')), '#439FE0');
  assert.equal(slackColor(withSeverity(undefined)), 'danger');
});

test('slack: without any api_url the receiver fails to build, naming what is missing', () => {
  assert.throws(
    () => testNotifier([{ name: 'chat', slack_configs: [{ channel: '#a' }] }]),
    (err: Error & { code?: string }) => err.code === 'VIGIL_ERR_ALERTMANAGER_CONFIG' && /global.slack_api_url/.test(err.message),
  );
});
