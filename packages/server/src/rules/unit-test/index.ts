/**
 * `promtool test rules` for Vigil: same file format, same pass/fail and
 * the same report text, plus `input_logs` so log groups can be tested.
 */
import { dirname } from 'node:path';
import { loadRuleFiles } from '../file.ts';
import { globFiles } from '../../config/glob.ts';
import type { RuleGroupSpec } from '../spec.ts';
import { runTestGroup } from './run-test-group.ts';
import { readTestFile, type TestFile } from './test-file.ts';

const DEFAULT_EVAL_INTERVAL_MS = 60_000;

function evaluationOrder(file: TestFile): Map<string, number> {
  const order = new Map<string, number>();
  file.group_eval_order.forEach((name, i) => {
    if (order.has(name)) throw new Error(`group name repeated in evaluation order: ${name}`);
    order.set(name, i);
  });
  return order;
}

/** Rule files relative to the test file, globbed; a pattern that matches nothing is a warning, as in promtool. */
function ruleFilePaths(file: TestFile, testPath: string, warnings: string[]): string[] {
  return file.rule_files.flatMap((pattern) => {
    const paths = globFiles(pattern, dirname(testPath));
    if (paths.length === 0) warnings.push(`  WARNING: no file match pattern ${pattern}`);
    return paths;
  });
}

function loadGroups(paths: string[]): { groups: RuleGroupSpec[] } | { problems: string[] } {
  try {
    return { groups: paths.length === 0 ? [] : loadRuleFiles(paths, '/') };
  } catch (err) {
    return { problems: (err as Error).message.split('\n') };
  }
}

async function testFileFailures(path: string, warnings: string[]): Promise<string[]> {
  let file: TestFile;
  try {
    file = readTestFile(path);
  } catch (err) {
    return [(err as Error).message];
  }
  return ruleTestFailures(file, path, warnings);
}

/** The failures of an already-read test file (`vigil test alerting` reads the rule part of its own files). */
export async function ruleTestFailures(file: TestFile, path: string, warnings: string[]): Promise<string[]> {
  let order: Map<string, number>;
  try {
    order = evaluationOrder(file);
  } catch (err) {
    return [(err as Error).message];
  }
  const paths = ruleFilePaths(file, path, warnings);
  const evalIntervalMs = file.evaluation_interval || DEFAULT_EVAL_INTERVAL_MS;
  const failures: string[] = [];
  for (const tg of file.tests) {
    // Rules load per test group, as promtool does: a file without tests never reads its rules.
    const loaded = loadGroups(paths);
    if ('problems' in loaded) failures.push(...loaded.problems);
    else failures.push(...(await runTestGroup(tg, { groups: loaded.groups, evalIntervalMs, order })));
  }
  return failures;
}

/** Runs each test file; `output` is what promtool prints (stdout and stderr together), `ok` its exit status 0. */
export async function runRuleTests(files: string[]): Promise<{ ok: boolean; output: string }> {
  let output = '';
  let ok = true;
  for (const path of files) {
    output += `Unit Testing:  ${path}\n`;
    const warnings: string[] = [];
    const failures = await testFileFailures(path, warnings);
    output += warnings.map((w) => `${w}\n`).join('');
    if (failures.length === 0) output += '  SUCCESS\n';
    else {
      ok = false;
      output += `  FAILED:\n${failures.map((f) => `${f}\n\n`).join('')}`;
    }
    output += '\n';
  }
  return { ok, output };
}
