import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ratioOffset } from './aggregations.ts';
import { xxhash64 } from './xxhash64.ts';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('xxhash64 gives the reference XXH64 (seed 0) digests, under and over 32 bytes', () => {
  assert.equal(xxhash64(bytes('')), 0xef46db3751d8e999n);
  assert.equal(xxhash64(bytes('a')), 0xd24ec4f1a98c6e5bn);
  assert.equal(xxhash64(bytes('abc')), 0x44bc2cf5ad770999n);
  assert.equal(xxhash64(bytes('Nobody inspects the spammish repetition')), 0xfbcea83c8a378bf1n);
});

test('ratioOffset hashes the label set in name order, whatever the key order', () => {
  const a = ratioOffset({ job: 'api', __name__: 'up', instance: '1' });
  const b = ratioOffset({ __name__: 'up', instance: '1', job: 'api' });
  assert.equal(a, b);
  assert.ok(a >= 0 && a <= 1);
  assert.notEqual(a, ratioOffset({ __name__: 'up', instance: '2', job: 'api' }));
  // The separator keeps names and values apart: {ab="c"} is not {a="bc"}.
  assert.notEqual(ratioOffset({ ab: 'c' }), ratioOffset({ a: 'bc' }));
});
