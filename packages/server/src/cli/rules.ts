/**
 * `vigil check rules FILE...` (promtool check rules: exit 1 listing every
 * problem with its line) and `vigil test rules FILE...` (promtool test
 * rules: same file format, same pass/fail, exit 1 when a test fails) and
 * `vigil test alerting FILE...` (rule tests plus where alerts go).
 */
import { checkRuleFiles, runRuleTests } from '../rules/index.ts';
import { runAlertingTests } from '../alerting/test-file.ts';

export function checkRules(files: string[]): number {
  if (files.length === 0) {
    console.error('usage: vigil check rules FILE...');
    return 2;
  }
  let failed = false;
  for (const result of checkRuleFiles(files)) {
    console.log(`Checking ${result.file}`);
    if (result.problems.length === 0) {
      console.log(`  SUCCESS: ${result.rules} rules found in ${result.groups} groups`);
      continue;
    }
    failed = true;
    console.log('  FAILED:');
    for (const problem of result.problems) console.log(`${problem}`);
  }
  return failed ? 1 : 0;
}

export async function testRules(files: string[]): Promise<number> {
  if (files.length === 0) {
    console.error('usage: vigil test rules FILE...');
    return 2;
  }
  const { ok, output } = await runRuleTests(files);
  process.stdout.write(output);
  return ok ? 0 : 1;
}

export async function testAlerting(files: string[]): Promise<number> {
  if (files.length === 0) {
    console.error('usage: vigil test alerting FILE...');
    return 2;
  }
  const { ok, output } = await runAlertingTests(files);
  process.stdout.write(output);
  return ok ? 0 : 1;
}
