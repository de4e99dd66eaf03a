import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epochMs, LevelNames, readLineMeta } from './line-meta.ts';
import { LineClock, LineQueue, type Entry } from './line-queue.ts';

test('level and time are read from pino lines, Vigil logger lines and other JSON', () => {
  const levels = new LevelNames();
  assert.deepEqual(readLineMeta('{"level":30,"time":1700000000123,"msg":"x"}', levels), { level: 'info', timeMs: 1700000000123 });
  assert.deepEqual(readLineMeta('{"severity":"WARNING","level":40,"time":1700000000123,"msg":"x"}', levels), { level: 'warn', timeMs: 1700000000123 });
  assert.deepEqual(readLineMeta('{"level":"error","time":"2023-11-14T22:13:20.456Z"}', levels), { level: 'error', timeMs: 1700000000456 });
  assert.deepEqual(readLineMeta('{"msg":"x","severity":"CRITICAL","timestamp":1700000000}', levels), { level: 'fatal', timeMs: 1700000000000 });
  assert.deepEqual(readLineMeta('{"level":45,"time":1}', levels), { level: 'unknown', timeMs: 1000 }, 'read as seconds; the server judges how old');
  assert.deepEqual(readLineMeta('{"level":"verbose-ish"}', levels), { level: 'unknown', timeMs: undefined });
  assert.deepEqual(readLineMeta('plain text', levels), { level: undefined, timeMs: undefined });
  assert.deepEqual(readLineMeta('{"broken', levels), { level: undefined, timeMs: undefined });
  assert.deepEqual(readLineMeta('[1,2]', levels), { level: undefined, timeMs: undefined });
});

test("the logger's own level names win over aliases, and their number is bounded", () => {
  const levels = new LevelNames();
  levels.addPinoLabels({ 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'critical' });
  assert.equal(levels.name(40), 'warning');
  assert.equal(levels.name('WARNING'), 'warning');
  assert.equal(levels.name('warn'), 'warn');
  assert.equal(levels.name(60), 'critical');
  for (let n = 100; n < 200; n++) levels.addPinoLabels({ [n]: `custom${n}` });
  const names = new Set(Array.from({ length: 100 }, (_, i) => levels.name(100 + i)));
  assert.ok(names.size <= 34, `${names.size} level names`);
  assert.ok(names.has('unknown'));
});

test('epoch seconds, ms, µs and ns, numeric strings and ISO strings become epoch ms', () => {
  assert.equal(epochMs(1_700_000_000), 1_700_000_000_000);
  assert.equal(epochMs(1_700_000_000.5), 1_700_000_000_500);
  assert.equal(epochMs(1_700_000_000_123), 1_700_000_000_123);
  assert.equal(epochMs(1_700_000_000_123_456), 1_700_000_000_123);
  assert.equal(epochMs(1_700_000_000_123_456_789), 1_700_000_000_123);
  assert.equal(epochMs('1700000000123'), 1_700_000_000_123);
  assert.equal(epochMs('2023-11-14T22:13:20.123+00:00'), 1_700_000_000_123);
  for (const bad of ['yesterday', '', -5, 0, NaN, Infinity, null, {}, true]) assert.equal(epochMs(bad), undefined, String(bad));
});

test('the clock gives consecutive ns within a millisecond and starts over at the next', () => {
  const clock = new LineClock();
  assert.deepEqual([5, 5, 5, 6, 6, 5].map((ms) => clock.stamp(1_700_000_000_000 + ms)), [
    '1700000000005000000',
    '1700000000005000001',
    '1700000000005000002',
    '1700000000006000000',
    '1700000000006000001',
    '1700000000005000000',
  ]);
});

test('the queue takes from the old end within byte and line limits and keeps its byte count', () => {
  const queue = new LineQueue();
  const stream = { key: '', labels: { service: 's' } };
  const entry = (seq: number, bytes: number): Entry => ({ seq, stream, ts: '1', line: `l${seq}`, bytes, internal: false });
  for (let i = 1; i <= 3000; i++) queue.push(entry(i, 10));
  assert.equal(queue.bytes, 30_000);
  assert.deepEqual(queue.take(35, 100).map((e) => e.seq), [1, 2, 3]);
  assert.deepEqual(queue.take(1_000_000, 2).map((e) => e.seq), [4, 5]);
  for (let i = 0; i < 2000; i++) queue.shift();
  assert.equal(queue.peek()?.seq, 2006);
  assert.equal(queue.length, 995);
  assert.equal(queue.bytes, 9950);
  queue.push(entry(9999, 5000));
  assert.deepEqual(queue.take(1, 1).map((e) => e.seq), [2006], 'at least one entry, even over the limit');
});
