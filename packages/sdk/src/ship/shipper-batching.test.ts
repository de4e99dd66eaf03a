/**
 * What the shipper sends when the server is well: batches cut by size, by
 * line count and by time, as valid Loki JSON pushes, gzipped, with labels,
 * tenant and timestamps right.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createShipper, type Shipper } from './shipper.ts';
import type { ShipOptions } from './options.ts';
import { eventually, pinoLine, startFakeLoki, type FakeLoki } from './test-kit.ts';

async function setUp(t: { after(fn: () => Promise<void>): void }, options: Partial<ShipOptions> = {}) {
  const fake = await startFakeLoki();
  const shipper = createShipper({ url: fake.url, labels: { service: 'checkout' }, flushIntervalMs: 60_000, onWarning: () => {}, ...options });
  t.after(async () => {
    await shipper.close();
    await fake.close();
  });
  return { fake, shipper };
}

const valuesOf = (fake: FakeLoki, n: number) => fake.requests[n].body!.streams.flatMap((s) => s.values);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a batch goes out when its bytes reach batchBytes; the rest waits', async (t) => {
  const { fake, shipper } = await setUp(t, { batchBytes: 10_000, maxBufferBytes: 100_000 });
  const lines = Array.from({ length: 25 }, (_, i) => pinoLine(`line ${i} ${'x'.repeat(950)}`));
  for (const line of lines) shipper.write(line);
  await eventually(() => assert.equal(fake.requests.length, 2));
  await sleep(200);
  assert.equal(fake.requests.length, 2, 'the last 7 lines are not a full batch and the interval is a minute away');
  // 9 lines of ~1 KiB fit in 10 000 bytes, a tenth would not
  assert.deepEqual([valuesOf(fake, 0).length, valuesOf(fake, 1).length], [9, 9]);
  assert.deepEqual(shipper.stats(), { sent: 18, dropped: 0, rejected: 0, retries: 0, failedBatches: 0, bufferedLines: 7, bufferedBytes: shipper.stats().bufferedBytes });
  assert.ok(shipper.stats().bufferedBytes >= 7 * 1000 && shipper.stats().bufferedBytes < 7 * 1200);
  await shipper.flush();
  assert.equal(fake.requests.length, 3);
  assert.deepEqual(fake.acceptedLines(), lines, 'every line, unchanged and in order');
  assert.equal(shipper.stats().bufferedBytes, 0);
});

test('a batch goes out when it reaches batchLines', async (t) => {
  const { fake, shipper } = await setUp(t, { batchLines: 5 });
  for (let i = 0; i < 12; i++) shipper.write(pinoLine(`line ${i}`));
  await eventually(() => assert.equal(fake.requests.length, 2));
  await sleep(100);
  assert.equal(fake.requests.length, 2);
  assert.deepEqual([valuesOf(fake, 0).length, valuesOf(fake, 1).length], [5, 5]);
  assert.equal(shipper.stats().bufferedLines, 2);
});

test('lines that make no full batch go out after flushIntervalMs', async (t) => {
  const { fake, shipper } = await setUp(t, { flushIntervalMs: 300 });
  const start = Date.now();
  shipper.write(pinoLine('one'));
  shipper.write(pinoLine('two'));
  await sleep(150);
  assert.equal(fake.requests.length, 0, 'nothing before the interval');
  await eventually(() => assert.equal(fake.requests.length, 1));
  assert.ok(fake.requests[0].at - start >= 280, `sent after ${fake.requests[0].at - start} ms`);
  assert.equal(valuesOf(fake, 0).length, 2);
  // and again for lines written later
  shipper.write(pinoLine('three'));
  await eventually(() => assert.equal(fake.requests.length, 2));
  assert.deepEqual(fake.acceptedLines().map((l) => JSON.parse(l).msg), ['one', 'two', 'three']);
});

test('the body is a Loki JSON push: one stream per level, ns string timestamps from the line, gzip, tenant and headers', async (t) => {
  const { fake, shipper } = await setUp(t, { labels: { service: 'checkout', env: 'prod' }, tenant: 'acme', headers: { Authorization: 'Bearer t0k' } });
  const info = JSON.stringify({ level: 30, time: 1_700_000_000_123, msg: 'paid' });
  const error = JSON.stringify({ level: 50, time: '2023-11-14T22:13:20.456Z', msg: 'refund failed' });
  const vigilStyle = JSON.stringify({ severity: 'WARNING', level: 40, time: 1_700_000_000_789, msg: 'slow' });
  const plain = 'not json at all';
  for (const line of [info, error, vigilStyle, plain]) shipper.write(line);
  const before = Date.now();
  await shipper.flush();
  assert.equal(fake.requests.length, 1);
  const request = fake.requests[0];
  assert.equal(request.path, '/loki/api/v1/push');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.headers['content-encoding'], 'gzip');
  assert.equal(request.headers['x-scope-orgid'], 'acme');
  assert.equal(request.headers.authorization, 'Bearer t0k');
  const json = Buffer.from(JSON.stringify(request.body));
  assert.ok(request.wireBytes < json.length, 'the body on the wire is compressed');
  const streams = request.body!.streams;
  assert.deepEqual(
    streams.map((s) => s.stream),
    [
      { service: 'checkout', env: 'prod', level: 'info' },
      { service: 'checkout', env: 'prod', level: 'error' },
      { service: 'checkout', env: 'prod', level: 'warn' },
      { service: 'checkout', env: 'prod' },
    ],
  );
  assert.deepEqual(streams[0].values, [['1700000000123000000', info]]);
  assert.deepEqual(streams[1].values, [['1700000000456000000', error]]);
  assert.deepEqual(streams[2].values, [['1700000000789000000', vigilStyle]]);
  const [ts, line] = streams[3].values[0];
  assert.equal(line, plain);
  assert.match(ts, /^\d{19}$/, 'a line without time is stamped now, in ns, as a string');
  assert.ok(Number(ts.slice(0, 13)) >= before - 5000 && Number(ts.slice(0, 13)) <= Date.now());
});

test('gzip: false sends plain JSON', async (t) => {
  const { fake, shipper } = await setUp(t, { gzip: false });
  shipper.write(pinoLine('plain'));
  await shipper.flush();
  assert.equal(fake.requests[0].headers['content-encoding'], undefined);
  assert.equal(JSON.parse(fake.acceptedLines()[0]).msg, 'plain');
  assert.ok(fake.requests[0].wireBytes > gzipSync(JSON.stringify(fake.requests[0].body)).length);
});

test('lines of the same millisecond keep their order through consecutive nanoseconds', async (t) => {
  const { fake, shipper } = await setUp(t);
  for (const msg of ['a', 'b', 'c']) shipper.write(JSON.stringify({ level: 30, time: 1_700_000_000_000, msg }));
  shipper.write(JSON.stringify({ level: 30, time: 1_700_000_000_001, msg: 'd' }));
  await shipper.flush();
  assert.deepEqual(
    valuesOf(fake, 0).map((v) => v[0]),
    ['1700000000000000000', '1700000000000000001', '1700000000000000002', '1700000000001000000'],
  );
});

test('levelLabel: false sends one stream; custom pino levels get their names', async (t) => {
  const { fake, shipper } = await setUp(t, { levelLabel: false });
  shipper.write(JSON.stringify({ level: 30, time: 1, msg: 'x' }));
  shipper.write(JSON.stringify({ level: 50, time: 2, msg: 'y' }));
  await shipper.flush();
  assert.deepEqual(fake.requests[0].body!.streams.map((s) => s.stream), [{ service: 'checkout' }]);

  const custom: Shipper = createShipper({ url: fake.url, labels: { service: 'c' }, onWarning: () => {} });
  t.after(() => custom.close());
  custom.addLevelNames({ 35: 'notice' });
  custom.write(JSON.stringify({ level: 35, time: 3, msg: 'n' }));
  custom.write(JSON.stringify({ level: 99, time: 4, msg: 'u' }));
  await custom.flush();
  assert.deepEqual(fake.requests[1].body!.streams.map((s) => s.stream.level), ['notice', 'unknown']);
});
