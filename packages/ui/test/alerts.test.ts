/**
 * The Alerts, Silences and Rules pages against a real Vigil: rule alerts
 * (one firing, one pending) and alerts posted to the Alertmanager API, a
 * silence made from "Silence this" and then expired, and the rule states.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { eventually, removeDir, startVigil, tempDir } from '../../server/test/acceptance/vigil-process.ts';
import { assertFitsPhone, launchBrowser, openPage } from './browser-kit.ts';

const CONFIG = `
global:
  evaluation_interval: 1s
rules:
  pack: false
rule_files:
  - rules.yml
alertmanager:
  route:
    receiver: default
    group_by: [alertname]
    group_wait: 0s
    group_interval: 1s
  receivers:
    - name: default
`;

const RULES = `
groups:
  - name: ui-test
    rules:
      - alert: AlwaysFiring
        expr: vector(1) > 0
        for: 0s
        labels: { severity: critical }
        annotations: { summary: Always firing for the UI test }
      - alert: SlowBurn
        expr: vector(1) > 0
        for: 1h
        annotations: { summary: Pending for an hour }
      - record: job:one
        expr: vector(1)
`;

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const posted = (instance: string) => ({
  labels: { alertname: 'DiskFull', instance, severity: 'warning' },
  annotations: { summary: `Disk on ${instance} is 95% full`, description: 'Free space below 5%', runbook_url: 'https://runbooks.example/disk-full' },
  endsAt: inAnHour(),
});

async function amAlerts(url: string, filter: string): Promise<{ labels: Record<string, string>; status: { silencedBy: string[] } }[]> {
  const response = await fetch(`${url}/api/v2/alerts?${new URLSearchParams({ filter })}`);
  assert.equal(response.status, 200);
  return response.json() as Promise<{ labels: Record<string, string>; status: { silencedBy: string[] } }[]>;
}

async function startSeededVigil() {
  const dataDir = tempDir();
  writeFileSync(join(dataDir, 'rules.yml'), RULES);
  const vigil = await startVigil({ dataDir, configYaml: CONFIG });
  const response = await fetch(`${vigil.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([posted('db-1'), posted('db-2')]),
  });
  assert.equal(response.status, 200);
  await eventually(async () => assert.equal((await amAlerts(vigil.url, 'alertname="AlwaysFiring"')).length, 1));
  return vigil;
}

function alertCard(page: Page, alertname: string, text: string) {
  return page.getByRole('article', { name: `Alert ${alertname}` }).filter({ hasText: text });
}

test('alerts, silences and rules pages', async (t) => {
  const vigil = await startSeededVigil();
  t.after(async () => {
    if (vigil.child.exitCode === null && vigil.child.signalCode === null) await vigil.stop();
    removeDir(vigil.dataDir);
  });
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser, `${vigil.url}/#/alerts`);

  await t.test('firing alerts are grouped, with summary, runbook and state', async () => {
    const group = page.getByRole('region', { name: 'Group alertname=DiskFull' });
    await group.getByText('Disk on db-1 is 95% full').waitFor();
    assert.equal(await group.getByRole('article').count(), 2);
    const card = alertCard(page, 'DiskFull', 'db-1');
    assert.equal(await card.getByRole('link', { name: 'Runbook' }).getAttribute('href'), 'https://runbooks.example/disk-full');
    await card.getByText('Free space below 5%').waitFor();
    await card.getByText(/firing for \d+s/).waitFor();
    await card.getByText('active', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Group alertname=AlwaysFiring' }).getByText('Always firing for the UI test').waitFor();
    const pending = page.getByRole('region', { name: 'Pending' });
    await pending.getByRole('article', { name: 'Pending alert SlowBurn' }).waitFor();
  });

  await t.test('a filter narrows the alerts; a bad one shows the server error in place', async () => {
    await page.getByLabel('Filter').fill('severity="critical"');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('region', { name: 'Group alertname=AlwaysFiring' }).waitFor();
    await page.getByRole('region', { name: 'Group alertname=DiskFull' }).waitFor({ state: 'detached' });
    await page.getByLabel('Filter').fill('severity=~"(("');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('region', { name: 'Firing' }).getByRole('alert').getByText(/filter/).waitFor();
    // the browser logs the refused request itself; that one is expected
    assert.deepEqual(errors.splice(0), ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.getByLabel('Filter').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('region', { name: 'Group alertname=DiskFull' }).waitFor();
  });

  await t.test('"Silence this" opens a pre-filled editor with a preview, and silences the alert', async () => {
    await alertCard(page, 'DiskFull', 'db-1').getByRole('button', { name: 'Silence this' }).click();
    await page.getByRole('heading', { name: 'New silence' }).waitFor();
    assert.equal(await page.getByLabel('Matcher 1 label name').inputValue(), 'alertname');
    assert.equal(await page.getByLabel('Matcher 1 value').inputValue(), 'DiskFull');
    assert.equal(await page.getByLabel('Duration').inputValue(), '2h');
    const preview = page.getByRole('list', { name: 'Matching alerts' });
    await preview.getByText('db-1').waitFor();
    assert.equal(await preview.locator(':scope > li').filter({ hasText: 'DiskFull' }).count(), 2);

    await page.getByLabel('Created by').fill('ui-test');
    await page.getByLabel('Comment').fill('disk being replaced');
    await page.getByRole('button', { name: 'Create silence' }).click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await alertCard(page, 'DiskFull', 'db-1').getByText('silenced by').waitFor();
    const fromApi = await amAlerts(vigil.url, 'alertname="DiskFull"');
    assert.equal(fromApi.length, 2);
    assert.ok(fromApi.every((alert) => alert.status.silencedBy.length === 1));
  });

  await t.test('the silence is listed, and expiring it (after confirming) lists it as expired', async () => {
    await alertCard(page, 'DiskFull', 'db-1').getByText('silenced by').getByRole('link').click();
    const silence = page.getByRole('article').filter({ hasText: 'disk being replaced' });
    await silence.getByText(/^(1h 59m|2h) left$/).waitFor();
    await silence.getByText('alertname="DiskFull"').waitFor();
    await silence.getByText('ui-test').waitFor();
    await silence.getByRole('button', { name: 'Expire' }).click();
    await silence.getByRole('button', { name: 'Yes, expire' }).click();
    // the page follows the silence it was opened for into the Expired tab
    await silence.getByText('expired', { exact: true }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Expired (1)' }).getAttribute('aria-current'), 'page');
    await page.getByRole('link', { name: 'Active (0)' }).click();
    await page.getByText('No active silences.').waitFor();
    await page.getByRole('link', { name: 'Expired (1)' }).click();
    await page.getByRole('article').filter({ hasText: 'disk being replaced' }).getByText('expired', { exact: true }).waitFor();
    await eventually(async () => assert.ok((await amAlerts(vigil.url, 'alertname="DiskFull"')).every((a) => a.status.silencedBy.length === 0)));
  });

  await t.test('the creator is remembered; the preview and the server\'s refusal show in the form', async () => {
    await page.getByRole('button', { name: 'New silence' }).click();
    assert.equal(await page.getByLabel('Created by').inputValue(), 'ui-test');
    await page.getByLabel('Matcher 1 label name').fill('severity');
    await page.getByLabel('Matcher 1 operator').selectOption('=~');
    await page.getByLabel('Matcher 1 value').fill('crit.*');
    const preview = page.getByRole('list', { name: 'Matching alerts' });
    await preview.getByText('AlwaysFiring').waitFor();
    assert.equal(await preview.getByText('DiskFull').count(), 0);

    await page.getByLabel('Matcher 1 value').fill('((');
    await page.getByLabel('Comment').fill('bad regex');
    await page.getByRole('button', { name: 'Create silence' }).click();
    await page.getByRole('form', { name: 'New silence' }).getByRole('alert').getByText(/matchers\[0\]\.value/).waitFor();
    await page.getByRole('region', { name: 'Preview: alerts this silence would mute' }).getByRole('alert').waitFor();
    // the browser logs the refused requests (preview and create) itself
    const refused = errors.splice(0);
    assert.ok(refused.length >= 2 && refused.every((e) => e.includes('status of 400')), refused.join('\n'));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Silences' }).waitFor();
  });

  await t.test('the rules page shows each rule with its state', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rules' }).click();
    const group = page.getByRole('region', { name: 'Rule group ui-test' });
    await group.getByRole('listitem', { name: 'Rule AlwaysFiring' }).getByText('firing', { exact: true }).waitFor();
    await group.getByRole('listitem', { name: 'Rule SlowBurn' }).getByText('pending', { exact: true }).waitFor();
    await group.getByRole('listitem', { name: 'Rule job:one' }).getByText('vector(1)', { exact: true }).waitFor();
    await page.getByLabel('Only firing, pending or erroring').check();
    await page.getByRole('listitem', { name: 'Rule job:one' }).waitFor({ state: 'detached' });
    await page.getByLabel('Rule name').fill('slow');
    await page.getByRole('listitem', { name: 'Rule AlwaysFiring' }).waitFor({ state: 'detached' });
    await page.getByRole('listitem', { name: 'Rule SlowBurn' }).waitFor();
  });

  await t.test('no console errors', () => assert.deepEqual(errors, []));

  await t.test('usable at 390 px: nothing wider than the screen', () =>
    assertFitsPhone(browser, vigil.url, ['#/alerts', '#/silences?new=1&matcher=alertname%3D%22DiskFull%22', '#/rules'], (page) =>
      page.getByRole('region', { name: 'Group alertname=DiskFull' }).waitFor(),
    ),
  );

  await t.test('an unreachable server is reported, not a blank page', async () => {
    await vigil.stop();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('button', { name: /Refresh/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Vigil is unreachable' }).first().waitFor();
  });
});
