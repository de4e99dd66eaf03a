import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryLogSource } from './memory-source.ts';

const src = () =>
  new MemoryLogSource([
    {
      labels: { app: 'api' },
      entries: [
        { tsNs: 10n, line: 'a error', fields: { severity: 'ERROR' } },
        { tsNs: 30n, line: 'b' },
      ],
    },
    { labels: { app: 'web' }, entries: [{ tsNs: 20n, line: 'c error' }, { tsNs: 40n, line: 'dd', fields: { severity: 'INFO' } }] },
  ]);

describe('MemoryLogSource', () => {
  it('matches streams with Prometheus matcher semantics', () => {
    assert.deepEqual(src().matchStreams([{ name: 'app', op: '=~', value: 'a.*' }]), [{ id: 0, labels: { app: 'api' } }]);
    assert.deepEqual(src().matchStreams([{ name: 'app', op: '=~', value: 'a' }]), []);
    assert.equal(src().matchStreams([{ name: 'zone', op: '=', value: '' }]).length, 2);
  });

  it('scans in time order across streams, start inclusive, end exclusive', () => {
    const base = { streamIds: [0, 1], startNs: 10n, endNs: 40n, contains: [] };
    assert.deepEqual([...src().scan({ ...base, direction: 'forward' })].map((r) => r.tsNs), [10n, 20n, 30n]);
    assert.deepEqual([...src().scan({ ...base, direction: 'backward' })].map((r) => r.tsNs), [30n, 20n, 10n]);
  });

  it('honours streamIds and the contains hint, and hands out fields', () => {
    const rows = [...src().scan({ streamIds: [0], startNs: 0n, endNs: 100n, direction: 'forward', contains: ['error'] })];
    assert.deepEqual(rows, [{ streamId: 0, tsNs: 10n, line: 'a error', fields: { severity: 'ERROR' } }]);
  });

  it('counts lines and bytes in (origin + k*bucket, origin + (k+1)*bucket] buckets', () => {
    const rows = [...src().count!({ streamIds: [0, 1], originNs: 10n, bucketNs: 10n, buckets: 3, contains: [], groupFields: ['severity'] })];
    // 10 is not after the origin; 20 → bucket 0, 30 → 1, 40 → 2.
    assert.deepEqual(
      rows.sort((a, b) => a.bucket - b.bucket),
      [
        { streamId: 1, fieldValues: [''], bucket: 0, count: 1, bytes: 7 },
        { streamId: 0, fieldValues: [''], bucket: 1, count: 1, bytes: 1 },
        { streamId: 1, fieldValues: ['INFO'], bucket: 2, count: 1, bytes: 2 },
      ],
    );
  });

  it('can be built without count', () => {
    const s = new MemoryLogSource([], { count: false });
    assert.equal(s.count, undefined);
  });
});
