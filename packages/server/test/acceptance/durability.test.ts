/** A push answered with 2xx survives kill -9 of the server right after. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { snappyWriteRequest } from '../../src/ingest/remote-write/testing.ts';
import { queryRange, removeDir, startVigil } from './vigil-process.ts';

test('lines accepted with 204 are there after kill -9 and a restart', async (t) => {
  const first = await startVigil();
  t.after(() => removeDir(first.dataDir));
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const values = Array.from({ length: 500 }, (_, i) => [String(nowNs - BigInt(500 - i) * 1_000_000n), `line ${i}`]);
  const response = await fetch(`${first.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ streams: [{ stream: { service: 'backup' }, values }] }),
  });
  assert.equal(response.status, 204);
  await first.kill9();

  const second = await startVigil({ dataDir: first.dataDir });
  t.after(() => second.stop());
  const { status, body } = await queryRange(second.url, '{service="backup"}', { limit: 1000, direction: 'forward' });
  assert.equal(status, 200);
  const lines = body.data.result.flatMap((s: { values: [string, string][] }) => s.values.map((v) => v[1]));
  assert.equal(lines.length, 500);
  assert.equal(lines[0], 'line 0');
  assert.equal(lines[499], 'line 499');
});

test('samples remote-written with 204 are there after kill -9 and a restart', async (t) => {
  const first = await startVigil();
  t.after(() => removeDir(first.dataDir));
  const end = Math.floor(Date.now() / 1000) * 1000;
  // Two requests, one sample per series each, as Prometheus sends them.
  for (const offset of [15_000, 0]) {
    const timeseries = Array.from({ length: 50 }, (_, i) => ({
      labels: [{ name: '__name__', value: 'backup_jobs_total' }, { name: 'shard', value: String(i) }],
      samples: [{ value: i + (offset === 0 ? 100 : 0), timestamp: end - offset }],
    }));
    const body = snappyWriteRequest({ timeseries });
    const response = await fetch(`${first.url}/api/v1/write`, { method: 'POST', headers: { 'content-encoding': 'snappy' }, body });
    assert.equal(response.status, 204, await response.text());
  }
  await first.kill9();

  const second = await startVigil({ dataDir: first.dataDir });
  t.after(() => second.stop());
  const params = new URLSearchParams({ query: 'sum(backup_jobs_total)', start: String((end - 15_000) / 1000), end: String(end / 1000), step: '15' });
  const response = await fetch(`${second.url}/api/v1/query_range?${params}`);
  const body = (await response.json()) as { data: { result: { values: [number, string][] }[] } };
  assert.deepEqual(body.data.result[0].values.map((v) => Number(v[1])), [1225, 1225 + 5000]);
});
