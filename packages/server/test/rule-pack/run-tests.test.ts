/**
 * The pack's unit tests pass in `vigil test rules` (all files, log rules
 * included) and, for the metric rule files promtool can read, in Debian's
 * `promtool check rules` and `promtool test rules` too.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isLogFile, ruleFiles, testFiles } from './pack-files.ts';

const run = promisify(execFile);
const vigil = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

async function exitCode(command: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args);
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failure = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

test('vigil test rules passes every test file of the pack', async () => {
  const files = testFiles().map((t) => t.path);
  assert.ok(files.length >= 5);
  const { code, output } = await exitCode(process.execPath, [vigil, 'test', 'rules', ...files]);
  assert.equal(code, 0, output);
  assert.equal(output.match(/SUCCESS/g)?.length, files.length, output);
});

test('promtool accepts the metric rule files and passes their tests', async () => {
  const metricFiles = ruleFiles().filter((file) => !isLogFile(file)).map((file) => file.path);
  const check = await exitCode('promtool', ['check', 'rules', ...metricFiles]);
  assert.equal(check.code, 0, check.output);
  const tests = metricFiles.map((file) => join(fileURLToPath(new URL('../../../../rules/tests/', import.meta.url)), `${basename(file, '.yml')}.test.yml`));
  const result = await exitCode('promtool', ['test', 'rules', ...tests]);
  assert.equal(result.code, 0, result.output);
});
