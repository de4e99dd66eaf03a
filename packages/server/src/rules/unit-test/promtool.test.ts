import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { runRuleTests } from './index.ts';

const testdata = join(import.meta.dirname, 'testdata');
const files = readdirSync(testdata).filter((f) => f.endsWith('.yml')).sort();
const promtoolFiles = files.filter((f) => !f.startsWith('vigil-'));

/** promtool's exit code and its output with blank lines dropped (stdout and stderr interleave differently). */
async function promtool(file: string): Promise<{ code: number; text: string } | undefined> {
  try {
    const { stdout, stderr } = await promisify(execFile)('promtool', ['test', 'rules', file], { cwd: testdata });
    return { code: 0, text: nonBlank(stdout + stderr) };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') return undefined;
    return { code: Number(e.code), text: nonBlank((e.stdout ?? '') + (e.stderr ?? '')) };
  }
}

function nonBlank(text: string): string {
  return text.split('\n').filter((line) => line.trim() !== '').join('\n');
}

async function vigil(file: string): Promise<{ ok: boolean; output: string }> {
  const cwd = process.cwd();
  process.chdir(testdata);
  try {
    return await runRuleTests([file]);
  } finally {
    process.chdir(cwd);
  }
}

test('each testdata file passes or fails as its name says', async () => {
  for (const file of files) {
    const { ok } = await vigil(file);
    assert.equal(ok, !file.includes('fail'), file);
  }
});

test('Vigil and promtool 2.42 agree on pass/fail and on the failure text', async (t) => {
  const reference = await Promise.all(promtoolFiles.map(promtool));
  if (reference.some((r) => r === undefined)) return t.skip('promtool is not installed');
  for (const [i, file] of promtoolFiles.entries()) {
    const { ok, output } = await vigil(file);
    assert.equal(ok, reference[i]!.code === 0, `${file}: Vigil ok=${ok}, promtool exit ${reference[i]!.code}`);
    assert.equal(nonBlank(output), reference[i]!.text, file);
  }
});

test('several files: one report, not ok when any fails; a missing file fails', async () => {
  const { ok, output } = await vigil('pass-basic.yml');
  assert.equal(ok, true);
  assert.equal(output, 'Unit Testing:  pass-basic.yml\n  SUCCESS\n\n');
  const both = await runRuleTests([join(testdata, 'pass-basic.yml'), join(testdata, 'no-such-file.yml')]);
  assert.equal(both.ok, false);
  assert.match(both.output, /no-such-file\.yml\n {2}FAILED:\nENOENT/);
});
