import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAlertingTests } from './test-file.ts';

const testdata = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

test('routing, inhibition, time intervals, recurring silences and rule tests pass together', async () => {
  const { ok, output } = await runAlertingTests([testdata('passing.test.yml')]);
  assert.equal(output, `Alerting tests:  ${testdata('passing.test.yml')}\n  SUCCESS\n\n`);
  assert.ok(ok);
});

test('each failure says what was notified, why, and what was expected', async () => {
  const { ok, output } = await runAlertingTests([testdata('failing.test.yml')]);
  assert.equal(ok, false);
  // the rule part: pending at 1m, not firing
  assert.match(output, /alertname: ApiErrors, time: 1m/);
  assert.match(output, /route test "expects e-mail for a critical alert": alert \{alertname="ApiErrors", service="api", severity="critical"\} at 2026-11-29T03:00:00Z\n\s+notifies: \[pagerduty-primary, slack-critical\]\n\s+expected: \[email-team\]/);
  assert.match(output, /route test "wrong grouping": .*pagerduty-primary groups by \[alertname, service\]; slack-critical groups by \[alertname, service\], expected \[alertname\]/);
});

test('a file without a configuration for its route tests, or with a bad one, fails with the reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alerting-test-'));
  const missing = join(dir, 'missing.yml');
  writeFileSync(missing, 'route_tests:\n  - alert: {a: b}\n    notifies: []\n');
  const bad = join(dir, 'bad.yml');
  writeFileSync(bad, 'alertmanager:\n  route: {receiver: nobody}\n  receivers: [{name: x}]\nroute_tests:\n  - alert: {a: b}\n    notifies: []\n');
  const result = await runAlertingTests([missing, bad]);
  assert.equal(result.ok, false);
  assert.match(result.output, /route_tests need exactly one of alertmanager or alertmanager_config_file/);
  assert.match(result.output, /nobody/);
});

test('escalation assertions: whom an alert pages and when, across schedules, steps and the auto-escalation deadline', async () => {
  const { ok, output } = await runAlertingTests([testdata('escalation.test.yml')]);
  assert.equal(output, `Alerting tests:  ${testdata('escalation.test.yml')}\n  SUCCESS\n\n`);
  assert.ok(ok);
});

test('a wrong escalation assertion shows the pages sent, the policies, and what was expected', async () => {
  const { ok, output } = await runAlertingTests([testdata('escalation-failing.test.yml')]);
  assert.equal(ok, false);
  assert.match(
    output,
    /route test "expects ben after the step's 10 minutes": alert \{alertname="ApiErrors", service="api", severity="critical"\} at 2026-01-05T12:00:00Z, not acknowledged\n\s+pages: \[ana \+0m, ben \+5m\] \(policies: backend-critical\)\n\s+expected: \[ana \+0m, ben \+10m\]/,
  );
  assert.match(output, /route test "the policy is not in the oncall section": escalation policy "backend-slow" is not configured/);
});

test('escalation assertions need an oncall section, valid offsets and well-formed oncall_configs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alerting-test-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const routing = 'alertmanager:\n  route: {receiver: pager}\n  receivers: [{name: pager, oncall_configs: [{policy: p}]}]\n';
  const noOncall = write('no-oncall.yml', `${routing}route_tests:\n  - alert: {a: b}\n    notifies: [pager]\n    pages: [{person: ana, after: 0m}]\n`);
  const badOffset = write('bad-offset.yml', `${routing}oncall: {}\nroute_tests:\n  - alert: {a: b}\n    notifies: [pager]\n    pages: [{person: ana, after: soon}]\n`);
  const badConfigs = write('bad-configs.yml', 'alertmanager:\n  route: {receiver: pager}\n  receivers: [{name: pager, oncall_configs: [{}]}]\noncall: {}\nroute_tests:\n  - alert: {a: b}\n    notifies: [pager]\n    pages: []\n');
  const badOncall = write('bad-oncall.yml', `${routing}oncall:\n  people: [{id: ana, name: Ana, time_zone: Europe/Berln}]\nroute_tests:\n  - alert: {a: b}\n    notifies: [pager]\n`);
  const { ok, output } = await runAlertingTests([noOncall, badOffset, badConfigs, badOncall]);
  assert.equal(ok, false);
  assert.match(output, /oncall: route tests with pages need an oncall section/);
  assert.match(output, /route_tests\.0\.pages\.0\.after: "soon" is not a duration, e\.g\. 0m, 5m, 1h/);
  assert.match(output, /receivers\.0\.oncall_configs\.0\.policy: /);
  assert.match(output, /oncall\.people\.0\.time_zone: "Europe\/Berln" is not a known IANA time zone/);
});

test('a receiver without oncall_configs pages nobody, so an expected page fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alerting-test-'));
  const path = join(dir, 'plain.yml');
  const oncall = 'oncall:\n  people: [{id: ana, name: Ana, time_zone: UTC}]\n  escalation_policies: [{id: p, name: P, steps: [{notify: [{person: ana}]}]}]\n';
  writeFileSync(path, `alertmanager:\n  route: {receiver: mail}\n  receivers: [{name: mail}]\n${oncall}route_tests:\n  - alert: {a: b}\n    notifies: [mail]\n    pages: [{person: ana, after: 0m}]\n`);
  const { ok, output } = await runAlertingTests([path]);
  assert.equal(ok, false);
  assert.match(output, /pages: \[\] \(no notified receiver has oncall_configs\)\n\s+expected: \[ana \+0m\]/);
});
