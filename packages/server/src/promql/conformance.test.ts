/**
 * The upstream PromQL suite (shared/conformance/promql/testdata/*.test).
 * Every eval must pass unless it is listed in testdata/expected-failures.txt,
 * and every listed eval must still fail, so the list shrinks as Vigil grows.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { conformanceFile } from '../ingest/testing.ts';
import { runFile } from './promqltest.ts';

const dir = conformanceFile('promql/testdata/');
const listed = new Map<string, string>();
for (const line of readFileSync(new URL('./testdata/expected-failures.txt', import.meta.url), 'utf8').split('\n')) {
  const m = /^(\S+:\d+)\s*(.*)$/.exec(line.trim());
  if (m && !line.startsWith('#')) listed.set(m[1], m[2]);
}

test('PromQL conformance: non-listed evals pass, listed ones still fail', () => {
  const unexpected: string[] = [];
  const fixed: string[] = [];
  const totals: string[] = [];
  let passed = 0;
  let expectedFail = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test')).sort()) {
    let filePassed = 0;
    let fileListed = 0;
    for (const c of runFile(`${dir}${file}`)) {
      const id = `${file}:${c.line}`;
      if (listed.has(id)) {
        fileListed++;
        if (c.ok) fixed.push(id);
      } else if (c.ok) filePassed++;
      else unexpected.push(`${id} ${c.query}\n    ${c.reason}`);
    }
    passed += filePassed;
    expectedFail += fileListed;
    totals.push(`${file}: ${filePassed} passed, ${fileListed} expected failures`);
  }
  console.log(`PromQL conformance: ${passed} passed, ${expectedFail} expected failures\n  ${totals.join('\n  ')}`);
  assert.deepEqual(unexpected, [], `evals that fail and are not in expected-failures.txt:\n${unexpected.join('\n')}`);
  assert.deepEqual(fixed, [], `evals that now pass: remove them from expected-failures.txt:\n${fixed.join('\n')}`);
});
