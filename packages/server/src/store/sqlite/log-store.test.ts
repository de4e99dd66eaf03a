import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogRecord, StreamBatch } from '../record.ts';
import { ReadConnections, SqliteLogReader } from './log-reader.ts';
import { SqliteLogStore } from './log-writer.ts';
import { listPartitions } from './partitions.ts';

const sec = 1_000_000_000n;
const day = 86_400n * sec;
const t0 = 1_764_460_800n * sec; // 2025-11-30T00:00:00Z

function record(tsNs: bigint, line: string, extra: Partial<LogRecord> = {}): LogRecord {
  return { tsNs, line, category: 'standard', fields: {}, ...extra };
}

function setup(t: import('node:test').TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-store-'));
  const store = new SqliteLogStore({ dataDir: dir, maxStreamsPerTenant: 3 });
  const connections = new ReadConnections(dir);
  t.after(() => {
    connections.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, store, reader: (tenant = 'default') => new SqliteLogReader(connections, tenant) };
}

test('lines come back in time order across streams, days and categories', (t) => {
  const { store, reader } = setup(t);
  const batches: StreamBatch[] = [
    { labels: { service: 'api' }, records: [record(t0 + 3n * sec, 'c'), record(t0 + day, 'next day')] },
    {
      labels: { service: 'api', env: 'prod' },
      records: [record(t0 + sec, 'a'), record(t0 + 2n * sec, 'b', { category: 'security', severity: 'ERROR' })],
    },
  ];
  assert.deepEqual(store.append('default', batches), { lines: 4, bytes: 11 });
  const source = reader();
  const ids = source.matchStreams([{ name: 'service', op: '=', value: 'api' }]).map((s) => s.id);
  assert.equal(ids.length, 2);
  const scan = (direction: 'forward' | 'backward') =>
    [...source.scan({ streamIds: ids, startNs: t0, endNs: t0 + 2n * day, direction, contains: [] })].map((r) => r.line);
  assert.deepEqual(scan('forward'), ['a', 'b', 'c', 'next day']);
  assert.deepEqual(scan('backward'), ['next day', 'c', 'b', 'a']);
  const security = [...source.scan({ streamIds: ids, startNs: t0, endNs: t0 + day, direction: 'forward', contains: ['b'] })];
  assert.equal(security.length, 1);
  assert.deepEqual(security[0].fields, { severity: 'ERROR', category: 'security' });
});

test('the end of a scan is exclusive and the start inclusive', (t) => {
  const { store, reader } = setup(t);
  store.append('default', [{ labels: { service: 'x' }, records: [record(t0, 'at start'), record(t0 + sec, 'at end')] }]);
  const source = reader();
  const ids = source.allStreams().map((s) => s.id);
  const lines = [...source.scan({ streamIds: ids, startNs: t0, endNs: t0 + sec, direction: 'forward', contains: [] })];
  assert.deepEqual(lines.map((r) => r.line), ['at start']);
});

test('counts by bucket and severity are computed in the store', (t) => {
  const { store, reader } = setup(t);
  store.append('default', [
    {
      labels: { service: 'api' },
      records: [
        record(t0 + 1n, 'x', { severity: 'INFO' }),
        record(t0 + 10n * sec, 'yy', { severity: 'INFO' }),
        record(t0 + 11n * sec, 'zzz', { severity: 'ERROR' }),
      ],
    },
  ]);
  const source = reader();
  const ids = source.allStreams().map((s) => s.id);
  const rows = [...source.count({ streamIds: ids, originNs: t0, bucketNs: 10n * sec, buckets: 2, contains: [], groupFields: ['severity'] })];
  const summary = rows.map((r) => `${r.fieldValues[0]}:${r.bucket}:${r.count}:${r.bytes}`).sort();
  // (t0, t0+10s] holds x and yy; (t0+10s, t0+20s] holds zzz
  assert.deepEqual(summary, ['ERROR:1:1:3', 'INFO:0:2:3']);
});

test('a tenant never sees another tenant\'s streams or lines', (t) => {
  const { store, reader } = setup(t);
  store.append('a', [{ labels: { service: 'api' }, records: [record(t0, 'secret of a')] }]);
  store.append('b', [{ labels: { service: 'api' }, records: [record(t0, 'line of b')] }]);
  const b = reader('b');
  const ids = b.matchStreams([{ name: 'service', op: '=~', value: '.*' }]).map((s) => s.id);
  const lines = [...b.scan({ streamIds: ids, startNs: t0, endNs: t0 + sec, direction: 'forward', contains: [] })];
  assert.deepEqual(lines.map((r) => r.line), ['line of b']);
});

test('the stream limit per tenant is enforced and names the setting', (t) => {
  const { store } = setup(t);
  for (const service of ['a', 'b', 'c']) store.append('t', [{ labels: { service }, records: [record(t0, 'x')] }]);
  assert.throws(
    () => store.append('t', [{ labels: { service: 'd' }, records: [record(t0, 'x')] }]),
    /limits.max_streams_per_tenant/,
  );
  store.append('other', [{ labels: { service: 'd' }, records: [record(t0, 'x')] }]);
});

test('retention deletes whole partitions per category', (t) => {
  const { dir, store } = setup(t);
  store.append('default', [
    { labels: { service: 'api' }, records: [record(t0, 'old standard'), record(t0, 'old audit', { category: 'audit' })] },
  ]);
  const dayMs = 86_400_000;
  const now = Number(t0 / 1_000_000n) + 40 * dayMs;
  const dropped = store.dropExpired(now, { standard: 30 * dayMs, security: 90 * dayMs, audit: 90 * dayMs });
  assert.deepEqual(dropped.map((p) => p.category), ['standard']);
  assert.equal(existsSync(dropped[0].path), false);
  assert.deepEqual(listPartitions(dir).map((p) => p.category), ['audit']);
});

test('many small buckets are counted in one query with the same answer', (t) => {
  const { store, reader } = setup(t);
  const ms = 1_000_000n;
  store.append('default', [
    {
      labels: { service: 'api' },
      records: [record(t0 + 5n * ms, 'a'), record(t0 + 5n * ms + 1n, 'bb'), record(t0 + 29_999n * ms, 'ccc')],
    },
  ]);
  const source = reader();
  const ids = source.allStreams().map((s) => s.id);
  const count = (buckets: number, bucketNs: bigint) =>
    [...source.count({ streamIds: ids, originNs: t0, bucketNs, buckets, contains: [], groupFields: [] })]
      .map((r) => `${r.bucket * Number(bucketNs / ms)}:${r.count}:${r.bytes}`)
      .sort();
  const oneQuery = count(30_000, ms); // over the bucket-by-bucket threshold
  assert.deepEqual(oneQuery, ['29998:1:3', '4:1:1', '5:1:2']);
  assert.deepEqual(count(3, 10_000n * ms), ['0:2:3', '20000:1:3']);
});

test('a scan stopped early does not hide lines written after it', (t) => {
  const { store, reader } = setup(t);
  store.append('default', [{ labels: { service: 'api' }, records: [record(t0, 'a'), record(t0 + 1n, 'b')] }]);
  const source = reader();
  const ids = source.allStreams().map((s) => s.id);
  const scan = () => source.scan({ streamIds: ids, startNs: t0, endNs: t0 + sec, direction: 'forward', contains: [] });
  for (const row of scan()) {
    assert.equal(row.line, 'a');
    break; // as a query with limit=1 does
  }
  store.append('default', [{ labels: { service: 'api' }, records: [record(t0 + 2n, 'c')] }]);
  assert.deepEqual([...scan()].map((r) => r.line), ['a', 'b', 'c']);
});
