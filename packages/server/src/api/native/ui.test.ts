import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { isVigilError } from '../../errors.ts';
import { registerUi } from './ui.ts';

async function appOver(dist: string) {
  const app = Fastify();
  app.setErrorHandler((err: Error, _request, reply) => void reply.code(isVigilError(err) ? err.status : 500).send(err.message));
  registerUi(app, dist);
  await app.ready();
  return app;
}

test('the UI is served from dist, a rebuild is picked up, and no request reaches outside it', async (t) => {
  const dist = mkdtempSync(join(tmpdir(), 'vigil-ui-'));
  t.after(() => rmSync(dist, { recursive: true, force: true }));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<script src="/assets/app-1.js"></script>');
  writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log(1)');
  writeFileSync(join(dist, 'secret.txt'), 'no');
  const app = await appOver(dist);

  const index = await app.inject('/');
  assert.equal(index.statusCode, 200);
  assert.match(String(index.headers['content-type']), /text\/html/);
  assert.equal(index.headers['cache-control'], 'no-cache');
  const script = await app.inject('/assets/app-1.js');
  assert.equal(script.statusCode, 200);
  assert.match(String(script.headers['content-type']), /javascript/);

  // a rebuild while running: new names, served without a restart
  writeFileSync(join(dist, 'index.html'), '<script src="/assets/app-2.js"></script>');
  writeFileSync(join(dist, 'assets', 'app-2.js'), 'console.log(2)');
  assert.match((await app.inject('/')).body, /app-2/);
  assert.equal((await app.inject('/assets/app-2.js')).body, 'console.log(2)');

  for (const url of ['/assets/..%2Fsecret.txt', '/assets/%2e%2e%2fsecret.txt', '/assets/..%5Csecret.txt', '/assets/nope.js', '/assets/app-1.txt']) {
    assert.equal((await app.inject(url)).statusCode, 404, url);
  }
});

test('without a build, / says how to build the UI', async (t) => {
  const dist = mkdtempSync(join(tmpdir(), 'vigil-ui-'));
  t.after(() => rmSync(dist, { recursive: true, force: true }));
  const answer = await (await appOver(dist)).inject('/');
  assert.equal(answer.statusCode, 503);
  assert.match(answer.body, /npm run build -w packages\/ui/);
});
