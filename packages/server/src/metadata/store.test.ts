import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../testing/fake-clock.ts';
import { MetadataStore, type MetricMetadata } from './index.ts';

const counter: MetricMetadata = { type: 'counter', help: 'Requests served.', unit: '' };
const gauge: MetricMetadata = { type: 'gauge', help: 'Bytes in use.', unit: 'bytes' };

test('families are kept per tenant, each entry once however often it is recorded', () => {
  const store = new MetadataStore(new FakeClock());
  store.record('a', 'http_requests_total', counter);
  store.record('a', 'http_requests_total', counter);
  store.record('a', 'memory_bytes', gauge);
  store.record('b', 'memory_bytes', { ...gauge, help: 'Other help.' });
  assert.deepEqual(store.query('a'), { memory_bytes: [gauge], http_requests_total: [counter] });
  assert.deepEqual(store.query('b'), { memory_bytes: [{ ...gauge, help: 'Other help.' }] });
  assert.deepEqual(store.query('nobody'), {});
});

test('a family with differing metadata lists each variant, newest first, up to limit_per_metric', () => {
  const store = new MetadataStore(new FakeClock());
  store.record('t', 'up', { type: 'gauge', help: 'old', unit: '' });
  store.record('t', 'up', { type: 'gauge', help: 'new', unit: '' });
  assert.deepEqual(store.query('t').up.map((m) => m.help), ['new', 'old']);
  assert.deepEqual(store.query('t', { limitPerMetric: 1 }).up.map((m) => m.help), ['new']);
});

test('limit caps the families, metric picks one; a negative limit is no limit and zero gives none', () => {
  const store = new MetadataStore(new FakeClock());
  for (const name of ['a', 'b', 'c']) store.record('t', name, gauge);
  assert.equal(Object.keys(store.query('t', { limit: 2 })).length, 2);
  assert.equal(Object.keys(store.query('t', { limit: -1 })).length, 3);
  assert.deepEqual(store.query('t', { limit: 0 }), {});
  assert.deepEqual(store.query('t', { metric: 'b' }), { b: [gauge] });
  assert.deepEqual(store.query('t', { metric: 'zzz' }), {});
});

test('bounded: the least recently seen families go first, HELP is cut, variants and overlong names are not kept', () => {
  const clock = new FakeClock();
  const store = new MetadataStore(clock, { maxFamiliesPerTenant: 10, maxHelpLength: 5, maxNameLength: 10, maxVariantsPerFamily: 2 });
  for (let i = 0; i < 10; i++) {
    store.record('t', `f${i}`, gauge);
    clock.advance(1000);
  }
  store.record('t', 'f0', gauge); // seen again: f1 and f2 are now the least recently seen
  clock.advance(1000);
  store.record('t', 'f10', gauge); // over the cap: a tenth of the families (at least one) goes
  const kept = Object.keys(store.query('t')).sort();
  assert.equal(kept.length, 9);
  assert.ok(kept.includes('f0') && kept.includes('f10'));
  assert.ok(!kept.includes('f1') && !kept.includes('f2'));

  store.record('t', 'f0', { ...gauge, help: 'abcdefghij' });
  assert.equal(store.query('t').f0[0].help, 'abcde');
  store.record('t', 'f0', { ...gauge, help: 'x' });
  assert.equal(store.query('t').f0.length, 2, 'variants are capped too');
  store.record('t', 'a_very_long_name', gauge);
  assert.equal(store.query('t').a_very_long_name, undefined);
});

test('bounded: the least recently written tenant goes when there are too many', () => {
  const clock = new FakeClock();
  const store = new MetadataStore(clock, { maxTenants: 2 });
  for (const tenant of ['a', 'b', 'a', 'c']) {
    store.record(tenant, 'x', gauge);
    clock.advance(1000);
  }
  assert.deepEqual(store.query('b'), {});
  assert.ok(store.query('a').x && store.query('c').x);
});

test('entries not seen for ttlMs are forgotten', () => {
  const clock = new FakeClock();
  const store = new MetadataStore(clock, { ttlMs: 60_000 });
  store.record('t', 'gone', gauge);
  clock.advance(30_000);
  store.record('t', 'kept', gauge);
  clock.advance(45_000);
  assert.deepEqual(Object.keys(store.query('t')), ['kept']);
});
