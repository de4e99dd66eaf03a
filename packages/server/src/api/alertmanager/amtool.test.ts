/**
 * The real amtool against these routes on a started server: what amtool
 * sends and how it reads the answers is the compatibility that matters.
 * Skipped where amtool is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../../clock.ts';
import { buildTestApi, gettableAlert } from './testing.ts';

const AMTOOL = '/usr/bin/amtool';
const run = promisify(execFile);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('amtool adds, updates, queries and expires silences, queries and adds alerts, shows config and cluster', { skip: !existsSync(AMTOOL) }, async (t) => {
  // amtool stamps silences with its own wall clock, so the server must read the same one
  const api = buildTestApi(systemClock);
  t.after(() => api.close());
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  const amtool = async (...args: string[]) => (await run(AMTOOL, [`--alertmanager.url=${url}`, ...args], { timeout: 10_000 })).stdout.trim();

  const id = await amtool('silence', 'add', 'alertname=Test', 'env=~prod|staging', '--comment=db maintenance', '--author=ops', '--duration=1h');
  assert.match(id, UUID);
  assert.deepEqual(api.silences.mutedBy({ alertname: 'Test', env: 'staging' }, Date.now()), [id]);

  const listed = JSON.parse(await amtool('silence', 'query', '-o', 'json')) as { id: string; createdBy: string; comment: string; matchers: unknown[] }[];
  assert.deepEqual(
    listed.map((s) => [s.id, s.createdBy, s.comment]),
    [[id, 'ops', 'db maintenance']],
  );
  assert.deepEqual(listed[0].matchers, [
    { name: 'alertname', value: 'Test', isRegex: false, isEqual: true },
    { name: 'env', value: 'prod|staging', isRegex: true, isEqual: true },
  ]);
  assert.equal(await amtool('silence', 'query', '-q', 'alertname=Test'), id);
  assert.equal(await amtool('silence', 'query', '-q', 'alertname=Other'), '');

  // amtool 0.25's `update -q` prints a pointer, not the id, so read the JSON output
  const updated = JSON.parse(await amtool('silence', 'update', id, '--duration=3h', '--comment=longer', '-o', 'json')) as { id: string }[];
  assert.deepEqual(updated.map((s) => s.id), [id], 'same matchers: updated in place');
  assert.equal(api.silences.get(id).comment, 'longer');

  await amtool('silence', 'expire', id);
  assert.equal(await amtool('silence', 'query', '-q'), '');
  assert.equal(await amtool('silence', 'query', '-q', '--expired'), id);

  await assert.rejects(amtool('silence', 'add', 'alertname=~.*', '--comment=everything'), (err: Error & { stderr: string }) => {
    assert.match(err.stderr, /at least one matcher must not match the empty string/);
    return true;
  });

  // amtool compares endsAt with the real clock: the alerts must not have ended by then
  const endsAt = new Date(Date.now() + 3_600_000).toISOString();
  api.core.listed = [
    gettableAlert({ alertname: 'DiskFull', instance: 'db1' }, { annotations: { summary: 'disk is full' }, endsAt }),
    gettableAlert({ alertname: 'Quiet' }, { status: { state: 'suppressed', silencedBy: [id] }, endsAt }),
  ];
  const alerts = JSON.parse(await amtool('alert', 'query', '-o', 'json')) as { labels: Record<string, string> }[];
  assert.deepEqual(alerts.map((a) => a.labels.alertname), ['DiskFull']);
  const silenced = JSON.parse(await amtool('alert', 'query', '--silenced', '-o', 'json')) as { labels: Record<string, string> }[];
  assert.deepEqual(silenced.map((a) => a.labels.alertname), ['Quiet'], '--silenced alone turns the other flags off, so active alerts are left out');

  await amtool('alert', 'add', 'alertname=Manual', 'severity=page', '--annotation=summary=by hand');
  assert.deepEqual(
    api.core.received.map((a) => [a.labels, a.annotations]),
    [[{ alertname: 'Manual', severity: 'page' }, { summary: 'by hand' }]],
  );

  assert.match(await amtool('config', 'show'), /receiver: ops/);
  assert.match(await amtool('cluster', 'show'), /Cluster Status:\s+disabled/);
});
