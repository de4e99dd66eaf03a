/**
 * Dashboards end to end: a real `vigil` scrapes the example telephony backend
 * every second and receives its logs through the SDK's shipping stream; the
 * built-in dashboards must then show data in every panel, a broken query its
 * error inside its panel, a broken file its error in the list.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger, createShipStream } from '@vigil/sdk';
import type { Page } from 'playwright-core';
import { buildApp } from '../../../examples/telephony-backend/src/app.ts';
import { startCalendar } from '../../../examples/telephony-backend/src/calendar.ts';
import { stripeSignature } from '../../../examples/telephony-backend/src/signing.ts';
import { eventually, freePort, removeDir, startVigil, tempDir } from '../../server/test/acceptance/vigil-process.ts';
import { launchBrowser, openPage } from './browser-kit.ts';

const SERVICE = 'telephony-backend';

const brokenQueryDashboard = `title: Broken query
panels:
  - title: Bad query
    type: timeseries
    query: sum(rate(up[5m])
  - title: Targets
    type: stat
    query: count(up)
`;

test('built-in dashboards show data in every panel; broken queries and files show their errors', async (t) => {
  const extraDir = tempDir('vigil-dashboards-');
  t.after(() => removeDir(extraDir));
  writeFileSync(join(extraDir, 'broken-query.yml'), brokenQueryDashboard);
  writeFileSync(join(extraDir, 'broken-file.yml'), 'title: Broken file\npanels:\n  - title: X\n    type: pie\n    query: up\n');

  const appPort = await freePort();
  const vigil = await startVigil({
    configYaml: `dashboards:\n  dirs: ['${extraDir}']\nglobal:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: ${SERVICE}\n    static_configs:\n      - targets: ['127.0.0.1:${appPort}']\n`,
  });
  t.after(async () => {
    await vigil.stop();
    removeDir(vigil.dataDir);
  });

  const app = await startExampleApp(appPort, vigil.url);
  t.after(() => app.close());
  await eventually(() => expectSeries(vigil.url, `up{job="${SERVICE}"} == 1`), 15_000);
  await sendTraffic(`http://127.0.0.1:${appPort}`);
  await app.flushLogs();
  await eventually(() => expectSeries(vigil.url, 'count_over_time(auth_failures_total[1m]) >= 2'), 15_000);
  await eventually(() => expectSeries(vigil.url, 'count_over_time(vigil_ingest_lines_total[1m]) >= 2'), 15_000);

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser, `${vigil.url}/#/dashboards`);
  page.setDefaultTimeout(10_000);

  await page.getByRole('heading', { name: 'Dashboards', level: 1 }).waitFor();
  for (const title of ['Service overview', 'Security', 'Vigil', 'Broken query']) await page.getByRole('main').getByRole('link', { name: title, exact: true }).waitFor();
  assert.match(await page.getByRole('alert').filter({ hasText: 'broken-file.yml' }).innerText(), /panels\.0\.type/);

  for (const id of ['service-overview', 'security', 'vigil']) {
    const dashboard = (await (await fetch(`${vigil.url}/vigil/api/v1/dashboards/${id}`)).json()).data as { panels: { title: string }[] };
    await page.goto(`${vigil.url}/#/dashboards/${id}`);
    await panelsSettled(page, dashboard.panels.length);
    for (const panel of dashboard.panels) {
      const region = page.getByRole('region', { name: panel.title, exact: true });
      assert.equal(await region.getByText('No data').count(), 0, `${id} / ${panel.title} has no data`);
      assert.equal(await region.getByRole('alert').count(), 0, `${id} / ${panel.title}: ${await region.innerText()}`);
    }
  }
  await page.goto(`${vigil.url}/#/dashboards/security`);
  await panelsSettled(page, 8);
  await page.getByRole('combobox', { name: 'Service' }).selectOption(SERVICE);
  assert.match(page.url(), new RegExp(`var-service=${SERVICE}`));
  await panelsSettled(page, 8);
  assert.equal(await page.getByText('No data').count(), 0);
  await page.getByRole('region', { name: 'Security log lines' }).getByText('auth.login_failed').first().waitFor();
  const explore = page.getByRole('region', { name: 'Top IPs with failed logins' }).getByRole('link', { name: 'Open in Explore' });
  assert.match(decodeURIComponent((await explore.getAttribute('href'))!), /mode=logs&query=topk\(10/);

  // a 24 h range renders too (how fast is measured in packages/ui/bench/ui.ts)
  await page.goto(`${vigil.url}/#/dashboards/service-overview?from=now-24h&to=now`);
  await panelsSettled(page, 10);
  assert.deepEqual(errors, [], 'no console errors on the built-in dashboards');
  await page.goto(`${vigil.url}/#/dashboards/broken-query`);
  await panelsSettled(page, 2);
  const bad = page.getByRole('region', { name: 'Bad query' });
  assert.match(await bad.getByRole('alert').innerText(), /Error:.*(parse|unclosed|expected)/is);
  assert.equal(await page.getByRole('region', { name: 'Targets' }).getByRole('alert').count(), 0);
  // the browser logs the broken query's 400 itself; the page adds nothing
  assert.deepEqual(errors.splice(0), ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);

  const narrow = await openPage(browser, `${vigil.url}/#/dashboards/vigil`, { width: 390, height: 800 });
  await panelsSettled(narrow.page, 9);
  const widths = await narrow.page.locator('.dash-panel').evaluateAll((panels) => panels.map((p) => p.getBoundingClientRect().width));
  assert.ok(widths.every((w) => w > 300 && w <= 390), `panels are one column at 390 px: ${widths.join(', ')}`);

  assert.deepEqual([...errors, ...narrow.errors], []);

  // Vigil gone: the page says so where the dashboard would be, never a blank
  await vigil.stop();
  await page.goto(`${vigil.url}/#/dashboards/security`);
  await page.getByRole('alert').filter({ hasText: 'Vigil is unreachable' }).waitFor();
  assert.ok(errors.every((e) => /ERR_CONNECTION_REFUSED/.test(e)), errors.join('\n'));
});

/** Waits until the page shows `count` panels and none is still loading. */
async function panelsSettled(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('.dash-panel').length === n && document.querySelectorAll('.dash-panel[data-state="loading"]').length === 0,
    count,
    { timeout: 10_000 },
  );
}

async function expectSeries(url: string, query: string): Promise<void> {
  const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
  const body = (await response.json()) as { data?: { result: unknown[] } };
  assert.ok((body.data?.result.length ?? 0) > 0, `no result yet for ${query}`);
}

async function startExampleApp(port: number, vigilUrl: string) {
  const calendar = await startCalendar(0, { minMs: 1, maxMs: 3, failureRate: 0 });
  const ship = createShipStream({ url: vigilUrl, labels: { service: SERVICE }, flushIntervalMs: 100 });
  const app = await buildApp({
    logger: createLogger({ service: SERVICE, level: 'info', destination: ship }),
    calendarUrl: `http://127.0.0.1:${(calendar.address() as AddressInfo).port}`,
    publicUrl: `http://127.0.0.1:${port}`,
    twilioAuthToken: 'tok',
    stripeWebhookSecret: 'whsec_test',
  });
  await app.listen({ host: '127.0.0.1', port });
  return {
    flushLogs: () => new Promise<void>((resolve) => ship.flush(() => resolve())),
    async close() {
      await app.close();
      calendar.close();
      await new Promise<void>((resolve) => ship.end(() => resolve()));
    },
  };
}

/**
 * Three rounds a scrape apart, so that counters rise between samples: requests
 * over routes and tenants, a password-guessing burst from one IP that gets
 * blocked, badly signed webhooks.
 */
async function sendTraffic(base: string): Promise<void> {
  for (let round = 0; round < 3; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 1100));
    await sendRound(base, round);
  }
}

async function sendRound(base: string, round: number): Promise<void> {
  const tenants = ['acme', 'globex'];
  const calls = Array.from({ length: 10 }, (_, i) => fetch(`${base}/calls/CA${i}`, { headers: { 'x-tenant-id': tenants[i % 2] } }));
  const bookings = Array.from({ length: 2 }, () =>
    fetch(`${base}/bookings`, { method: 'POST', body: JSON.stringify({ slot: '09:30' }), headers: { 'content-type': 'application/json', 'x-tenant-id': 'acme' } }),
  );
  await Promise.all([...calls, ...bookings, fetch(`${base}/no-such-route`)]);
  for (let i = 0; i < 4; i++) {
    await fetch(`${base}/login`, {
      method: 'POST',
      body: JSON.stringify({ username: `root${round}`, password: `guess${i}` }),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': i < 3 ? '203.0.113.66' : `198.51.100.${round}` },
    });
  }
  const payload = JSON.stringify({ id: `evt_${round}`, type: 'invoice.paid' });
  await fetch(`${base}/webhooks/stripe`, {
    method: 'POST',
    body: payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature('wrong-secret', payload, Math.floor(Date.now() / 1000)) },
  });
  await fetch(`${base}/webhooks/twilio`, {
    method: 'POST',
    body: 'CallSid=CA1&CallStatus=ringing',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged=' },
  });
}
