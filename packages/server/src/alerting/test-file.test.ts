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
