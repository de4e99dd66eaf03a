import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import Fastify from 'fastify';
import { parse as parseYaml } from 'yaml';
import { defaultConfig } from '../../config/index.ts';
import { scrapeSectionSchema } from '../../scrape/index.ts';
import { gitHead, vigilBuildInfo } from './build-info.ts';
import { registerStatusApi, type RunningConfig } from './status.ts';

const NOW = 1_700_000_000_000;

function running(): RunningConfig {
  const scrape = scrapeSectionSchema.parse({
    global: { scrape_interval: '15s' },
    scrape_configs: [
      { job_name: 'app', basic_auth: { username: 'u', password: 'hunter2' }, static_configs: [{ targets: ['a:1'] }] },
      { job_name: 'api', scrape_interval: '1m', authorization: { credentials: 'tok3n' }, static_configs: [{ targets: ['b:2'] }] },
    ],
  });
  return { config: defaultConfig(), scrape, file: '/etc/vigil.yaml', reloadSuccess: false, loadedAtMs: NOW - 60_000 };
}

async function app() {
  const app = Fastify();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  registerStatusApi(app, { build: vigilBuildInfo(), startedAt: NOW - 120_000, now: () => NOW, running });
  await app.ready();
  return app;
}

test("buildinfo has Prometheus' fields, the version from package.json and no invented Go version", async () => {
  const { status, data } = (await (await app()).inject('/api/v1/status/buildinfo')).json();
  assert.equal(status, 'success');
  assert.deepEqual(Object.keys(data).sort(), ['branch', 'buildDate', 'buildUser', 'goVersion', 'revision', 'version']);
  assert.equal(data.version, '0.1.0');
  assert.match(data.goVersion, /^n\/a \(Vigil, Node v\d+/);
});

test('the git revision and branch come from HEAD, loose or packed refs', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-git-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const url = pathToFileURL(`${dir}/`);
  assert.equal(gitHead(url), undefined);
  writeFileSync(join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, 'packed-refs'), '# pack-refs\nabc123 refs/heads/main\n');
  assert.deepEqual(gitHead(url), { revision: 'abc123', branch: 'main' });
  mkdirSync(join(dir, 'refs/heads'), { recursive: true });
  writeFileSync(join(dir, 'refs/heads/main'), 'def456\n');
  assert.deepEqual(gitHead(url), { revision: 'def456', branch: 'main' });
});

test('runtimeinfo and flags report the running configuration', async () => {
  const server = await app();
  const runtime = (await server.inject('/api/v1/status/runtimeinfo')).json().data;
  assert.equal(runtime.startTime, new Date(NOW - 120_000).toISOString());
  assert.equal(runtime.lastConfigTime, new Date(NOW - 60_000).toISOString());
  assert.equal(runtime.reloadConfigSuccess, false);
  assert.equal(runtime.storageRetention, '30d');
  const flags = (await server.inject('/api/v1/status/flags')).json().data;
  assert.equal(flags['config.file'], '/etc/vigil.yaml');
  assert.equal(flags['web.listen-address'], '127.0.0.1:9700');
  assert.equal(flags['query.timeout'], '30s');
});

test('config is the effective scrape section as YAML, defaults filled in and secrets hidden', async () => {
  const { data } = (await (await app()).inject('/api/v1/status/config')).json();
  assert.doesNotMatch(data.yaml, /hunter2|tok3n/);
  const doc = parseYaml(data.yaml);
  assert.equal(doc.global.scrape_interval, '15s');
  assert.equal(doc.global.scrape_timeout, '10s');
  assert.deepEqual(
    doc.scrape_configs.map((j: Record<string, unknown>) => [j.job_name, j.scrape_interval, j.scrape_timeout, j.metrics_path]),
    [['app', '15s', '10s', '/metrics'], ['api', '1m', '10s', '/metrics']],
  );
  assert.deepEqual(doc.scrape_configs[0].basic_auth, { username: 'u', password: '<secret>' });
  assert.equal(doc.scrape_configs[1].authorization.credentials, '<secret>');
});

test('query_exemplars answers an empty list (no exemplars are stored) but still checks its parameters', async () => {
  const server = await app();
  const get = await server.inject('/api/v1/query_exemplars?query=up&start=1&end=2');
  assert.deepEqual(get.json(), { status: 'success', data: [] });
  const post = await server.inject({ method: 'POST', url: '/api/v1/query_exemplars', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'query=rate(x[5m])' });
  assert.deepEqual(post.json(), { status: 'success', data: [] });
  const bad = await server.inject('/api/v1/query_exemplars?query=sum(');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errorType, 'bad_data');
  const backwards = await server.inject('/api/v1/query_exemplars?query=up&start=10&end=5');
  assert.equal(backwards.json().error, 'end timestamp must not be before start timestamp');
});
