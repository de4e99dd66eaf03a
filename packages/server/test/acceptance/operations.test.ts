/** What an operator relies on: /health, /metrics, Vigil's own logs in its store, the CLI. */
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { eventually, queryRange, removeDir, startVigil, tempDir, type VigilProcess } from './vigil-process.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));
let vigil: VigilProcess;

before(async () => {
  vigil = await startVigil();
});

after(async () => {
  await vigil.stop();
  removeDir(vigil.dataDir);
});

async function vigilCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('/health is 200 once the server accepts data', async () => {
  const response = await fetch(`${vigil.url}/health`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok' });
});

test('/metrics exposes ingest counters, store sizes, request durations and event-loop lag', async () => {
  await fetch(`${vigil.url}/vigil/api/v1/logs?service=metrics-test`, { method: 'POST', body: '{"msg":"one"}\n{"msg":"two"}\n' });
  const text = await (await fetch(`${vigil.url}/metrics`)).text();
  assert.match(text, /vigil_ingest_lines_total\{protocol="jsonl"\} 2/);
  assert.match(text, /vigil_store_bytes\{kind="logs"\} [1-9]\d*/);
  assert.match(text, /vigil_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/vigil\/api\/v1\/logs",status="200"\}/);
  assert.match(text, /nodejs_eventloop_lag_seconds \d/);
});

test("Vigil's own logs are JSON on stdout and stored under service=\"vigil\"", async () => {
  const started = vigil.output.find((line) => line.includes('vigil.started'));
  assert.ok(started, 'a start line on stdout');
  assert.equal(JSON.parse(started).service, 'vigil');
  const { body } = await eventually(async () => {
    const answer = await queryRange(vigil.url, '{service="vigil"} |= "vigil.started"');
    assert.equal(answer.body.data.result.length, 1);
    return answer;
  });
  assert.match(body.data.result[0].values[0][1], /Vigil is listening/);
});

test('vigil check config: exit 0 for a good file, 1 with every problem named', async () => {
  const dir = tempDir();
  after(() => removeDir(dir));
  const good = join(dir, 'good.yaml');
  writeFileSync(good, 'retention:\n  standard: 14d\nredaction:\n  extra_fields: [pin]\n');
  assert.equal((await vigilCli(['check', 'config', good])).code, 0);
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'server:\n  listen: nowhere\nretention:\n  standard: forever\n  stnadard: 1d\nsecret: ${VIGIL_TEST_UNSET_VAR}\n');
  const result = await vigilCli(['check', 'config', bad]);
  assert.equal(result.code, 1);
  for (const expected of [
    'server.listen: use HOST:PORT',
    'retention.standard: "forever" is not a duration',
    'retention.stnadard: unknown key',
    'secret: environment variable VIGIL_TEST_UNSET_VAR is not set',
    'secret: unknown key',
  ]) {
    assert.ok(result.stderr.includes(expected), `missing "${expected}" in:\n${result.stderr}`);
  }
});

test('vigil check config also checks the rule files and the Alertmanager configuration it names', async () => {
  const dir = tempDir();
  after(() => removeDir(dir));
  writeFileSync(join(dir, 'broken.rules.yml'), 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n');
  const config = join(dir, 'vigil.yaml');
  writeFileSync(config, 'rule_files: [broken.rules.yml]\nalertmanager:\n  route: {receiver: pager}\n  receivers: [{name: email}]\n');
  const result = await vigilCli(['check', 'config', config]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /alertmanager\.route\.receiver: receiver "pager" is not defined/);
  assert.match(result.stderr, /rule_files: .*broken\.rules\.yml:5: group "g", rule "A": could not parse expression/);
});

test('vigil logs query prints matching lines as text and as JSON', async () => {
  await fetch(`${vigil.url}/vigil/api/v1/logs?service=cli-test`, {
    method: 'POST',
    body: '{"msg":"backup started"}\n{"msg":"backup timeout"}\n',
  });
  const text = await vigilCli(['logs', 'query', '{service="cli-test"} |= "timeout"', '--url', vigil.url, '--since', '5m']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /backup timeout/);
  assert.doesNotMatch(text.stdout, /backup started/);
  const json = await vigilCli(['logs', 'query', '{service="cli-test"}', '--url', vigil.url, '--output', 'json']);
  assert.equal(JSON.parse(json.stdout).data.result[0].values.length, 2);
  const broken = await vigilCli(['logs', 'query', '{service=', '--url', vigil.url]);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /400.*parse error/s);
});

test('the tail WebSocket sends new matching lines as they arrive', async () => {
  const url = new URL('/loki/api/v1/tail', vigil.url.replace('http', 'ws'));
  url.searchParams.set('query', '{service="tail-test"} |= "payment"');
  const socket = new WebSocket(url);
  after(() => socket.close());
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const received = new Promise<any>((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
  await fetch(`${vigil.url}/vigil/api/v1/logs?service=tail-test`, {
    method: 'POST',
    body: '{"msg":"login ok"}\n{"msg":"payment declined"}\n',
  });
  const frame = await received;
  assert.equal(frame.streams.length, 1);
  assert.equal(frame.streams[0].stream.service, 'tail-test');
  assert.deepEqual(frame.streams[0].values.map((v: string[]) => JSON.parse(v[1]).msg), ['payment declined']);
});

test("promtool check metrics accepts Vigil's own /metrics", async () => {
  const text = await (await fetch(`${vigil.url}/metrics`)).text();
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
});

test('vigil logs tail prints new lines as they arrive', async (t) => {
  const tail = spawn(process.execPath, [bin, 'logs', 'tail', '{service="cli-tail"}', '--url', vigil.url], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => tail.kill('SIGKILL'));
  let output = '';
  tail.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // the tail is live once a line pushed after connecting shows up
  await eventually(async () => {
    await fetch(`${vigil.url}/vigil/api/v1/logs?service=cli-tail`, { method: 'POST', body: '{"msg":"cron job finished"}\n' });
    assert.match(output, /cron job finished/);
  }, 10_000);
  assert.match(output, /"service":"cli-tail"/);
});
