import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePairs } from './alert.ts';

test('--labels takes name=value pairs, quoted values may hold commas', () => {
  assert.deepEqual(parsePairs('severity=critical,alertname=Test', '--labels'), { severity: 'critical', alertname: 'Test' });
  assert.deepEqual(parsePairs(' a = 1 , summary="x, y" ', '--labels'), { a: '1', summary: 'x, y' });
  assert.deepEqual(parsePairs('', '--annotations'), {});
});

test('a malformed --labels names the flag and where it went wrong', () => {
  assert.throws(() => parsePairs('severity', '--labels'), /--labels: "severity" is not name=value,name=value \(problem at character 1\)/);
  assert.throws(() => parsePairs('a=1,2b=3', '--labels'), /problem at character 5/);
});
