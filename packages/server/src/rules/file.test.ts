import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isVigilError } from '../errors.ts';
import { checkRuleFiles, loadRuleFiles, parseRuleFile } from './file.ts';
import { wildcardMatch } from '../config/glob.ts';

test('a valid file gives groups with durations in ms, group labels merged under rule labels', () => {
  const { groups, problems } = parseRuleFile(
    `groups:
  - name: api
    interval: 30s
    limit: 10
    labels: { team: core, severity: info }
    rules:
      - record: job:errors:rate5m
        expr: sum by (job) (rate(errors_total[5m]))
      - alert: HighErrorRate
        expr: job:errors:rate5m > 1
        for: 5m
        keep_firing_for: 1m
        labels: { severity: page }
        annotations: { summary: too many errors }
`,
    'rules/api.yml',
  );
  assert.deepEqual(problems, []);
  assert.equal(groups.length, 1);
  const [group] = groups;
  assert.deepEqual({ ...group, rules: undefined }, {
    name: 'api', file: 'rules/api.yml', source: 'metrics', intervalMs: 30_000, limit: 10, queryOffsetMs: 0, rules: undefined,
  });
  assert.deepEqual(group.rules[0], {
    kind: 'recording', record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total[5m]))', labels: { team: 'core', severity: 'info' }, line: 7,
  });
  assert.deepEqual(group.rules[1], {
    kind: 'alerting', alert: 'HighErrorRate', expr: 'job:errors:rate5m > 1', forMs: 300_000, keepFiringForMs: 60_000,
    labels: { team: 'core', severity: 'page' }, annotations: { summary: 'too many errors' }, line: 9,
  });
});

test('every problem is reported with the line of the node at fault', () => {
  const { problems } = parseRuleFile(
    `groups:
  - name: a
    rules:
      - record: bad-name
        expr: up
      - alert: X
        record: y
        expr: up
      - alert: Y
        expr: sum(
      - alert: Z
        expr: up
        labels:
          bad-label: x
        annotations:
          ok: fine
      - record: r
        expr: up
        for: 5m
  - name: a
    rules: []
`,
    'r.yml',
  );
  assert.deepEqual(problems.map((p) => p.replace(/(could not parse expression: ).*/, '$1…')), [
    'r.yml:4: invalid recording rule name: bad-name',
    "r.yml:6: only one of 'record' and 'alert' must be set",
    'r.yml:10: group "a", rule "Y": could not parse expression: …',
    'r.yml:14: invalid label name: bad-label',
    "r.yml:19: invalid field 'for' in recording rule",
    'r.yml:20: groupname: "a" is repeated in the same file',
  ]);
});

test('shape errors name the field and line: unknown keys, bad durations, missing expr', () => {
  const { problems } = parseRuleFile(
    `groups:
  - name: a
    rules:
      - alert: X
        expr: up
        for: 5 minutes
        lables: {}
`,
    'r.yml',
  );
  assert.deepEqual(problems, [
    'r.yml:6: for: "5 minutes" is not a duration; use e.g. 30s, 5m, 1h',
    'r.yml:7: field lables not found (check the spelling)',
  ]);
  assert.deepEqual(parseRuleFile('groups:\n  - name: a\n    rules:\n      - alert: X\n', 'r.yml').problems, [
    "r.yml:4: field 'expr' must be set in rule",
  ]);
});

test('template errors name the group, rule and label or annotation', () => {
  const { problems } = parseRuleFile(
    `groups:
  - name: g
    rules:
      - alert: HighErrorRate
        expr: up
        labels:
          severity: '{{ $nope }}'
        annotations:
          summary: '{{ .Labels.instance '
      - record: fine
        expr: up
        labels: { team: '{{ not a template for recording rules }}' }
`,
    'r.yml',
  );
  assert.equal(problems.length, 2);
  assert.match(problems[0], /^r\.yml:7: group "g", rule "HighErrorRate", label "severity": .*\$nope/);
  assert.match(problems[1], /^r\.yml:9: group "g", rule "HighErrorRate", annotation "summary": /);
});

test('YAML syntax errors carry their line', () => {
  const { problems } = parseRuleFile('groups:\n  - name: a\n    rules: [\n', 'r.yml');
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^r\.yml:\d+: /);
});

test('a log group needs LogQL metric queries; PromQL-only syntax and log queries are refused', () => {
  const { groups, problems } = parseRuleFile(
    `groups:
  - name: logs
    source: logs
    rules:
      - alert: Twilio
        expr: sum(count_over_time({service="backend"} |= "twilio_webhook_failure" [5m])) > 0
      - alert: JustLines
        expr: '{service="backend"} |= "error"'
`,
    'l.yml',
  );
  assert.equal(groups.length, 0);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^l\.yml:8: group "logs", rule "JustLines": a log group needs a LogQL metric query/);
  const metricsGroup = parseRuleFile('groups: [{ name: m, rules: [{ alert: A, expr: \'count_over_time({a="b"} |= "x" [5m])\' }] }]', 'm.yml');
  assert.equal(metricsGroup.problems.length, 1, 'LogQL in a metrics group does not parse as PromQL');
});

test('an empty file has no groups and no problems', () => {
  assert.deepEqual(parseRuleFile('', 'e.yml'), { groups: [], problems: [] });
});

test('loadRuleFiles globs relative to baseDir and throws VIGIL_ERR_RULES_INVALID with every problem', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'rules', 'team'), { recursive: true });
  writeFileSync(join(dir, 'rules', 'a.yml'), 'groups: [{ name: a, rules: [{ record: "a:up", expr: up }] }]');
  writeFileSync(join(dir, 'rules', 'team', 'b.yml'), 'groups: [{ name: b, rules: [{ alert: B, expr: up }] }]');
  writeFileSync(join(dir, 'rules', 'notes.txt'), 'not rules');
  assert.deepEqual(loadRuleFiles(['rules/*.yml'], dir).map((g) => g.name), ['a']);
  assert.deepEqual(loadRuleFiles(['rules/**/*.yml'], dir).map((g) => g.name), ['a', 'b']);

  writeFileSync(join(dir, 'rules', 'c.yml'), 'groups: [{ name: c, rules: [{ record: "x y", expr: up }] }]');
  assert.throws(() => loadRuleFiles(['rules/*.yml'], dir), (err) => {
    assert.ok(isVigilError(err));
    assert.equal(err.code, 'VIGIL_ERR_RULES_INVALID');
    assert.equal(err.message, `${join(dir, 'rules', 'c.yml')}:1: invalid recording rule name: x y`);
    return true;
  });
  const checked = checkRuleFiles([join(dir, 'rules', 'a.yml'), join(dir, 'rules', 'missing.yml')]);
  assert.deepEqual(checked[0], { file: join(dir, 'rules', 'a.yml'), problems: [], groups: 1, rules: 1 });
  assert.match(checked[1].problems[0], /cannot read the file \(ENOENT\)/);
});

test('wildcards match within a segment without regular expressions', () => {
  assert.ok(wildcardMatch('*.yml', 'a.yml'));
  assert.ok(wildcardMatch('a?c*', 'abcdef'));
  assert.ok(!wildcardMatch('*.yml', 'a.yaml'));
  assert.ok(wildcardMatch('*a*a*a*', 'aaa'));
  assert.ok(!wildcardMatch('*a*a*a*b', 'a'.repeat(5000)));
});
