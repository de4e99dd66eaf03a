import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import pino from 'pino';
import { createShipStream } from './ship-stream.ts';
import { startFakeLoki } from './test-kit.ts';

test('the stream cuts chunks into lines, whatever their boundaries, and end() sends the rest', async (t) => {
  const fake = await startFakeLoki();
  t.after(() => fake.close());
  const stream = createShipStream({ url: fake.url, labels: { service: 's' }, flushIntervalMs: 60_000 });
  for (const chunk of ['{"msg":"a"}\n{"ms', 'g":"b"}', '\n\n{"msg":"c"}\n{"msg":', '"no newline at the end"}']) stream.write(chunk);
  stream.end();
  await once(stream, 'close');
  assert.deepEqual(fake.acceptedLines(), ['{"msg":"a"}', '{"msg":"b"}', '{"msg":"c"}', '{"msg":"no newline at the end"}']);
  assert.equal(stream.shipper.stats().sent, 4);
});

test('in process, as a pino destination: logger.flush() sends what is pending', async (t) => {
  const fake = await startFakeLoki();
  t.after(() => fake.close());
  const stream = createShipStream({ url: fake.url, labels: { service: 's' }, flushIntervalMs: 60_000 });
  t.after(() => stream.shipper.close());
  const logger = pino(stream);
  logger.info('one');
  logger.error('two');
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  assert.deepEqual(fake.acceptedLines().map((line) => JSON.parse(line).msg), ['one', 'two']);
  assert.deepEqual(fake.requests[0].body!.streams.map((s) => s.stream.level), ['info', 'error']);
});
