import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeadIndex, hashCanonical } from './head-index.ts';
import type { SeriesLabels } from './model.ts';
import { canonicalLabels } from './schema.ts';

interface Entry {
  labels: SeriesLabels;
}

function add(index: HeadIndex<Entry>, tenant: string, labels: SeriesLabels): Entry {
  const entry = { labels };
  index.add(tenant, canonicalLabels(labels), entry);
  return entry;
}

function get(index: HeadIndex<Entry>, tenant: string, labels: SeriesLabels): Entry | undefined {
  return index.get(tenant, canonicalLabels(labels), labels);
}

test('finds a series by an equal label set in any key order, per tenant', () => {
  const index = new HeadIndex<Entry>();
  const up = add(index, 't1', { __name__: 'up', job: 'api' });
  assert.equal(get(index, 't1', { job: 'api', __name__: 'up' }), up);
  assert.equal(get(index, 't2', { __name__: 'up', job: 'api' }), undefined);
  assert.equal(get(index, 't1', { __name__: 'up', job: 'api', le: '1' }), undefined);
  assert.equal(get(index, 't1', { __name__: 'up' }), undefined);
});

test('label sets whose hashes collide are told apart, and deleting one keeps the others', () => {
  const index = new HeadIndex<Entry>(() => 7);
  const a = add(index, 't', { __name__: 'a' });
  const b = add(index, 't', { __name__: 'b' });
  const c = add(index, 't', { __name__: 'c' });
  assert.equal(get(index, 't', { __name__: 'b' }), b);
  assert.equal(get(index, 't', { __name__: 'd' }), undefined);
  index.delete('t', canonicalLabels(b.labels), b);
  assert.equal(get(index, 't', { __name__: 'b' }), undefined);
  assert.equal(get(index, 't', { __name__: 'a' }), a);
  index.delete('t', canonicalLabels(a.labels), a);
  assert.equal(get(index, 't', { __name__: 'c' }), c);
  assert.deepEqual([...index.values()], [c]);
});

test('an inherited property does not make a label set equal', () => {
  const index = new HeadIndex<Entry>(() => 1);
  add(index, 't', { __name__: 'up', constructor: 'x' });
  assert.equal(get(index, 't', { __name__: 'up', toString: 'y' }), undefined);
});

test('values() lists every series once; clear() empties the index', () => {
  const index = new HeadIndex<Entry>((c) => c.length % 2);
  const entries = ['a', 'bb', 'ccc', 'dddd', 'e'].map((name) => add(index, name.length > 2 ? 't1' : 't2', { __name__: name }));
  assert.deepEqual(new Set(index.values()), new Set(entries));
  index.clear();
  assert.deepEqual([...index.values()], []);
});

test('hashes are small integers', () => {
  for (const s of ['', '{"__name__":"up"}', 'x'.repeat(500)]) {
    const h = hashCanonical(s);
    assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 30, String(h));
  }
  assert.notEqual(hashCanonical('{"a":"1"}'), hashCanonical('{"a":"2"}'));
});
