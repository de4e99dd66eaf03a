/**
 * The alerting pipeline against a started Vigil and real peers: Debian's
 * Prometheus sends alerts, amtool manages silences, Vigil's own rules fire
 * and survive restarts, reloads swap the routing tree, and `vigil alert
 * test` proves a route reaches its receiver. Each test reads as a timeline.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { deliveriesOf, getJson, ledger, ruleAlerts, startPrometheus, startVigilFor, startWebhookReceiver, vigilConfig, vigilSession } from './alerting-kit.ts';
import { eventually, tempDir } from './vigil-process.ts';

const run = promisify(execFile);
const AMTOOL = '/usr/bin/amtool';
const VIGIL_BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));
/** Each test takes seconds; a hang (e.g. Vigil not stopping) fails instead of blocking the run. */
const TEST_TIMEOUT_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test("Debian's Prometheus delivers alerts that Vigil routes", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const hook = await startWebhookReceiver(t);
  const vigil = await startVigilFor(t, vigilConfig({ routes: [{ matcher: 'severity="page"', receiver: 'hook', url: hook.url }] }));
  const rules = [
    'groups:',
    '  - name: always',
    '    rules:',
    '      - alert: AlwaysFiring',
    '        expr: vector(1)',
    '        labels: { severity: page, team: infra }',
    '        annotations: { summary: always on }',
    '',
  ].join('\n');
  await startPrometheus(
    t,
    [
      'global:',
      '  evaluation_interval: 1s',
      'rule_files: [rules.yml]',
      'alerting:',
      '  alertmanagers:',
      `    - static_configs: [{ targets: ['${new URL(vigil.url).host}'] }]`,
      '      api_version: v2',
      '',
    ].join('\n'),
    { 'rules.yml': rules },
  );

  const [delivery] = await eventually(async () => {
    const found = deliveriesOf(hook, 'AlwaysFiring', 'firing');
    assert.ok(found.length > 0, 'no firing notification yet');
    return found;
  }, 30_000);
  assert.equal(delivery.body.version, '4');
  assert.equal(delivery.body.receiver, 'hook');
  assert.deepEqual(delivery.body.alerts[0].labels, { alertname: 'AlwaysFiring', severity: 'page', team: 'infra' });
  assert.deepEqual(delivery.body.alerts[0].annotations, { summary: 'always on' });

  const listed = await getJson<{ labels: Record<string, string>; receivers: { name: string }[]; status: { state: string } }[]>(`${vigil.url}/api/v2/alerts`);
  const alert = listed.find((a) => a.labels.alertname === 'AlwaysFiring');
  assert.ok(alert, 'GET /api/v2/alerts lists the alert');
  assert.equal(alert.status.state, 'active');
  assert.deepEqual(alert.receivers.map((r) => r.name), ['hook']);

  const sent = await eventually(async () => {
    const entries = (await ledger(vigil.url, 'notification')).filter((e) => e.receiver === 'hook' && e.action === 'sent');
    assert.ok(entries.length > 0, 'no "sent" ledger entry for hook');
    return entries;
  });
  assert.equal(sent[0].detail.status, 'firing');
});

test('amtool works against Vigil', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const hook = await startWebhookReceiver(t);
  const vigil = await startVigilFor(t, vigilConfig({ routes: [{ matcher: 'severity="page"', receiver: 'hook', url: hook.url }] }));
  const amtool = async (...args: string[]) => (await run(AMTOOL, [`--alertmanager.url=${vigil.url}`, ...args], { timeout: 10_000 })).stdout.trim();

  await amtool('alert', 'add', 'alertname=DiskFull', 'severity=page', 'instance=db1', '--annotation=summary=disk is full');
  const queried = JSON.parse(await amtool('alert', 'query', '-o', 'json')) as { labels: Record<string, string> }[];
  assert.deepEqual(queried.map((a) => a.labels), [{ alertname: 'DiskFull', severity: 'page', instance: 'db1' }]);

  const id = await amtool('silence', 'add', 'alertname=DiskFull', '--comment=replacing the disk', '--duration=1h');
  assert.match(id, UUID);
  assert.equal(await amtool('silence', 'query', '-q'), id);
  const alerts = await getJson<{ labels: Record<string, string>; status: { state: string; silencedBy: string[] } }[]>(`${vigil.url}/api/v2/alerts`);
  assert.deepEqual(
    alerts.map((a) => [a.labels.alertname, a.status.state, a.status.silencedBy]),
    [['DiskFull', 'suppressed', [id]]],
  );

  await amtool('silence', 'expire', id);
  assert.equal(await amtool('silence', 'query', '-q'), '');
  assert.equal(await amtool('silence', 'query', '-q', '--expired'), id);
  const after = await getJson<{ status: { state: string } }[]>(`${vigil.url}/api/v2/alerts`);
  assert.deepEqual(after.map((a) => a.status.state), ['active']);

  const changes = (await ledger(vigil.url, 'silence')).map((e) => [e.action, e.detail.id]);
  assert.deepEqual(changes.reverse(), [
    ['created', id],
    ['expired', id],
  ]);
});

/** A rule on Vigil's own self-scrape; `max by (job)` because a restarted Vigil listens on another port (instance). */
function selfRuleFile(alert: string, forDuration: string): string {
  return [
    'groups:',
    '  - name: self',
    '    rules:',
    `      - alert: ${alert}`,
    '        expr: max by (job) (up{job="vigil"}) == 1',
    `        for: ${forDuration}`,
    '        labels: { severity: page }',
    '        annotations: { summary: "{{ $labels.job }} is up" }',
    '',
  ].join('\n');
}

/** Vigil on a data dir holding `rules.yml`, with a config that loads it and pages `hookUrl`. */
function sessionWithRules(t: TestContext, rules: string, hookUrl: string) {
  const dataDir = tempDir('vigil-alerting-');
  writeFileSync(join(dataDir, 'rules.yml'), rules);
  const configYaml = vigilConfig({ routes: [{ matcher: 'severity="page"', receiver: 'hook', url: hookUrl }], ruleFiles: ['rules.yml'] });
  return vigilSession(t, configYaml, dataDir);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("Vigil's own rule fires once and a restart neither re-sends it nor forgets when it started", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const hook = await startWebhookReceiver(t);
  const vigil = sessionWithRules(t, selfRuleFile('VigilUp', '0s'), hook.url);
  const first = await vigil.start();

  const [fired] = await eventually(async () => {
    const found = deliveriesOf(hook, 'VigilUp', 'firing');
    assert.equal(found.length, 1);
    return found;
  }, 15_000);
  assert.deepEqual(fired.body.alerts[0].labels, { alertname: 'VigilUp', job: 'vigil', severity: 'page' });
  assert.equal(fired.body.alerts[0].annotations.summary, 'vigil is up');
  const rules = await getJson(`${first.url}/api/v1/rules?type=alert`);
  const rule = rules.data.groups[0].rules[0];
  assert.deepEqual([rule.name, rule.state, rule.health], ['VigilUp', 'firing', 'ok']);
  const [alert] = await ruleAlerts(first.url);
  assert.deepEqual([alert.labels.alertname, alert.state], ['VigilUp', 'firing']);

  await first.stop();
  const second = await vigil.start();
  const restarted = Date.now();
  await eventually(async () => {
    const rule = (await getJson(`${second.url}/api/v1/rules`)).data.groups[0].rules[0];
    assert.ok(rule.lastEvaluation > new Date(restarted).toISOString(), `not evaluated since the restart: ${JSON.stringify(rule)}\n${second.output.slice(-20).join('\n')}`);
  }, 15_000);
  // the restarted dispatcher holds the alert (so silence after the restart is not for want of it)…
  await eventually(async () => {
    const held = await getJson<{ labels: Record<string, string> }[]>(`${second.url}/api/v2/alerts`);
    assert.deepEqual(held.map((a) => a.labels.alertname), ['VigilUp']);
  });
  // …and its notification log keeps it from paging again before repeat_interval
  await sleep(5_000);
  assert.equal(deliveriesOf(hook, 'VigilUp', 'firing').length, 1, 'no second firing notification before repeat_interval');
  const [restored] = await ruleAlerts(second.url);
  assert.deepEqual([restored.state, restored.activeAt], ['firing', alert.activeAt]);
});

test('a pending alert keeps its for timer across a restart', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const hook = await startWebhookReceiver(t);
  const vigil = sessionWithRules(t, selfRuleFile('VigilUpLong', '6s'), hook.url);
  const first = await vigil.start();

  const pending = await eventually(async () => {
    const [alert] = await ruleAlerts(first.url);
    assert.equal(alert?.state, 'pending');
    return alert;
  }, 15_000);
  const activeAt = Date.parse(pending.activeAt);
  const due = activeAt + 6_000;
  await sleep(activeAt + 3_000 - Date.now());
  const stoppedAt = Date.now();
  await first.stop();
  assert.equal(hook.deliveries.length, 0, 'nothing fired before the restart');

  const second = await vigil.start();
  const restartedAt = Date.now();
  const [fired] = await eventually(async () => {
    const found = deliveriesOf(hook, 'VigilUpLong', 'firing');
    assert.equal(found.length, 1);
    return found;
  }, 15_000);
  const [restored] = await ruleAlerts(second.url);
  assert.equal(restored.activeAt, pending.activeAt);
  // on a loaded machine the restart itself may outlast the timer: then it is due at once
  const latest = Math.max(due, restartedAt) + 2_000;
  const timeline = `stopped at activeAt + ${stoppedAt - activeAt} ms, up again at + ${restartedAt - activeAt} ms, fired at + ${fired.at - activeAt} ms`;
  t.diagnostic(timeline);
  assert.ok(fired.at >= due, `fired before for had elapsed: ${timeline}`);
  assert.ok(fired.at <= latest, `fired later than max(activeAt + for, restart) + 2 s, as if the timer restarted: ${timeline}`);
});

test('POST /-/reload and SIGHUP swap the routing tree; a broken one is refused and the old one kept', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const hook = await startWebhookReceiver(t);
  const route = (receiver: string) => ({ matcher: `team="${receiver}"`, receiver, url: hook.url });
  const vigil = await startVigilFor(t, vigilConfig({ routes: [route('first')] }));
  const configPath = join(vigil.dataDir, 'vigil.yaml');
  const original = async () => (await getJson<{ config: { original: string } }>(`${vigil.url}/api/v2/status`)).config.original;
  const reload = () => fetch(`${vigil.url}/-/reload`, { method: 'POST' });
  assert.doesNotMatch(await original(), /second/);

  writeFileSync(configPath, vigilConfig({ routes: [route('first'), route('second')] }));
  assert.equal((await reload()).status, 200);
  assert.match(await original(), /receiver: second/);
  assert.deepEqual((await getJson<{ name: string }[]>(`${vigil.url}/api/v2/receivers`)).map((r) => r.name).sort(), ['default', 'first', 'second']);

  writeFileSync(configPath, vigilConfig({ routes: [route('first')] }).replace('receiver: first\n', 'receiver: nobody\n'));
  const refused = await reload();
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /nobody/);
  assert.match(await original(), /receiver: second/, 'the running configuration stays');

  writeFileSync(configPath, vigilConfig({ routes: [route('third')] }));
  vigil.child.kill('SIGHUP');
  await eventually(async () => assert.match(await original(), /receiver: third/));
});

test('vigil alert test reports each route and exits 1 when a receiver fails', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const hook = await startWebhookReceiver(t);
  const broken = await startWebhookReceiver(t, 500);
  const vigil = await startVigilFor(
    t,
    vigilConfig({
      routes: [
        { matcher: 'severity="page"', receiver: 'pager', url: hook.url },
        { matcher: 'severity="ticket"', receiver: 'tickets', url: broken.url },
      ],
    }),
  );
  const alertTest = (labels: string) => run(process.execPath, [VIGIL_BIN, 'alert', 'test', '--labels', labels, '--url', vigil.url], { timeout: 15_000 });

  const ok = await alertTest('severity=page,alertname=Test');
  assert.match(ok.stdout, /^pager: webhook\[0\] delivered after 1 attempt\(s\)/m);
  assert.equal(hook.deliveries.length, 1);
  assert.deepEqual(hook.deliveries[0].body.alerts[0].labels, { severity: 'page', alertname: 'Test' });
  assert.equal(hook.deliveries[0].body.receiver, 'pager');

  await assert.rejects(alertTest('severity=ticket,alertname=Test'), (err: Error & { code: number; stdout: string }) => {
    assert.equal(err.code, 1);
    assert.match(err.stdout, /^tickets: webhook\[0\] FAILED after 3 attempt\(s\)/m);
    return true;
  });
  assert.equal(broken.deliveries.length, 3, 'the failing webhook was tried three times');
  assert.equal(hook.deliveries.length, 1);
});
