import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { createMetrics } from '../telemetry/metrics.ts';
import { registerHealth } from './health.ts';

test('/health is 503 while starting, 503 when the store cannot be written, 200 otherwise', async (t) => {
  let ready = false;
  let writable = true;
  const app = Fastify();
  t.after(() => app.close());
  registerHealth(app, { isReady: () => ready, isStoreWritable: () => writable, metrics: createMetrics() });
  const status = async () => {
    const response = await app.inject({ url: '/health' });
    return `${response.statusCode} ${response.json().status}`;
  };
  assert.equal(await status(), '503 starting');
  ready = true;
  assert.equal(await status(), '200 ok');
  writable = false;
  assert.equal(await status(), '503 unhealthy');
});
