/** A push answered with 2xx survives kill -9 of the server right after. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
