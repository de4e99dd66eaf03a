/**
 * Server down, then up: the application logs far more than the buffer holds
 * while nothing listens; nothing throws, memory stays flat, drops are
 * counted; once the server starts on that port, what is still buffered
 * arrives, newest last, and every line is accounted for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createShipper } from './shipper.ts';
import { eventually, freePort, startFakeLoki } from './test-kit.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('50k lines with the server down: bounded memory, counted drops, delivery after recovery', async (t) => {
  const port = await freePort();
  const maxBufferBytes = 256 * 1024;
  const warnings: string[] = [];
  const shipper = createShipper({
    url: `http://127.0.0.1:${port}`,
    labels: { service: 'booking' },
    maxBufferBytes,
    batchBytes: 64 * 1024,
    flushIntervalMs: 50,
    minBackoffMs: 10,
    maxBackoffMs: 100,
    maxRetries: 1_000_000, // keep retrying through the outage
    onWarning: (message) => warnings.push(message),
  });
  t.after(() => shipper.close());

  const total = 50_000;
  const padding = 'p'.repeat(500); // ~600-byte lines: 50k of them are ~30 MB, the buffer holds ~400
  let maxSeen = 0;
  let heapAt10k = 0;
  for (let i = 0; i < total; i++) {
    shipper.write(JSON.stringify({ level: 30, time: Date.now(), i, msg: `booking ${i}`, padding }));
    maxSeen = Math.max(maxSeen, shipper.stats().bufferedBytes);
    if (i % 1000 === 999) await yieldToLoop(); // let the pump and its retries run, as an app would
    if (i === 9_999) heapAt10k = heapAfterGc();
  }
  const heapGrowth = heapAfterGc() - heapAt10k;

  const down = shipper.stats();
  assert.ok(maxSeen <= maxBufferBytes, `buffered ${maxSeen} bytes, cap ${maxBufferBytes}`);
  assert.ok(maxSeen > maxBufferBytes * 0.9, 'the buffer did fill');
  // 40k more lines of ~600 bytes would be ~24 MB if they were kept
  assert.ok(heapGrowth < 6 * 1024 * 1024, `heap grew by ${(heapGrowth / 1024 / 1024).toFixed(1)} MB over 40k lines`);
  assert.equal(down.sent, 0);
  assert.ok(down.retries > 0, 'it kept trying');
  assert.equal(down.dropped + down.bufferedLines, total, 'every line is either dropped or still buffered');
  assert.ok(down.bufferedLines > 300 && down.bufferedLines < 500, `${down.bufferedLines} lines buffered`);
  assert.ok(warnings.some((w) => /dropped \d+ log lines \(buffer full/.test(w)), warnings.join('\n'));

  const fake = await startFakeLoki(port);
  t.after(() => fake.close());
  await eventually(() => assert.equal(shipper.stats().bufferedLines, 0), 10_000);

  const up = shipper.stats();
  assert.equal(up.sent + up.dropped, total, 'after recovery every line is sent or counted as dropped');
  assert.equal(up.sent, down.bufferedLines, 'what was buffered at recovery is what arrives');
  const received = fake.acceptedLines().map((line) => JSON.parse(line));
  const ids = received.filter((line) => line.i !== undefined).map((line) => line.i as number);
  assert.equal(ids.length, up.sent);
  assert.ok(ids.every((id, k) => k === 0 || id > ids[k - 1]), 'lines arrive in the order they were logged');
  assert.equal(ids.at(-1), total - 1, 'the newest line is kept');
  const report = received.find((line) => line.vigil_ship_dropped_lines !== undefined);
  assert.ok(report?.vigil_ship_dropped_lines >= down.dropped, 'the server hears how many were lost');
});
