import assert from 'node:assert/strict';
import { test } from 'node:test';
import { counterValue, recordingServer, sampleAlert, sampleNotification, testNotifier } from './testing.ts';
import { globalSchema, receiverSchema } from './config.ts';

const hook = (name: string, url: string, extra: Record<string, unknown> = {}) => ({ name, webhook_configs: [{ url, ...extra }] });

test('retries 5xx with jittered exponential backoff until it succeeds', async (t) => {
  const server = await recordingServer([500, 503, 200]);
  t.after(() => server.close());
  const { notifier, sleeps, registry } = testNotifier([hook('team', server.url)]);
  const [result] = await notifier.send('team', sampleNotification());

  assert.deepEqual(result, { integration: 'webhook[0]', ok: true, attempts: 3 });
  assert.equal(server.requests.length, 3);
  // Full jitter: random() (0.5 here) times 500 ms, then times 1000 ms.
  assert.deepEqual(sleeps, [250, 500]);
  assert.equal(await counterValue(registry, 'vigil_notifications_total', { receiver: 'team', integration: 'webhook' }), 1);
  assert.equal(await counterValue(registry, 'vigil_notifications_failed_total', { receiver: 'team', integration: 'webhook' }), 0);
});

test('429 is retried; other 4xx are not, and the failure is counted', async (t) => {
  const limited = await recordingServer([429, 202]);
  const rejecting = await recordingServer([400]);
  t.after(() => Promise.all([limited.close(), rejecting.close()]));
  const { notifier, registry } = testNotifier([hook('limited', limited.url), hook('rejecting', rejecting.url)]);

  assert.equal((await notifier.send('limited', sampleNotification()))[0].attempts, 2);
  const [rejected] = await notifier.send('rejecting', sampleNotification());
  assert.equal(rejected.ok, false);
  assert.equal(rejected.attempts, 1);
  assert.equal(rejecting.requests.length, 1);
  assert.match(rejected.error ?? '', /webhook: HTTP 400 from 127\.0\.0\.1:\d+: status 400/);
  assert.equal(await counterValue(registry, 'vigil_notifications_failed_total', { receiver: 'rejecting', integration: 'webhook' }), 1);
  assert.equal(await counterValue(registry, 'vigil_notifications_failed_total', { receiver: 'limited', integration: 'webhook' }), 0);
  const latency = await registry.getSingleMetric('vigil_notification_latency_seconds')!.get();
  assert.equal(latency.values.find((v) => (v as { metricName?: string }).metricName === 'vigil_notification_latency_seconds_count')?.value, 2);
});

test('an endpoint that never answers times out on every attempt', async (t) => {
  const silent = await recordingServer([null]);
  t.after(() => silent.close());
  const { notifier } = testNotifier([hook('team', silent.url)], {}, { timeoutMs: 30, maxAttempts: 2 });
  const [result] = await notifier.send('team', sampleNotification());
  assert.equal(result.ok, false);
  assert.equal(result.attempts, 2);
  assert.match(result.error ?? '', /no answer from 127\.0\.0\.1:\d+ in time/);
});

test('a webhook timeout overrides the notifier’s', async (t) => {
  const silent = await recordingServer([null]);
  t.after(() => silent.close());
  const { notifier } = testNotifier([hook('team', silent.url, { timeout: '20ms' })], {}, { timeoutMs: 60_000, maxAttempts: 1 });
  const started = Date.now();
  const [result] = await notifier.send('team', sampleNotification());
  assert.equal(result.ok, false);
  assert.ok(Date.now() - started < 5000);
});

test('a refused connection is retried and reported without the URL’s secrets', async () => {
  const closed = await recordingServer();
  await closed.close();
  const { notifier } = testNotifier([{ name: 'chat', slack_configs: [{ api_url: `${closed.url}/services/T000/B000/SECRETTOKEN` }] }]);
  const [result] = await notifier.send('chat', sampleNotification());
  assert.equal(result.ok, false);
  assert.equal(result.attempts, 3);
  assert.match(result.error ?? '', /slack: request to 127\.0\.0\.1:\d+ failed: ECONNREFUSED/);
  assert.doesNotMatch(result.error ?? '', /SECRETTOKEN/);
});

test('when every integration fails, the fallback receiver gets the notification', async (t) => {
  const down = await recordingServer([503]);
  const backup = await recordingServer([200]);
  t.after(() => Promise.all([down.close(), backup.close()]));
  const { notifier } = testNotifier([{ name: 'primary', fallback: 'backup', webhook_configs: [{ url: down.url }, { url: `${down.url}/2` }] }, hook('backup', backup.url)], {}, { maxAttempts: 1 });
  const results = await notifier.send('primary', sampleNotification({ receiver: 'primary' }));

  assert.deepEqual(
    results.map((r) => [r.integration, r.ok, r.fallbackReceiver]),
    [
      ['webhook[0]', false, undefined],
      ['webhook[1]', false, undefined],
      ['webhook[0]', true, 'backup'],
    ],
  );
  assert.equal(JSON.parse(backup.requests[0].body).receiver, 'backup');
});

test('the fallback is not used while any integration succeeds', async (t) => {
  const down = await recordingServer([503]);
  const up = await recordingServer([200]);
  const backup = await recordingServer([200]);
  t.after(() => Promise.all([down.close(), up.close(), backup.close()]));
  const { notifier } = testNotifier([{ name: 'primary', fallback: 'backup', webhook_configs: [{ url: down.url }, { url: up.url }] }, hook('backup', backup.url)], {}, { maxAttempts: 1 });
  const results = await notifier.send('primary', sampleNotification());
  assert.deepEqual(results.map((r) => r.ok), [false, true]);
  assert.equal(backup.requests.length, 0);
});

test('send_resolved false drops resolved alerts and skips groups with nothing firing', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const { notifier, registry } = testNotifier([hook('team', server.url, { send_resolved: false })]);
  const mixed = sampleNotification({ alerts: [sampleAlert({ alertname: 'A', i: '1' }), sampleAlert({ alertname: 'A', i: '2' }, {}, 'resolved')] });
  await notifier.send('team', mixed);
  assert.deepEqual(JSON.parse(server.requests[0].body).alerts.map((a: { labels: { i: string } }) => a.labels.i), ['1']);

  const resolved = sampleNotification({ status: 'resolved', alerts: [sampleAlert({ alertname: 'A' }, {}, 'resolved')] });
  assert.deepEqual(await notifier.send('team', resolved), [{ integration: 'webhook[0]', ok: true, attempts: 0 }]);
  assert.equal(server.requests.length, 1, 'nothing sent for the resolved group');
  assert.equal(await counterValue(registry, 'vigil_notifications_total', { receiver: 'team' }), 1);
});

test('Go templates in fields see Alertmanager’s data and the templates files', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const { notifier } = testNotifier(
    [
      {
        name: 'chat',
        slack_configs: [
          {
            api_url: server.url,
            title: '{{ template "team.title" . }}',
            text: '{{ range .Alerts.Firing }}{{ .Labels.instance }} {{ end }}| {{ .CommonLabels.Remove .GroupLabels.Names | len }} extra',
          },
        ],
      },
    ],
    {},
    { templates: ['{{ define "team.title" }}{{ .Status | toUpper }}: {{ .CommonLabels.alertname }} ({{ .Alerts.Firing | len }}){{ end }}\n'] },
  );
  const n = sampleNotification({ alerts: [...sampleNotification().alerts, sampleAlert({ alertname: 'HighLatency', instance: 'c:1' }, {}, 'resolved')] });
  await notifier.send('chat', n);
  const attachment = JSON.parse(server.requests[0].body).attachments[0];
  assert.equal(attachment.title, 'FIRING: HighLatency (2)');
  assert.equal(attachment.text, 'a:1 b:1 | 2 extra');
});

test('an unknown receiver is an error; a bad reload keeps the old config', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const { notifier } = testNotifier([hook('team', server.url)]);
  await assert.rejects(notifier.send('nobody', sampleNotification()), /no receiver named "nobody"/);

  const global = globalSchema.parse({});
  assert.throws(
    () => notifier.reconfigure({ global, receivers: [receiverSchema.parse({ name: 'team', fallback: 'ghost' })] }),
    /receiver "team" has fallback "ghost", which is not a receiver/,
  );
  assert.throws(() => notifier.reconfigure({ global, receivers: [receiverSchema.parse({ name: 'a' }), receiverSchema.parse({ name: 'a' })] }), /defined more than once/);
  assert.equal((await notifier.send('team', sampleNotification()))[0].ok, true);

  notifier.reconfigure({ global, receivers: [receiverSchema.parse({ name: 'other', webhook_configs: [{ url: server.url }] })] });
  await assert.rejects(notifier.send('team', sampleNotification()), /no receiver named "team"/);
  assert.equal((await notifier.send('other', sampleNotification()))[0].ok, true);
});

test('a receiver without integrations (a blackhole) sends nothing', async () => {
  const { notifier } = testNotifier([{ name: 'blackhole' }]);
  assert.deepEqual(await notifier.send('blackhole', sampleNotification()), []);
});

test('a broken field template fails the config load, naming the field', () => {
  assert.throws(
    () => testNotifier([{ name: 'chat', slack_configs: [{ api_url: 'http://127.0.0.1:1/', title: '{{ .Status ' }] }]),
    (err: Error & { code?: string }) => err.code === 'VIGIL_ERR_TEMPLATE' && err.message.includes('chat.slack_configs[0].title'),
  );
  assert.throws(() => testNotifier([{ name: 'x' }], {}, { templates: ['{{ define "t" }}unclosed'] }), (err: Error & { code?: string }) => err.code === 'VIGIL_ERR_TEMPLATE');
});

test('a template that fails while running fails the notification without retries', async (t) => {
  const server = await recordingServer();
  t.after(() => server.close());
  const { notifier } = testNotifier([{ name: 'chat', slack_configs: [{ api_url: server.url, text: '{{ index .Alerts 99 }}' }] }]);
  const [result] = await notifier.send('chat', sampleNotification());
  assert.equal(result.ok, false);
  assert.equal(result.attempts, 1);
  assert.match(result.error ?? '', /chat\.slack_configs\[0\]\.text/);
  assert.equal(server.requests.length, 0);
});
