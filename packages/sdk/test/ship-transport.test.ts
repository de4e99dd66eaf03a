/**
 * The ship transport in pino's worker thread, in a real application process
 * started with and without tsx: logger.flush() delivers pending lines,
 * exiting delivers the rest, custom levels get their names, and bad options
 * do not take the application down.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { eventually, startFakeLoki, type FakeLoki } from '../src/ship/test-kit.ts';

const app = fileURLToPath(new URL('./fixtures/pino-app.mjs', import.meta.url));
const launchModes = { 'plain node': [], 'node --import tsx': ['--import', 'tsx'] } as const;

function runApp(nodeArgs: readonly string[], url: string, scenario: string) {
  const child = spawn(process.execPath, [...nodeArgs, app, url, scenario], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  let stderr = '';
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => stdout.push(line));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout, stderr: () => stderr, exited };
}

function messages(fake: FakeLoki): string[] {
  return fake.acceptedLines().map((line) => JSON.parse(line).msg);
}

const expected = [...Array.from({ length: 100 }, (_, i) => `line ${i}`), 'a custom level', 'last line'];

for (const [mode, nodeArgs] of Object.entries(launchModes)) {
  test(`${mode}: logger.flush() delivers what is pending before its callback`, async (t) => {
    const fake = await startFakeLoki();
    t.after(() => fake.close());
    const run = runApp(nodeArgs, fake.url, 'flush');
    t.after(() => run.child.kill());
    await eventually(() => assert.ok(run.stdout.includes('flushed'), `stdout: ${run.stdout} stderr: ${run.stderr()}`), 15_000);
    // the app is still running and the interval is a minute: only flush can have sent these
    assert.deepEqual(messages(fake).sort(), [...expected].sort());
    const streams = fake.requests.flatMap((r) => r.body!.streams.map((s) => s.stream));
    assert.deepEqual(
      [...new Set(streams.map((s) => JSON.stringify(s)))].sort(),
      [
        { service: 'fixture', env: 'test', level: 'error' },
        { service: 'fixture', env: 'test', level: 'info' },
        { service: 'fixture', env: 'test', level: 'notice' },
      ].map((s) => JSON.stringify(s)).sort(),
      'custom levels from pino get their own names, one stream per level',
    );
    assert.equal(fake.requests[0].headers['x-scope-orgid'], 'fixture-tenant');
    run.child.stdin!.end('exit\n');
    assert.equal(await run.exited, 0);
  });

  test(`${mode}: lines still pending when the process ends by itself are delivered`, async (t) => {
    const fake = await startFakeLoki();
    t.after(() => fake.close());
    const run = runApp(nodeArgs, fake.url, 'exit');
    assert.equal(await run.exited, 0, run.stderr());
    assert.deepEqual(messages(fake).sort(), [...expected].sort());
  });
}

test('process.exit() right after logging still delivers the lines', async (t) => {
  const fake = await startFakeLoki();
  t.after(() => fake.close());
  const run = runApp([], fake.url, 'exit-now');
  assert.equal(await run.exited, 0, run.stderr());
  assert.deepEqual(messages(fake).sort(), [...expected].sort());
});

test('bad transport options: one line on stderr, the application goes on', async (t) => {
  const fake = await startFakeLoki();
  t.after(() => fake.close());
  const run = runApp([], fake.url, 'bad-option');
  assert.equal(await run.exited, 0, run.stderr());
  assert.deepEqual(run.stdout, ['still running']);
  assert.match(run.stderr(), /vigil ship: transport not started.*option labels must be at least one label/);
  assert.equal(fake.requests.length, 0);
});
