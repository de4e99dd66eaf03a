/**
 * What the shipper does when the server is not well: retries what is safe
 * to retry (with backoff, honouring Retry-After), gives up on 4xx at once,
 * times out a server that hangs, and keeps its buffer bounded by dropping
 * the oldest lines, counting them, and telling.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createShipper } from './shipper.ts';
import type { ShipOptions } from './options.ts';
import { retryAfterMs } from './push-request.ts';
import { eventually, freePort, pinoLine, startFakeLoki } from './test-kit.ts';

type After = { after(fn: () => Promise<void>): void };

async function setUp(t: After, options: Partial<ShipOptions> = {}) {
  const fake = await startFakeLoki();
  const warnings: string[] = [];
  const shipper = createShipper({
    url: fake.url,
    labels: { service: 'sms' },
    flushIntervalMs: 60_000,
    minBackoffMs: 20,
    maxBackoffMs: 80,
    onWarning: (message) => warnings.push(message),
    ...options,
  });
  t.after(async () => {
    await shipper.close();
    await fake.close();
  });
  return { fake, shipper, warnings };
}

test('500 is retried with backoff until the server takes the batch', async (t) => {
  const { fake, shipper, warnings } = await setUp(t);
  fake.answer = (n) => (n < 2 ? { status: 500 } : { status: 204 });
  const lines = [pinoLine('a'), pinoLine('b')];
  for (const line of lines) shipper.write(line);
  await shipper.flush();
  assert.equal(fake.requests.length, 3);
  for (const request of fake.requests) {
    assert.deepEqual(request.body!.streams.flatMap((s) => s.values.map((v) => v[1])), lines, 'each attempt sends the same batch');
  }
  const gaps = [fake.requests[1].at - fake.requests[0].at, fake.requests[2].at - fake.requests[1].at];
  assert.ok(gaps.every((gap) => gap < 1000), `backoff stays under maxBackoffMs (+ slack): ${gaps}`);
  assert.deepEqual(shipper.stats(), { sent: 2, dropped: 0, rejected: 0, retries: 2, failedBatches: 0, bufferedLines: 0, bufferedBytes: 0 });
  assert.equal(warnings.filter((w) => w.includes('HTTP 500')).length, 1, 'one warning for the kind, not one per retry');
});

test('429 waits out Retry-After before trying again', async (t) => {
  const { fake, shipper } = await setUp(t);
  fake.answer = (n) => (n === 0 ? { status: 429, retryAfter: '1' } : { status: 204 });
  shipper.write(pinoLine('rate limited'));
  await shipper.flush();
  assert.equal(fake.requests.length, 2);
  const gap = fake.requests[1].at - fake.requests[0].at;
  assert.ok(gap >= 950, `retried after ${gap} ms, Retry-After said 1 s`);
  assert.equal(shipper.stats().sent, 1);
  assert.equal(shipper.stats().retries, 1);
});

test('Retry-After is read as seconds or as an HTTP date, and capped', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(retryAfterMs('3', now), 3000);
  assert.equal(retryAfterMs('Wed, 01 Jan 2025 00:00:07 GMT', now), 7000);
  assert.equal(retryAfterMs('86400', now), 60_000);
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs(null, now), undefined);
});

test('400 is not retried: the batch is counted as rejected and warned about once per status', async (t) => {
  const { fake, shipper, warnings } = await setUp(t);
  fake.answer = () => ({ status: 400, text: 'entry 1 has timestamp too old' });
  shipper.write(pinoLine('one'));
  shipper.write(pinoLine('two'));
  await shipper.flush();
  shipper.write(pinoLine('three'));
  await shipper.flush();
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(fake.requests.length, 2, 'one request per batch, no retry');
  assert.deepEqual(shipper.stats(), { sent: 0, dropped: 0, rejected: 3, retries: 0, failedBatches: 2, bufferedLines: 0, bufferedBytes: 0 });
  const about400 = warnings.filter((w) => w.includes('HTTP 400'));
  assert.equal(about400.length, 1);
  assert.match(about400[0], /timestamp too old/, 'the warning shows what the server said');
});

test('a server that never answers times out each request, and the batch is given up after maxRetries', async (t) => {
  const { fake, shipper, warnings } = await setUp(t, { timeoutMs: 200, maxRetries: 1, flushIntervalMs: 10 });
  fake.answer = () => 'hang';
  shipper.write(pinoLine('lost'));
  const start = Date.now();
  await eventually(() => assert.equal(shipper.stats().failedBatches, 1), 3000);
  const elapsed = Date.now() - start;
  assert.ok(elapsed >= 390 && elapsed < 2000, `two attempts of 200 ms took ${elapsed} ms`);
  assert.equal(fake.requests.length, 2);
  assert.deepEqual(shipper.stats(), { sent: 0, dropped: 1, rejected: 0, retries: 1, failedBatches: 1, bufferedLines: 0, bufferedBytes: 0 });
  assert.ok(warnings.some((w) => w.includes('no answer within 200 ms')), warnings.join('\n'));
  assert.ok(warnings.some((w) => /dropped 1 log lines/.test(w)), warnings.join('\n'));
});

test('a full buffer drops the oldest waiting lines, counts them, and tells the server once it is back', async (t) => {
  const port = await freePort();
  const warnings: string[] = [];
  const shipper = createShipper({
    url: `http://127.0.0.1:${port}`,
    labels: { service: 'sms' },
    flushIntervalMs: 60_000,
    batchLines: 10,
    maxBufferLines: 20,
    minBackoffMs: 50,
    maxBackoffMs: 50,
    maxRetries: 1000,
    closeTimeoutMs: 3000,
    onWarning: (message) => warnings.push(message),
  });
  t.after(() => shipper.close());
  const ids: number[] = [];
  for (let i = 0; i < 100; i++) {
    shipper.write(pinoLine(`line ${i}`, { i }));
    assert.ok(shipper.stats().bufferedLines <= 20, `buffer holds ${shipper.stats().bufferedLines} lines`);
  }
  // lines 0-9 went into the first batch (in flight, retrying); of the rest only the newest 10 fit
  assert.deepEqual(shipper.stats(), { sent: 0, dropped: 80, rejected: 0, retries: shipper.stats().retries, failedBatches: 0, bufferedLines: 20, bufferedBytes: shipper.stats().bufferedBytes });
  const reported = () => warnings.flatMap((w) => /dropped (\d+) log lines/.exec(w)?.[1] ?? []).map(Number);
  assert.deepEqual(reported(), [1], 'the first drop is reported at once, the next ones wait for the interval');

  const fake = await startFakeLoki(port);
  t.after(() => fake.close());
  await eventually(() => assert.equal(shipper.stats().sent, 20));
  await shipper.flush();
  const received = fake.acceptedLines().map((line) => JSON.parse(line));
  for (const line of received) if (line.i !== undefined) ids.push(line.i);
  assert.deepEqual(ids, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
  const report = received.find((line) => line.vigil_ship_dropped_lines !== undefined);
  assert.equal(report?.vigil_ship_dropped_lines, 80, 'one line tells the server how many were lost');
  assert.equal(shipper.stats().sent, 20, 'the report line is not counted as an application line');
  assert.deepEqual(reported(), [1, 79], 'on recovery stderr hears about the rest');
});

test('a line bigger than the free buffer is dropped, not queued', async (t) => {
  const { fake, shipper } = await setUp(t, { maxBufferBytes: 4096, batchBytes: 1024 });
  shipper.write(pinoLine('x'.repeat(5000)));
  shipper.write(pinoLine('small'));
  await shipper.flush();
  assert.deepEqual(fake.acceptedLines().map((l) => JSON.parse(l).msg), ['small']);
  assert.equal(shipper.stats().dropped, 1);
});

test('close() is bounded while the server is away, counts what is left as dropped, and drops later writes', async (t) => {
  const port = await freePort();
  const shipper = createShipper({ url: `http://127.0.0.1:${port}`, labels: { service: 'sms' }, closeTimeoutMs: 300, minBackoffMs: 20, maxBackoffMs: 50, maxRetries: 1000, onWarning: () => {} });
  for (let i = 0; i < 5; i++) shipper.write(pinoLine(`line ${i}`));
  const start = Date.now();
  await shipper.close();
  const elapsed = Date.now() - start;
  assert.ok(elapsed >= 250 && elapsed < 1500, `close took ${elapsed} ms`);
  shipper.write(pinoLine('after close'));
  assert.deepEqual(shipper.stats(), { sent: 0, dropped: 6, rejected: 0, retries: shipper.stats().retries, failedBatches: 0, bufferedLines: 0, bufferedBytes: 0 });
  assert.ok(shipper.stats().retries > 0);
  await shipper.close(); // twice is fine
});

test('write() never throws, whatever it is given', async (t) => {
  const { fake, shipper, warnings } = await setUp(t);
  const odd: unknown[] = [undefined, null, 42, Buffer.from('{"level":30,"msg":"buf"}\n'), '', '\n', '{"level":', '{"time":"garbage"}'];
  for (const value of odd) assert.doesNotThrow(() => shipper.write(value as string));
  await shipper.flush();
  assert.deepEqual(fake.acceptedLines(), ['{"level":30,"msg":"buf"}', '{"level":', '{"time":"garbage"}'], 'a Buffer is a line; empty lines are skipped');
  assert.equal(shipper.stats().dropped, 3, 'undefined, null and 42 are not lines');
  assert.equal(warnings.filter((w) => w.includes('takes a string line')).length, 1);
});
