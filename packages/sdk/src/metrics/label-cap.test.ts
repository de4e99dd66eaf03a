import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelCap, OTHER_VALUE } from './label-cap.ts';

test('keeps the first max distinct values and maps later new ones to __other__', () => {
  const cap = new LabelCap('route', 3);
  const got = ['/a', '/b', '/a', '/c', '/d', '/e', '/b', '/c'].map((v) => cap.value(v));
  assert.deepEqual(got, ['/a', '/b', '/a', '/c', OTHER_VALUE, OTHER_VALUE, '/b', '/c']);
});

test('warns once per label when the cap is reached', (t) => {
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }) => {
    if (w.message.includes('"tenant"')) warnings.push(`${w.code}: ${w.message}`);
  };
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));
  const cap = new LabelCap('tenant', 1);
  for (let i = 0; i < 100; i++) cap.value(`t${i}`);
  return new Promise<void>((resolve) => setImmediate(() => {
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^VIGIL_METRICS_LABEL_CAP: more than 1 distinct values of label "tenant"/);
    resolve();
  }));
});
