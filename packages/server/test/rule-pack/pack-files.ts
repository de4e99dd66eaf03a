/** The pack's files as data, for its tests: rule files, test files, runbooks. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const packDir = fileURLToPath(new URL('../../../../rules/', import.meta.url));
export const testsDir = join(packDir, 'tests');
export const runbookDir = join(packDir, '..', 'docs', 'runbooks');

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Group {
  name: string;
  source?: 'metrics' | 'logs';
  interval?: string;
  rules: Rule[];
}

export interface RuleFile {
  path: string;
  groups: Group[];
}

export interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
}

export interface TestFile {
  path: string;
  rule_files: string[];
  evaluation_interval?: string;
  tests: {
    interval?: string;
    external_url?: string;
    alert_rule_test?: AlertTest[];
  }[];
}

function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8')) as T;
}

export function ruleFiles(): RuleFile[] {
  return readdirSync(packDir)
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((name) => ({ path: join(packDir, name), ...readYaml<{ groups: Group[] }>(join(packDir, name)) }));
}

export function testFiles(): TestFile[] {
  return readdirSync(testsDir)
    .filter((name) => name.endsWith('.test.yml'))
    .sort()
    .map((name) => ({ path: join(testsDir, name), ...readYaml<Omit<TestFile, 'path'>>(join(testsDir, name)) }));
}

/** Absolute paths of the rule files a test file names (relative to the test file, as promtool reads them). */
export function testedRuleFiles(test: TestFile): string[] {
  return test.rule_files.map((file) => resolve(dirname(test.path), file));
}

export function isLogFile(file: RuleFile): boolean {
  return file.groups.some((group) => group.source === 'logs');
}

export function alertRules(file: RuleFile): Rule[] {
  return file.groups.flatMap((group) => group.rules.filter((rule) => rule.alert !== undefined));
}
