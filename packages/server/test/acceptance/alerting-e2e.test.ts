/**
 * The end to end: Vigil scrapes the example telephony backend with
 * the built-in rule pack on. The app stops, and the pack's TargetDown
 * (for: 2m) reaches the on-call webhook within its promised window; the app
 * comes back, and the resolved notification follows within seconds.
 *
 * Timeline (scrape and evaluation every 1 s, group_wait 1 s):
 *   0        app stops
 *   ≤ 2 s    a scrape fails (up = 0) and an evaluation sees it: pending
 *   120 s +  for elapsed: firing; group_wait; the webhook gets it by 125 s
 *   restart  up = 1 again; resolved reaches the webhook within seconds
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { createLogger } from '@vigil/sdk';
import { buildApp } from '../../../../examples/telephony-backend/src/app.ts';
import { startCalendar } from '../../../../examples/telephony-backend/src/calendar.ts';
import { deliveriesOf, getJson, startVigilFor, startWebhookReceiver, vigilConfig, type Delivery, type WebhookReceiver } from './alerting-kit.ts';
import { eventually, freePort } from './vigil-process.ts';

const FOR_MS = 120_000;
const SCRAPE_INTERVAL_MS = 1_000;
const EVALUATION_INTERVAL_MS = 1_000;
const GROUP_WAIT_MS = 1_000;
/** Delivery and polling. */
const SLACK_MS = 1_000;

async function startTelephony(t: TestContext, calendarUrl: string, port: number) {
  const app = await buildApp({
    logger: createLogger({ service: 'telephony-backend', level: 'error' }),
    calendarUrl,
    publicUrl: '',
    twilioAuthToken: 'tok',
    stripeWebhookSecret: 'whsec_test',
  });
  await app.listen({ host: '127.0.0.1', port });
  t.after(() => app.close());
  return app;
}

function targetDown(hook: WebhookReceiver, status: 'firing' | 'resolved'): Delivery | undefined {
  return deliveriesOf(hook, 'TargetDown', status).find((d) => d.body.alerts.some((a) => a.labels.job === 'telephony'));
}

test('TargetDown from the built-in pack pages when the app stops and resolves when it is back', { timeout: 240_000 }, async (t) => {
  const calendar = await startCalendar(0, { minMs: 1, maxMs: 3, failureRate: 0 });
  t.after(() => calendar.close());
  const calendarUrl = `http://127.0.0.1:${(calendar.address() as AddressInfo).port}`;
  const appPort = await freePort();
  const app = await startTelephony(t, calendarUrl, appPort);

  const hook = await startWebhookReceiver(t);
  // no server.external_url: links point at the address Vigil listens on
  const extra = [
    'scrape_configs:',
    '  - job_name: telephony',
    '    scrape_interval: 1s',
    `    static_configs: [{ targets: ['127.0.0.1:${appPort}'] }]`,
  ].join('\n');
  const configYaml = vigilConfig({ routes: [{ matcher: 'severity="critical"', receiver: 'oncall', url: hook.url }], groupWait: '1s', pack: true, extra });
  const vigil = await startVigilFor(t, configYaml);
  const up = async () => (await getJson(`${vigil.url}/api/v1/query?${new URLSearchParams({ query: 'up{job="telephony"}' })}`)).data.result;
  await eventually(async () => assert.equal((await up())[0]?.value[1], '1'), 15_000);

  await app.close();
  const stoppedAt = Date.now();
  const deadline = FOR_MS + SCRAPE_INTERVAL_MS + 2 * EVALUATION_INTERVAL_MS + GROUP_WAIT_MS + SLACK_MS;
  const fired = await eventually(async () => {
    const found = targetDown(hook, 'firing');
    assert.ok(found, 'TargetDown has not reached the webhook');
    return found;
  }, deadline + 2_000);
  const after = fired.at - stoppedAt;
  t.diagnostic(`TargetDown reached the webhook ${after} ms after the app stopped`);
  assert.ok(after >= FOR_MS, `fired after ${after} ms, before for (${FOR_MS} ms) had elapsed`);
  assert.ok(after <= deadline, `fired after ${after} ms, later than ${deadline} ms`);

  const alert = fired.body.alerts.find((a) => a.labels.job === 'telephony')!;
  assert.equal(fired.body.receiver, 'oncall');
  assert.deepEqual(alert.labels, { alertname: 'TargetDown', instance: `127.0.0.1:${appPort}`, job: 'telephony', severity: 'critical' });
  assert.equal(alert.annotations.summary, `telephony target 127.0.0.1:${appPort} is down`);
  for (const [name, text] of Object.entries(alert.annotations)) assert.doesNotMatch(text, /\{\{|\}\}/, `annotation ${name} is rendered`);
  assert.equal(alert.annotations.runbook_url, `${vigil.url}/docs/runbooks/target-down.md`);
  const page = await fetch(alert.annotations.runbook_url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /TargetDown/);

  await startTelephony(t, calendarUrl, appPort);
  const restartedAt = Date.now();
  const resolved = await eventually(async () => {
    const found = targetDown(hook, 'resolved');
    assert.ok(found, 'no resolved notification yet');
    return found;
  }, 10_000);
  t.diagnostic(`resolved ${resolved.at - restartedAt} ms after the app came back`);
  assert.equal(resolved.body.alerts.find((a) => a.labels.job === 'telephony')?.status, 'resolved');
});
