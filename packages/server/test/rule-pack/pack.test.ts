/**
 * What promtool does not check about the pack: every alert is labelled,
 * annotated and linked to a runbook page that exists, is documented, and is
 * tested both firing and silent, and every query a runbook gives parses.
 * The tests themselves run in promtool and in `vigil test rules`
 * (run-tests.test.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { parseLogql } from '../../src/logql/index.ts';
import { parsePromql } from '../../src/promql/index.ts';
import { alertRules, isLogFile, packDir, ruleFiles, runbookDir, testedRuleFiles, testFiles, type Rule } from './pack-files.ts';

const severities = ['critical', 'high', 'medium', 'low'];
const runbookUrl = /^\{\{ \$externalURL \}\}\/docs\/runbooks\/([a-z0-9-]+\.md)$/;

const files = ruleFiles();
const alerts = files.flatMap(alertRules);
const tests = testFiles();

function runbookPage(rule: Rule): string {
  const match = runbookUrl.exec(rule.annotations?.runbook_url ?? '');
  assert.ok(match, `${rule.alert}: runbook_url must be {{ $externalURL }}/docs/runbooks/<page>.md, got ${rule.annotations?.runbook_url}`);
  return match[1];
}

describe('rule pack', () => {
  it('has alerts in every rule file', () => {
    assert.ok(files.length >= 5);
    for (const file of files) assert.ok(alertRules(file).length > 0, `${basename(file.path)} has no alerts`);
  });

  it('labels every alert with a known severity and annotates it', () => {
    for (const rule of alerts) {
      assert.ok(severities.includes(rule.labels?.severity ?? ''), `${rule.alert}: severity ${rule.labels?.severity}`);
      for (const name of ['summary', 'description']) {
        assert.ok(rule.annotations?.[name]?.trim(), `${rule.alert}: annotation ${name} is missing`);
      }
    }
  });

  it('gives each alert name one rule per severity', () => {
    const keys = alerts.map((rule) => `${rule.alert}/${rule.labels?.severity}`);
    assert.deepEqual(keys.filter((key, i) => keys.indexOf(key) !== i), []);
  });

  it('links every alert to a runbook page that exists and is indexed', () => {
    const index = readFileSync(join(runbookDir, 'README.md'), 'utf8');
    for (const rule of alerts) {
      const page = runbookPage(rule);
      assert.ok(existsSync(join(runbookDir, page)), `${rule.alert}: docs/runbooks/${page} does not exist`);
      assert.ok(index.includes(`(${page})`), `docs/runbooks/README.md does not link ${page}`);
    }
  });

  it('has no runbook page that no alert links to', () => {
    const linked = new Set(alerts.map(runbookPage));
    const pages = readdirSync(runbookDir).filter((name) => name.endsWith('.md') && name !== 'README.md');
    assert.deepEqual(pages.filter((page) => !linked.has(page)), []);
  });

  it('lists every alert in rules/README.md', () => {
    const readme = readFileSync(join(packDir, 'README.md'), 'utf8');
    for (const rule of alerts) assert.ok(readme.includes(`\`${rule.alert}\``), `rules/README.md does not list ${rule.alert}`);
  });

  it('keeps `source: logs` groups out of the files promtool checks', () => {
    for (const file of files) {
      const sources = new Set(file.groups.map((group) => group.source ?? 'metrics'));
      assert.equal(sources.size, 1, `${basename(file.path)} mixes metric and log groups`);
      if (!isLogFile(file)) assert.ok(!file.groups.some((group) => 'source' in group), `${basename(file.path)}: promtool refuses \`source\``);
    }
  });

  it('has one test file per rule file, named after it', () => {
    for (const file of files) {
      const name = basename(file.path, '.yml');
      const test = tests.find((t) => basename(t.path) === `${name}.test.yml`);
      assert.ok(test, `rules/tests/${name}.test.yml is missing`);
      assert.deepEqual(testedRuleFiles(test), [file.path]);
    }
  });

  it('tests every alert firing at each severity and staying silent', () => {
    const checks = tests.flatMap((test) => test.tests.flatMap((group) => group.alert_rule_test ?? []));
    for (const rule of alerts) {
      const own = checks.filter((check) => check.alertname === rule.alert);
      const fired = own.some((check) => check.exp_alerts?.some((alert) => alert.exp_labels?.severity === rule.labels?.severity));
      assert.ok(fired, `${rule.alert} (${rule.labels?.severity}) is never expected to fire`);
      assert.ok(own.some((check) => (check.exp_alerts ?? []).length === 0), `${rule.alert} is never expected to stay silent`);
    }
  });
});

describe('runbooks', () => {
  const pages = readdirSync(runbookDir).filter((name) => name.endsWith('.md'));
  for (const page of pages) {
    it(`${page}: every promql and logql block is one query Vigil parses`, () => {
      const text = readFileSync(join(runbookDir, page), 'utf8');
      for (const [, language, body] of text.matchAll(/```(promql|logql)\n([\s\S]*?)```/g)) {
        // placeholders such as <job> stand for a label value
        const query = body.replace(/<[^<>]+>/g, 'x');
        if (language === 'promql') parsePromql(query);
        else parseLogql(query);
      }
    });
  }
});
