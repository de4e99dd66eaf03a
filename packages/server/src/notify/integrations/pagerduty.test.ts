import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { recordingServer, sampleAlert, sampleNotification, testNotifier } from '../testing.ts';
import { pagerdutySeverity } from './pagerduty.ts';

test('pagerduty: trigger then resolve with the same dedup_key (SHA-256 of the group key)', async (t) => {
  const server = await recordingServer([202]);
  t.after(() => server.close());
  const { notifier } = testNotifier([{ name: 'pager', pagerduty_configs: [{ routing_key: 'R0UT1NG' }] }], { pagerduty_url: `${server.url}/v2/enqueue` });
  const firing = sampleNotification();
  const resolved = sampleNotification({ status: 'resolved', alerts: firing.alerts.map((a) => ({ ...a, status: 'resolved' as const })) });

  assert.equal((await notifier.send('pager', firing))[0].ok, true);
  assert.equal((await notifier.send('pager', resolved))[0].ok, true);

  const [trigger, resolve] = server.requests.map((r) => JSON.parse(r.body));
  assert.equal(server.requests[0].url, '/v2/enqueue');
  const expectedKey = createHash('sha256').update(firing.groupKey).digest('hex');
  assert.equal(trigger.routing_key, 'R0UT1NG');
  assert.equal(trigger.event_action, 'trigger');
  assert.equal(trigger.dedup_key, expectedKey);
  assert.equal(trigger.payload.summary, '[FIRING:2] HighLatency (api critical)');
  assert.equal(trigger.payload.severity, 'critical');
  assert.equal(trigger.payload.source, 'Vigil');
  assert.equal(trigger.payload.custom_details.num_firing, '2');
  assert.match(trigger.payload.custom_details.firing, /instance = a:1/);
  assert.equal(trigger.client_url, 'http://vigil.test');
  assert.deepEqual(trigger.links, [
    { href: 'https://runbooks.test/latency', text: 'Runbook' },
    { href: 'https://grafana.test/d/api', text: 'Dashboard' },
  ]);
  assert.deepEqual(resolve, { routing_key: 'R0UT1NG', dedup_key: expectedKey, event_action: 'resolve' });
});

test('pagerduty: summary is cut to 1024 characters', async (t) => {
  const server = await recordingServer([202]);
  t.after(() => server.close());
  const { notifier } = testNotifier([{ name: 'pager', pagerduty_configs: [{ routing_key: 'k', url: server.url, description: 'x'.repeat(5000) }] }]);
  await notifier.send('pager', sampleNotification());
  const summary = JSON.parse(server.requests[0].body).payload.summary as string;
  assert.equal(summary.length, 1024);
  assert.ok(summary.endsWith('…'));
});

test('pagerduty: severity label mapped to Events API severities', () => {
  const severity = (label?: string) => pagerdutySeverity(sampleNotification({ alerts: [sampleAlert(label ? { alertname: 'A', severity: label } : { alertname: 'A' })] }));
  assert.equal(severity('critical'), 'critical');
  assert.equal(severity('high'), 'error');
  assert.equal(severity('medium'), 'warning');
  assert.equal(severity('low'), 'info');
  assert.equal(severity('warning'), 'warning');
  assert.equal(severity(undefined), 'error');
  const mixed = sampleNotification({ alerts: [sampleAlert({ alertname: 'A', severity: 'low' }), sampleAlert({ alertname: 'B', severity: 'high' })] });
  assert.equal(pagerdutySeverity(mixed), 'error', 'the most severe firing alert decides');
});
