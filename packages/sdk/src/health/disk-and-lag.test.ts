import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHealth } from './create-health.ts';
import { diskFreeCheck } from './disk-free-check.ts';
import { eventLoopLagCheck } from './event-loop-lag-check.ts';

test('diskFreeCheck passes under the thresholds and fails above them, with figures', async () => {
  const dir = tmpdir();
  const stats = statfsSync(dir);
  const free = stats.bavail * stats.bsize;
  const health = createHealth()
    .addCheck('bytes-ok', diskFreeCheck(dir, { minFreeBytes: 1 }))
    .addCheck('ratio-ok', diskFreeCheck(dir, { minFreeRatio: 0 }))
    .addCheck('bytes-low', diskFreeCheck(dir, { minFreeBytes: free * 2 + 1024 ** 3 }))
    .addCheck('ratio-low', diskFreeCheck(dir, { minFreeRatio: 1 }))
    .addCheck('missing', diskFreeCheck('/no/such/dir', { minFreeBytes: 1 }));
  const { checks } = await health.readiness();
  assert.equal(checks['bytes-ok'].status, 'pass');
  const details = checks['bytes-ok'].details as Record<string, number>;
  assert.equal(details.total_bytes, stats.blocks * stats.bsize);
  assert.ok(details.free_ratio >= 0 && details.free_ratio <= 1);
  assert.equal(checks['ratio-ok'].status, 'pass');
  assert.match(checks['bytes-low'].error ?? '', new RegExp(`^${dir}: [\\d.]+ [KMGT]?i?B free \\([\\d.]+%\\), below [\\d.]+ [KMGT]iB$`));
  assert.match(checks['ratio-low'].error ?? '', /% free \(.*\), below 100\.0%$/);
  assert.match(checks.missing.error ?? '', /ENOENT/);
});

test('diskFreeCheck options are validated at construction', () => {
  assert.throws(() => diskFreeCheck('/', {}), /needs minFreeBytes or minFreeRatio/);
  assert.throws(() => diskFreeCheck('/', { minFreeRatio: 5 }), /from 0 to 1, got number 5/);
  assert.throws(() => diskFreeCheck('/', { minFreeBytes: -1 }), /≥ 0, got number -1/);
  assert.throws(() => diskFreeCheck('', { minFreeBytes: 1 }), /non-empty string/);
});

test('eventLoopLagCheck fails after the loop was blocked and passes again once it is free', async () => {
  const check = eventLoopLagCheck({ maxLagMs: 120 });
  const health = createHealth().addCheck('loop', check);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await health.readiness(); // drop whatever the test runner's start-up left in the histogram
  await new Promise((resolve) => setTimeout(resolve, 30));

  const until = Date.now() + 300;
  while (Date.now() < until) {
    // Busy-wait: the event loop is blocked, as by a CPU-heavy request.
  }
  await new Promise((resolve) => setTimeout(resolve, 30));
  const blocked = await health.readiness();
  assert.equal(blocked.checks.loop.status, 'fail');
  assert.match(blocked.checks.loop.error ?? '', /^event loop delay p99 \d+(\.\d)? ms over the last interval, above 120 ms$/);

  await new Promise((resolve) => setTimeout(resolve, 100));
  const free = await health.readiness();
  assert.equal(free.checks.loop.status, 'pass', free.checks.loop.error);
  assert.ok((free.checks.loop.details as Record<string, number>).p99_ms < 120);
  assert.throws(() => eventLoopLagCheck({ maxLagMs: 0 }), /maxLagMs must be a positive number/);
});
