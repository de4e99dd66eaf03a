import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeWith, otlpJsonToMessage, readConformanceJson } from '../testing.ts';
import { decodeOtlpMetricsJson } from './decode-json.ts';
import { decodeOtlpMetricsProtobuf } from './decode-protobuf.ts';
import { otlpMetricsType } from './testing.ts';

test('each family taken gets its metadata: type from the point kind, description as HELP, Prometheus unit', () => {
  const doc = JSON.parse(readConformanceJson('otlp/examples/metrics.json').toString());
  const metrics = doc.resourceMetrics[0].scopeMetrics[0].metrics;
  for (const m of metrics) {
    for (const k of ['sum', 'histogram']) if (m[k]) m[k].aggregationTemporality = 2;
  }
  metrics.push({ name: 'queue.size', unit: 'By', description: 'Bytes queued', sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: [{ asInt: '3', timeUnixNano: '1544712660300000000' }] } });
  const json = decodeOtlpMetricsJson(Buffer.from(JSON.stringify(doc)));
  assert.deepEqual(Object.fromEntries(json.metadata), {
    my_counter_total: { type: 'counter', help: 'I am a Counter', unit: '' },
    my_gauge_ratio: { type: 'gauge', help: 'I am a Gauge', unit: 'ratio' },
    my_histogram: { type: 'histogram', help: 'I am a Histogram', unit: '' },
    queue_size_bytes: { type: 'gauge', help: 'Bytes queued', unit: 'bytes' },
  });
  const protobuf = decodeOtlpMetricsProtobuf(encodeWith(otlpMetricsType(), otlpJsonToMessage(doc)));
  assert.deepEqual(protobuf.metadata, json.metadata);
});

test('rejected metrics (delta temporality, exponential histograms) leave no metadata', () => {
  const result = decodeOtlpMetricsJson(readConformanceJson('otlp/examples/metrics.json'));
  assert.deepEqual([...result.metadata.keys()], ['my_gauge_ratio']);
});
