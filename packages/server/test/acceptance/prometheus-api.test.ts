/**
 * The Prometheus HTTP API's metadata and status endpoints and the
 * `vigil query` CLI against a started Vigil that scrapes a local target.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { eventually, removeDir, startVigil, type VigilProcess } from './vigil-process.ts';

const bin = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));
const exposition = [
  '# HELP app_jobs_total Jobs the app finished.',
  '# TYPE app_jobs_total counter',
  'app_jobs_total{queue="mail"} 42',
  '# HELP app_queue_depth Jobs waiting.',
  '# TYPE app_queue_depth gauge',
  'app_queue_depth 3',
  '',
].join('\n');

let target: Server;
let vigil: VigilProcess;

before(async () => {
  target = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(target.address() as AddressInfo).port}`;
  vigil = await startVigil({
    configYaml: ['global:', '  scrape_interval: 1s', 'scrape_configs:', '  - job_name: app', `    static_configs: [{ targets: ['${address}'] }]`, ''].join('\n'),
  });
});

after(async () => {
  await vigil.stop();
  removeDir(vigil.dataDir);
  await new Promise<void>((resolve) => target.close(() => resolve()));
});

async function getJson(path: string): Promise<any> {
  const response = await fetch(`${vigil.url}${path}`);
  assert.equal(response.status, 200, path);
  return response.json();
}

function vigilCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args, '--url', vigil.url], { timeout: 10_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test("/api/v1/metadata lists the scraped families' TYPE and HELP", async () => {
  const data = await eventually(async () => {
    const body = await getJson('/api/v1/metadata');
    assert.ok(body.data.app_jobs_total, 'not scraped yet');
    return body.data;
  }, 10_000);
  assert.deepEqual(data.app_jobs_total, [{ type: 'counter', help: 'Jobs the app finished.', unit: '' }]);
  assert.deepEqual(data.app_queue_depth, [{ type: 'gauge', help: 'Jobs waiting.', unit: '' }]);
  const one = await getJson('/api/v1/metadata?metric=app_queue_depth');
  assert.deepEqual(Object.keys(one.data), ['app_queue_depth']);
});

test('the status endpoints answer as Prometheus does', async () => {
  const build = await getJson('/api/v1/status/buildinfo');
  assert.equal(build.status, 'success');
  assert.equal(build.data.version, '0.1.0');
  const config = await getJson('/api/v1/status/config');
  assert.match(config.data.yaml, /job_name: app/);
  assert.match(config.data.yaml, /job_name: vigil/);
  const exemplars = await getJson('/api/v1/query_exemplars?query=app_jobs_total');
  assert.deepEqual(exemplars, { status: 'success', data: [] });
});

test('vigil query runs instant and range queries against the server; a bad query exits 1, bad usage 2', async () => {
  await eventually(async () => assert.equal((await getJson('/api/v1/query?query=app_jobs_total')).data.result.length, 1), 10_000);
  const [instant, range, bad, usage] = await Promise.all([
    vigilCli(['query', 'app_jobs_total']),
    vigilCli(['query', 'range', 'app_queue_depth', '--start', 'now-1m', '--end', 'now', '--step', '1s']),
    vigilCli(['query', 'sum(']),
    vigilCli(['query', 'range', 'up', '--start', 'now-1m']),
  ]);
  assert.equal(instant.code, 0, instant.stderr);
  assert.match(instant.stdout, /^app_jobs_total\{instance="127\.0\.0\.1:\d+", job="app", queue="mail"\} => 42 @\[\d+(\.\d+)?\]$/m);
  assert.equal(range.code, 0, range.stderr);
  assert.match(range.stdout, /^app_queue_depth\{instance="127\.0\.0\.1:\d+", job="app"\} =>\n(3 @\[\d+(\.\d+)?\]\n)+/m);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^vigil: bad_data: .*parse error/);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--end is required/);
});
