import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compressSync } from 'snappy';
import { fromSampleBatch, isStaleNaN } from '../../tsdb/model.ts';
import { ProtoWriter } from '../protobuf-writer.ts';
import { encodeWith } from '../testing.ts';
import { decodeRemoteWriteBody, decodeWriteRequest } from './decode.ts';
import { remoteWriteType } from './testing.ts';

const limits = { maxBytes: 10 * 1024 * 1024 };

function body(timeseries: unknown[]): Buffer {
  return encodeWith(remoteWriteType(), { timeseries });
}

function label(name: string, value: string) {
  return { name, value };
}

test('decodes a WriteRequest encoded by protobufjs, snappy-compressed as Prometheus sends it', () => {
  const raw = body([
    {
      labels: [label('__name__', 'http_requests_total'), label('code', '200'), label('job', 'api')],
      samples: [
        { value: 1, timestamp: 1_700_000_000_000 },
        { value: 2.5, timestamp: 1_700_000_015_000 },
      ],
      exemplars: [{ labels: [label('trace_id', 'abc')], value: 1, timestamp: 1_700_000_000_000 }],
    },
    { labels: [label('__name__', 'up'), label('instance', 'a:9100')], samples: [{ value: -Infinity, timestamp: -5 }] },
  ]);
  const result = decodeRemoteWriteBody(compressSync(raw), { contentEncoding: 'snappy' }, limits);
  assert.deepEqual(result.rejected, []);
  assert.equal(result.samples, 3);
  assert.deepEqual(fromSampleBatch(result.batch), [
    {
      labels: { __name__: 'http_requests_total', code: '200', job: 'api' },
      samples: [
        { t: 1_700_000_000_000, v: 1 },
        { t: 1_700_000_015_000, v: 2.5 },
      ],
    },
    { labels: { __name__: 'up', instance: 'a:9100' }, samples: [{ t: -5, v: -Infinity }] },
  ]);
});

test('keeps the staleness marker bits', () => {
  const w = new ProtoWriter();
  w.message(1, (ts) => {
    ts.message(1, (l) => l.string(1, '__name__').string(2, 'up'));
    ts.message(2, (s) => s.fixed64(1, 0x7ff0000000000002n).uint(2, 10));
  });
  const result = decodeWriteRequest(w.finish());
  assert.equal(fromSampleBatch(result.batch)[0].samples[0].t, 10);
  assert.ok(isStaleNaN(fromSampleBatch(result.batch)[0].samples[0].v));
});

test('rejects bad series with messages naming the problem, keeps the good ones', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ labels: [label('job', 'x')], samples: [{ value: 1, timestamp: 1 }] }, /missing metric name/],
    [{ labels: [label('__name__', 'a-b')], samples: [{ value: 1, timestamp: 1 }] }, /invalid metric name "a-b"/],
    [{ labels: [label('__name__', 'a'), label('bad-name', 'x')], samples: [{ value: 1, timestamp: 1 }] }, /invalid label name "bad-name"/],
    [{ labels: [label('__name__', 'a'), label('z', '1'), label('b', '2')], samples: [{ value: 1, timestamp: 1 }] }, /not sorted.*"b" after "z"/],
    [{ labels: [label('__name__', 'a'), label('b', '1'), label('b', '2')], samples: [{ value: 1, timestamp: 1 }] }, /duplicate label name "b"/],
    [
      { labels: [label('__name__', 'h')], histograms: [{ countInt: 1, sum: 1, schema: 0, timestamp: 1 }] },
      /native histograms are not supported/,
    ],
  ];
  const good = { labels: [label('__name__', 'ok'), label('empty', '')], samples: [{ value: 1, timestamp: 1 }] };
  const result = decodeWriteRequest(body([...cases.map((c) => c[0]), good]));
  assert.equal(result.rejected.length, cases.length);
  cases.forEach(([, re], i) => {
    assert.equal(result.rejected[i].index, i);
    assert.match(result.rejected[i].reason, re);
  });
  assert.deepEqual(fromSampleBatch(result.batch), [{ labels: { __name__: 'ok' }, samples: [{ t: 1, v: 1 }] }]);
});

test('invalid UTF-8 in a label value rejects the series, naming the label', () => {
  const w = new ProtoWriter();
  w.message(1, (ts) => {
    ts.message(1, (l) => l.string(1, '__name__').string(2, 'up'));
    ts.message(1, (l) => l.string(1, 'job').bytes(2, Buffer.from([0xff, 0xfe])));
    ts.message(2, (s) => s.uint(2, 5));
  });
  const result = decodeWriteRequest(w.finish());
  assert.equal(fromSampleBatch(result.batch).length, 0);
  assert.match(result.rejected[0].reason, /invalid UTF-8 in the value of label "job"/);
});

test('refuses malformed, wrongly encoded and remote write 2.0 bodies', () => {
  const raw = body([{ labels: [label('__name__', 'up')], samples: [{ value: 1, timestamp: 1 }] }]);
  assert.throws(() => decodeWriteRequest(raw.subarray(0, raw.length - 3)), { code: 'VIGIL_ERR_BODY_MALFORMED' });
  assert.throws(() => decodeRemoteWriteBody(raw, { contentEncoding: 'snappy' }, limits), { code: 'VIGIL_ERR_BODY_MALFORMED' });
  assert.throws(() => decodeRemoteWriteBody(compressSync(raw), { contentEncoding: 'gzip' }, limits), {
    code: 'VIGIL_ERR_ENCODING_UNSUPPORTED',
  });
  assert.throws(
    () => decodeRemoteWriteBody(compressSync(raw), { contentType: 'application/x-protobuf;proto=io.prometheus.write.v2.Request' }, limits),
    { code: 'VIGIL_ERR_CONTENT_TYPE' },
  );
  assert.throws(() => decodeRemoteWriteBody(compressSync(raw), {}, { maxBytes: 4 }), { code: 'VIGIL_ERR_BODY_TOO_LARGE' });
});

test('metric metadata (field 3) is returned with Prometheus type names', () => {
  const type = remoteWriteType();
  const raw = Buffer.from(
    type
      .encode(
        type.fromObject({
          metadata: [
            { type: 'COUNTER', metric_family_name: 'http_requests_total', help: 'Requests served.', unit: '' },
            { type: 'HISTOGRAM', metric_family_name: 'http_request_duration_seconds', help: 'Latency.', unit: 'seconds' },
          ],
        }),
      )
      .finish(),
  );
  const result = decodeWriteRequest(raw);
  assert.deepEqual(result.metadata, [
    { family: 'http_requests_total', type: 'counter', help: 'Requests served.', unit: '' },
    { family: 'http_request_duration_seconds', type: 'histogram', help: 'Latency.', unit: 'seconds' },
  ]);
  assert.equal(result.samples, 0);
});
