import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { compressSync } from 'snappy';
import { fromSampleBatch, isStaleNaN, staleNaN } from '../../tsdb/model.ts';
import { encodeWith } from '../testing.ts';
import { RemoteWriteDecoder } from './decoder.ts';
import { remoteWriteType } from './testing.ts';

const limits = { maxBytes: 10 * 1024 * 1024 };
const snappy = { contentEncoding: 'snappy' };

function request(value: number, t: number): Buffer {
  return compressSync(
    encodeWith(remoteWriteType(), {
      timeseries: [
        { labels: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'a' }], samples: [{ value, timestamp: t }] },
        { labels: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'b' }], samples: [{ value: value + 1, timestamp: t }] },
        { labels: [{ name: '0bad', value: 'x' }], samples: [{ value: 1, timestamp: t }] },
      ],
    }),
  );
}

test('the decode worker returns what the in-line decoder does, with one frozen label object per series across requests', async (t) => {
  const decoder = new RemoteWriteDecoder();
  t.after(() => decoder.close());
  const first = await decoder.decode(request(1, 1000), snappy, limits);
  const second = await decoder.decode(request(staleNaN(), 2000), snappy, limits);
  assert.deepEqual(fromSampleBatch(first.batch), [
    { labels: { __name__: 'up', job: 'a' }, samples: [{ t: 1000, v: 1 }] },
    { labels: { __name__: 'up', job: 'b' }, samples: [{ t: 1000, v: 2 }] },
  ]);
  assert.equal(first.rejected.length, 1);
  assert.match(first.rejected[0].reason, /timeseries\[2\].*invalid label name "0bad"/);
  assert.equal(second.batch.labels[0], first.batch.labels[0]);
  assert.ok(Object.isFrozen(second.batch.labels[0]));
  assert.ok(isStaleNaN(second.batch.v[0]), 'stale markers keep their bits across the thread');
});

test('bad bodies and headers are refused with the same errors as in line, and the worker keeps serving', async (t) => {
  const decoder = new RemoteWriteDecoder();
  t.after(() => decoder.close());
  await assert.rejects(decoder.decode(Buffer.from('not snappy'), snappy, limits), { code: 'VIGIL_ERR_BODY_MALFORMED' });
  await assert.rejects(decoder.decode(request(1, 1000), snappy, { maxBytes: 8 }), { code: 'VIGIL_ERR_BODY_TOO_LARGE' });
  await assert.rejects(decoder.decode(request(1, 1000), { contentEncoding: 'gzip' }, limits), { code: 'VIGIL_ERR_ENCODING_UNSUPPORTED' });
  const ok = await decoder.decode(request(1, 1000), snappy, limits);
  assert.equal(ok.samples, 2);
});

test('a series the worker already sent is still named in full when a later request of it is rejected', async (t) => {
  const decoder = new RemoteWriteDecoder();
  t.after(() => decoder.close());
  await decoder.decode(request(1, 1000), snappy, limits);
  const bad = compressSync(
    encodeWith(remoteWriteType(), {
      timeseries: [{ labels: [{ name: '__name__', value: 'up' }, { name: 'job', value: 'a' }], samples: [{ value: 1, timestamp: '1152921504606846976' }] }],
    }),
  );
  const result = await decoder.decode(bad, snappy, limits);
  assert.equal(result.samples, 0);
  assert.match(result.rejected[0].reason, /^timeseries\[0\] up\{job="a"\}: sample timestamp .* is not a valid millisecond time$/);
});

test('the worker thread starts with the first request, not with the decoder', async (t) => {
  const threads = (): number => readdirSync('/proc/self/task').length;
  const before = threads();
  const decoder = new RemoteWriteDecoder();
  t.after(() => decoder.close());
  assert.equal(threads(), before, 'no thread for a server that gets no remote write');
  await decoder.decode(request(1, 1000), snappy, limits);
  assert.ok(threads() > before, 'the worker runs once a request came');
});
