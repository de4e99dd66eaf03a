import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { z } from 'zod';
import { globalSchema, receiverSchema } from './config.ts';

function errorsOf(schema: z.ZodType, input: unknown): string {
  const result = schema.safeParse(input);
  assert.equal(result.success, false, 'expected a config error');
  return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
}

test('global: Alertmanager defaults', () => {
  const global = globalSchema.parse({});
  assert.equal(global.resolve_timeout, 300_000);
  assert.equal(global.pagerduty_url, 'https://events.pagerduty.com/v2/enqueue');
  assert.equal(global.smtp_require_tls, true);
  assert.equal(global.smtp_hello, 'localhost');
  assert.equal(global.twilio_api_url, 'https://api.twilio.com');
});

test('global: durations parsed, bad ones named', () => {
  assert.equal(globalSchema.parse({ resolve_timeout: '1h30m' }).resolve_timeout, 5_400_000);
  assert.match(errorsOf(globalSchema, { resolve_timeout: 'soon' }), /resolve_timeout: "soon" is not a duration/);
});

test('an existing alertmanager.yml global and receivers load unchanged', () => {
  const file = parse(`
global:
  resolve_timeout: 5m
  smtp_smarthost: 'smtp.example.org:587'
  smtp_from: 'alertmanager@example.org'
  smtp_auth_username: 'alertmanager'
  smtp_auth_password: 'password'
  slack_api_url: 'https://hooks.slack.com/services/T/B/X'
  opsgenie_api_url: 'https://api.opsgenie.com/'
receivers:
  - name: team-X-mails
    email_configs:
      - to: 'team-X+alerts@example.org'
        headers: { Subject: 'Alert {{ .CommonLabels.alertname }}' }
  - name: team-X-pager
    pagerduty_configs:
      - routing_key: '<team-X-key>'
        severity: '{{ .CommonLabels.severity }}'
  - name: team-Y-slack
    slack_configs:
      - channel: '#alerts'
        send_resolved: true
        title: '{{ template "slack.title" . }}'
        actions:
          - type: button
            text: 'Runbook'
            url: '{{ .CommonAnnotations.runbook_url }}'
  - name: hook
    webhook_configs:
      - url: 'http://127.0.0.1:5001/'
        max_alerts: 10
        http_config:
          authorization: { credentials: 'token' }
  - name: blackhole
`);
  const global = globalSchema.parse(file.global);
  assert.equal(global.smtp_smarthost, 'smtp.example.org:587');
  const receivers = (file.receivers as unknown[]).map((r) => receiverSchema.parse(r));
  assert.deepEqual(receivers.map((r) => r.name), ['team-X-mails', 'team-X-pager', 'team-Y-slack', 'hook', 'blackhole']);
  assert.equal(receivers[3].webhook_configs[0].http_config?.authorization?.type, 'Bearer');
  assert.equal(receivers[4].webhook_configs.length, 0);
});

test('send_resolved defaults are Alertmanager’s: true for webhook and pagerduty, false for slack and email', () => {
  const r = receiverSchema.parse({
    name: 'all',
    webhook_configs: [{ url: 'http://h/' }],
    pagerduty_configs: [{ routing_key: 'k' }],
    slack_configs: [{ api_url: 'http://h/' }],
    email_configs: [{ to: 'a@b.c' }],
    sms_configs: [{ account_sid: 'AC1', auth_token: 't', from: '+1', to: '+2' }],
  });
  assert.equal(r.webhook_configs[0].send_resolved, true);
  assert.equal(r.pagerduty_configs[0].send_resolved, true);
  assert.equal(r.slack_configs[0].send_resolved, false);
  assert.equal(r.email_configs[0].send_resolved, false);
  assert.equal(r.sms_configs[0].send_resolved, false);
});

test('integrations Vigil lacks are errors that name them', () => {
  const errors = errorsOf(receiverSchema, { name: 'x', opsgenie_configs: [{ api_key: 'k' }], msteams_configs: [{}] });
  assert.match(errors, /opsgenie_configs is supported by Alertmanager but not by Vigil yet/);
  assert.match(errors, /msteams_configs is supported by Alertmanager but not by Vigil yet/);
});

test('integration configs are checked field by field', () => {
  assert.match(errorsOf(receiverSchema, { name: 'x', webhook_configs: [{}] }), /webhook_configs.0.url: exactly one of url and url_file/);
  assert.match(errorsOf(receiverSchema, { name: 'x', webhook_configs: [{ url: 'not a url' }] }), /"not a url" is not a URL/);
  assert.match(errorsOf(receiverSchema, { name: 'x', pagerduty_configs: [{ service_key: 'k' }] }), /service_key \(Events API v1\)/);
  assert.match(errorsOf(receiverSchema, { name: 'x', email_configs: [{ to: 'a@b.c', smarthost: 'nohost' }] }), /smarthost: use HOST:PORT/);
  assert.match(errorsOf(receiverSchema, { name: 'x', slack_configs: [{ chanel: '#typo' }] }), /chanel/);
  assert.match(errorsOf(receiverSchema, { name: 'x', fallback: 'x' }), /fallback: a receiver cannot be its own fallback/);
});

test('http_config: one auth method, unsupported transport keys named', () => {
  const both = { name: 'x', webhook_configs: [{ url: 'http://h/', http_config: { basic_auth: { username: 'u' }, bearer_token: 't' } }] };
  assert.match(errorsOf(receiverSchema, both), /at most one of basic_auth, bearer_token/);
  const tls = { name: 'x', webhook_configs: [{ url: 'http://h/', http_config: { tls_config: { insecure_skip_verify: true } } }] };
  assert.match(errorsOf(receiverSchema, tls), /http_config.tls_config is supported by Alertmanager but not by Vigil yet/);
});

test('smarthost: HOST:PORT, IPv6 in brackets', () => {
  assert.equal(globalSchema.parse({ smtp_smarthost: '[::1]:25' }).smtp_smarthost, '[::1]:25');
  assert.match(errorsOf(globalSchema, { smtp_smarthost: 'smtp.example.org' }), /smtp_smarthost: use HOST:PORT/);
});
