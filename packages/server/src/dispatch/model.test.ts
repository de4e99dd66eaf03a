import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fingerprint } from './model.ts';

/** FNV-1a 64 the obvious way, with BigInt, as Prometheus' model computes it. */
function reference(labels: Record<string, string>): string {
  let hash = 0xcbf29ce484222325n;
  const add = (bytes: Uint8Array) => {
    for (const b of bytes) hash = ((hash ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  const encoder = new TextEncoder();
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add(new Uint8Array([0xff]));
    add(encoder.encode(labels[name]));
    add(new Uint8Array([0xff]));
  }
  return hash.toString(16).padStart(16, '0');
}

test('fingerprint is FNV-1a 64 of the sorted labels, as Alertmanager computes it', () => {
  assert.equal(fingerprint({}), 'cbf29ce484222325');
  assert.equal(fingerprint({ alertname: 'X' }), 'd2aeefc389ca7746');
  fc.assert(
    fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string({ unit: 'binary' })), (labels) => fingerprint(labels) === reference(labels)),
    { numRuns: 2000 },
  );
});
