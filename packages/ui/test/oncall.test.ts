/**
 * The Incidents and On call pages against a real Vigil with an `oncall:`
 * section: a rule that fires at once and an alert posted to the
 * Alertmanager API each open an incident through a receiver with
 * `oncall_configs`; the test acts on one incident through the buttons and
 * reads what the server recorded, then reads the schedules.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { eventually, removeDir, startVigil, tempDir } from '../../server/test/acceptance/vigil-process.ts';
import { assertFitsPhone, launchBrowser, openPage } from './browser-kit.ts';

const HOUR = 3_600_000;

/** Bob covers from an hour ago for two hours, so "on call now" does not depend on when the test runs. */
function config(webhookUrl: string): string {
  const overrideStart = new Date(Date.now() - HOUR).toISOString();
  const overrideEnd = new Date(Date.now() + 2 * HOUR).toISOString();
  return `
global:
  evaluation_interval: 1s
rules:
  pack: false
rule_files:
  - rules.yml
alertmanager:
  route:
    receiver: pager
    group_by: [alertname]
    group_wait: 0s
    group_interval: 1s
  receivers:
    - name: pager
      oncall_configs:
        - policy: backend
oncall:
  people:
    - { id: alice, name: Alice Archer, time_zone: Europe/Berlin, webhook_url: "${webhookUrl}" }
    - { id: bob, name: Bob Baker, time_zone: America/New_York, webhook_url: "${webhookUrl}" }
  schedules:
    - id: primary
      name: Primary
      time_zone: Europe/Berlin
      layers:
        - name: weekly
          participants: [alice]
          start: "2026-01-05T09:00"
          rotation: { length: 1w }
      overrides:
        - { person: bob, start: "${overrideStart}", end: "${overrideEnd}", reason: swap }
    - id: backup
      name: Backup
      time_zone: America/New_York
      layers:
        - name: daily
          participants: [bob, alice]
          start: "2026-01-05T09:00"
          rotation: { length: 1d }
  escalation_policies:
    - id: backend
      name: Backend
      steps:
        - notify: [{ schedule: primary }]
          wait: 5m
        - notify: [{ schedule: backup }]
`;
}

const RULES = `
groups:
  - name: oncall-ui-test
    rules:
      - alert: AlwaysFiring
        expr: vector(1) > 0
        for: 0s
        labels: { severity: critical, service: checkout }
        annotations: { summary: Checkout is down }
`;

interface IncidentJson {
  id: string;
  summary: string;
  state: string;
}

async function incidents(url: string): Promise<IncidentJson[]> {
  const response = await fetch(`${url}/vigil/api/v1/incidents?state=all`);
  assert.equal(response.status, 200, `GET incidents answered ${response.status}`);
  return ((await response.json()) as { data: IncidentJson[] }).data;
}

async function incidentNamed(url: string, summary: string): Promise<IncidentJson> {
  const found = (await incidents(url)).find((incident) => incident.summary === summary && incident.state !== 'resolved');
  assert.ok(found, `no open incident "${summary}" yet`);
  return found;
}

/** A receiver for the people's webhooks, so pages are delivered somewhere. */
async function webhookSink(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

async function startSeededVigil(webhookUrl: string) {
  const dataDir = tempDir();
  writeFileSync(join(dataDir, 'rules.yml'), RULES);
  const vigil = await startVigil({ dataDir, configYaml: config(webhookUrl) });
  const posted = {
    labels: { alertname: 'DiskFull', instance: 'db-1', severity: 'high' },
    annotations: { summary: 'Disk on db-1 is full' },
    endsAt: new Date(Date.now() + HOUR).toISOString(),
  };
  const response = await fetch(`${vigil.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([posted]),
  });
  assert.equal(response.status, 200);
  return vigil;
}

const incidentCard = (page: Page, id: string) => page.getByRole('article', { name: `Incident ${id}` });
const summary = (page: Page) => page.getByRole('region', { name: 'Incident summary' });
const actions = (page: Page) => page.getByRole('region', { name: 'Actions' });
const timelineRow = (page: Page, action: string, actor: string) =>
  page.getByRole('table', { name: 'Timeline' }).getByRole('row').filter({ hasText: action }).filter({ hasText: actor });

test('incidents and on-call pages', async (t) => {
  const sink = await webhookSink();
  t.after(() => sink.server.close());
  const vigil = await startSeededVigil(sink.url);
  t.after(async () => {
    if (vigil.child.exitCode === null && vigil.child.signalCode === null) await vigil.stop();
    removeDir(vigil.dataDir);
  });
  const checkout = await eventually(() => incidentNamed(vigil.url, 'Checkout is down'), 15_000);
  const disk = await eventually(() => incidentNamed(vigil.url, 'Disk on db-1 is full'), 15_000);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser, `${vigil.url}/#/incidents`);

  await t.test('the list shows open incidents with severity, state, assignee and policy', async () => {
    const card = incidentCard(page, checkout.id);
    await card.getByRole('link', { name: 'Checkout is down' }).waitFor();
    await card.getByText('critical', { exact: true }).waitFor();
    await card.getByText('triggered', { exact: true }).waitFor();
    await card.getByText('policy backend').waitFor();
    await card.getByText(/^open \d+/).waitFor();
    await incidentCard(page, disk.id).getByText('high', { exact: true }).waitFor();
  });

  await t.test('the detail shows the alerts, the timeline in order and the pages', async () => {
    await page.getByLabel('Acting as').fill('ui-tester');
    await incidentCard(page, checkout.id).getByRole('link', { name: 'Checkout is down' }).click();
    await page.getByRole('heading', { level: 1, name: 'Checkout is down' }).waitFor();
    await page.getByRole('list', { name: 'Incident alerts' }).getByText('checkout', { exact: true }).waitFor();
    const firstRow = page.getByRole('table', { name: 'Timeline' }).getByRole('row').nth(1);
    await firstRow.getByText('triggered', { exact: true }).waitFor();
    // the override makes Bob the primary on-call, the first step's target
    await page.getByRole('table', { name: 'Pages' }).getByRole('row').filter({ hasText: 'bob' }).first().waitFor();
    assert.equal(await page.getByLabel('Acting as').inputValue(), 'ui-tester', 'the name is remembered across pages');
  });

  await t.test('the incident record opens in a panel', async () => {
    await page.getByRole('button', { name: 'Show record' }).click();
    const record = page.getByLabel('Incident record text');
    await record.getByText(/Checkout is down/).first().waitFor();
    assert.match(await record.innerText(), /alertname.*AlwaysFiring/s);
    const download = page.getByRole('link', { name: 'Download record (.md)' });
    assert.equal(await download.getAttribute('href'), `/vigil/api/v1/incidents/${checkout.id}/record`);
  });

  await t.test('acknowledge, un-acknowledge, snooze, re-assign and severity update the page', async () => {
    await actions(page).getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await summary(page).getByText('acknowledged', { exact: true }).waitFor();
    await timelineRow(page, 'acknowledged', 'ui-tester').getByRole('cell', { name: 'ui', exact: true }).waitFor();

    await actions(page).getByRole('button', { name: 'Un-acknowledge' }).click();
    await summary(page).getByText('triggered', { exact: true }).waitFor();
    await timelineRow(page, 'unacknowledged', 'ui-tester').waitFor();

    await actions(page).getByLabel('Snooze minutes').fill('15');
    await actions(page).getByRole('button', { name: 'Snooze' }).click();
    await timelineRow(page, 'snoozed', 'ui-tester').waitFor();
    await summary(page).getByText('Re-triggers at').waitFor();

    await actions(page).getByLabel('Person id').fill('alice');
    await actions(page).getByRole('button', { name: 'Re-assign' }).click();
    await timelineRow(page, 'reassigned', 'ui-tester').waitFor();
    await summary(page).getByText('alice', { exact: true }).waitFor();

    await actions(page).getByRole('combobox', { name: 'Severity' }).selectOption('high');
    await actions(page).getByRole('button', { name: 'Set severity' }).click();
    await summary(page).getByText('high', { exact: true }).waitFor();
    await timelineRow(page, 'severity-changed', 'ui-tester').waitFor();
  });

  await t.test('escalate pages the next step now; the noise toggle marks and unmarks a false positive', async () => {
    const pageRows = page.getByRole('table', { name: 'Pages' }).getByRole('row');
    const pagesBefore = await pageRows.count();
    await actions(page).getByRole('button', { name: 'Escalate' }).click();
    await timelineRow(page, 'escalated', 'ui-tester').getByRole('cell', { name: 'ui', exact: true }).waitFor();
    await eventually(async () => assert.ok((await pageRows.count()) > pagesBefore, 'no new page after escalating'));

    const noise = (pressed: boolean) => actions(page).getByRole('button', { name: 'Noise (a false positive)', pressed });
    await noise(false).click();
    await summary(page).getByText('marked as a false positive').waitFor();
    await noise(true).waitFor();
    await timelineRow(page, 'marked-noise', 'ui-tester').waitFor();
    const json = (await (await fetch(`${vigil.url}/vigil/api/v1/incidents/${checkout.id}`)).json()) as { data: { incident: { noise: boolean } } };
    assert.equal(json.data.incident.noise, true);
    await noise(true).click();
    await timelineRow(page, 'unmarked-noise', 'ui-tester').waitFor();
    await noise(false).click();
    await summary(page).getByText('marked as a false positive').waitFor();
  });

  await t.test('resolve leaves the open list; "All" still shows it as resolved', async () => {
    await actions(page).getByRole('button', { name: 'Resolve' }).click();
    await summary(page).getByText('resolved', { exact: true }).waitFor();
    await page.getByText('This incident is resolved').waitFor();
    await actions(page).getByRole('button', { name: 'Noise (a false positive)', pressed: true }).waitFor();
    await page.getByRole('link', { name: '← All open incidents' }).click();
    await incidentCard(page, disk.id).waitFor();
    assert.equal(await incidentCard(page, checkout.id).count(), 0);
    await page.getByRole('link', { name: 'All', exact: true }).click();
    await incidentCard(page, checkout.id).getByText('resolved', { exact: true }).waitFor();
  });

  await t.test('"Acknowledge all" acknowledges every open incident', async () => {
    await page.getByRole('link', { name: 'Open', exact: true }).click();
    await page.getByRole('button', { name: 'Acknowledge all' }).click();
    await page.getByRole('status').getByText(/^Acknowledged \d+ incidents?\.$/).waitFor();
    await incidentCard(page, disk.id).getByText('acknowledged', { exact: true }).waitFor();
    await eventually(async () => assert.equal((await incidentNamed(vigil.url, 'Disk on db-1 is full')).state, 'acknowledged'));
  });

  await t.test('an unknown incident shows the server error, not a blank page', async () => {
    await page.goto(`${vigil.url}/#/incidents/999999`);
    await page.getByRole('alert').waitFor();
    assert.deepEqual(errors.splice(0), ['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });

  await t.test('on call: who is on call now, and the shifts of each schedule', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'On call' }).click();
    const primary = page.getByRole('region', { name: 'Primary' });
    await primary.getByText('On call now:').getByText('Bob Baker').waitFor();
    const shifts = primary.getByRole('list', { name: 'Shifts of Primary' });
    await shifts.getByRole('listitem').filter({ hasText: 'Alice Archer' }).first().waitFor();
    await shifts.getByRole('listitem').filter({ hasText: 'Bob Baker' }).first().getByText(/Europe\/Berlin: /).waitFor();
    const backup = page.getByRole('region', { name: 'Backup' });
    assert.ok((await backup.getByRole('list', { name: 'Shifts of Backup' }).getByRole('listitem').count()) >= 13, 'a daily rotation has a shift a day');
  });

  await t.test('no console errors', () => assert.deepEqual(errors, []));

  await t.test('usable at 390 px: nothing wider than the screen', () =>
    assertFitsPhone(browser, vigil.url, ['#/incidents?state=all', `#/incidents/${checkout.id}`, '#/oncall']),
  );

  await t.test('an unreachable server is reported, not a blank page', async () => {
    await vigil.stop();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: /Refresh/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Vigil is unreachable' }).first().waitFor();
  });
});
