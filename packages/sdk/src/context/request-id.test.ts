import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptedOrNewRequestId, newRequestId } from './request-id.ts';

const uuidV4Layout = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('new ids have the UUID v4 layout and do not repeat', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 100_000; i++) {
    const id = newRequestId();
    if (i < 1000) assert.match(id, uuidV4Layout);
    seen.add(id);
  }
  assert.equal(seen.size, 100_000);
});

test('consecutive ids do not show a count: their last 8 hex digits are not in order', () => {
  const tails = Array.from({ length: 50 }, () => parseInt(newRequestId().slice(-8), 16));
  const ascending = tails.every((tail, i) => i === 0 || tail > tails[i - 1]);
  assert.equal(ascending, false);
  const steps = new Set(tails.slice(1).map((tail, i) => tail - tails[i]));
  assert.ok(steps.size > 40, `steps between ids should vary, got ${steps.size} distinct`);
});

test('an acceptable given id is kept, anything else replaced', () => {
  assert.equal(acceptedOrNewRequestId('req-abc-123'), 'req-abc-123');
  assert.equal(acceptedOrNewRequestId('x'.repeat(128)), 'x'.repeat(128));
  for (const bad of [undefined, '', 'has space', 'x'.repeat(129), 'line\nbreak', 'tab\there', 'é']) {
    assert.match(acceptedOrNewRequestId(bad), uuidV4Layout, JSON.stringify(bad));
  }
});
