/**
 * Per-tenant metric limits over HTTP: a request over a limit is a 4xx that
 * names the limit (remote-write senders drop 4xx rather than retry), and
 * what was within the limits is kept.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { snappyWriteRequest } from '../../src/ingest/remote-write/testing.ts';
import { removeDir, startVigil, type VigilProcess } from './vigil-process.ts';

let vigil: VigilProcess;
const now = Math.floor(Date.now() / 1000) * 1000;

before(async () => {
  vigil = await startVigil({ configYaml: 'metrics:\n  max_series_per_tenant: 3\n  max_samples_per_request: 10\n' });
});

after(async () => {
  await vigil.stop();
  removeDir(vigil.dataDir);
});

async function write(tenant: string, series: { name: string; samples: number }[]): Promise<{ status: number; text: string }> {
  const timeseries = series.map(({ name, samples }) => ({
    labels: [{ name: '__name__', value: name }],
    samples: Array.from({ length: samples }, (_, i) => ({ value: i, timestamp: now - (samples - i) * 1000 })),
  }));
  const body = snappyWriteRequest({ timeseries });
  const response = await fetch(`${vigil.url}/api/v1/write`, { method: 'POST', headers: { 'content-encoding': 'snappy', 'X-Scope-OrgID': tenant }, body });
  return { status: response.status, text: await response.text() };
}

async function count(tenant: string): Promise<number> {
  const response = await fetch(`${vigil.url}/api/v1/query?query=${encodeURIComponent('count({__name__=~"limit_.*"})')}`, { headers: { 'X-Scope-OrgID': tenant } });
  const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

test('a request with more samples than max_samples_per_request is refused whole, naming the limit', async () => {
  const refused = await write('a', [{ name: 'limit_big', samples: 11 }]);
  assert.equal(refused.status, 400);
  assert.match(refused.text, /11 samples, more than the limit max_samples_per_request=10/);
  assert.equal(await count('a'), 0);
});

test('series past max_series_per_tenant are refused naming the limit; the rest is kept; other tenants are unaffected', async () => {
  const first = await write('b', ['limit_1', 'limit_2', 'limit_3', 'limit_4'].map((name) => ({ name, samples: 1 })));
  assert.equal(first.status, 400);
  assert.match(first.text, /max_series_per_tenant=3/);
  assert.equal(await count('b'), 3);
  const other = await write('c', [{ name: 'limit_1', samples: 2 }]);
  assert.equal(other.status, 204, other.text);
  assert.equal(await count('c'), 1);
});
