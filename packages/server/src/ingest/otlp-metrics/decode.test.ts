import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStaleNaN, type Series } from '../../tsdb/model.ts';
import { encodeWith, otlpJsonToMessage, readConformanceJson } from '../testing.ts';
import { decodeOtlpMetricsJson } from './decode-json.ts';
import { decodeOtlpMetricsProtobuf } from './decode-protobuf.ts';
import { prometheusLabelName, prometheusMetricName } from './naming.ts';
import { otlpMetricsType } from './testing.ts';

const T = 1544712660300;

function byName(series: Series[]): Record<string, Series[]> {
  const out: Record<string, Series[]> = {};
  for (const s of series) (out[s.labels.__name__] ??= []).push(s);
  return out;
}

function toProtobuf(doc: unknown): Buffer {
  return encodeWith(otlpMetricsType(), otlpJsonToMessage(doc));
}

test('the conformance example: gauge kept, delta sums/histograms and exponential histograms rejected with a message', () => {
  const json = readConformanceJson('otlp/examples/metrics.json');
  const result = decodeOtlpMetricsJson(json);
  assert.deepEqual(result.series, [
    {
      labels: {
        __name__: 'my_gauge_ratio',
        job: 'my.service',
        my_gauge_attr: 'some value',
        otel_scope_name: 'my.library',
        otel_scope_version: '1.0.0',
      },
      samples: [{ t: T, v: 10 }],
    },
  ]);
  assert.equal(result.rejectedDataPoints, 3);
  assert.match(result.errorMessage, /"my.counter" has delta temporality; only cumulative is accepted/);
  assert.match(result.errorMessage, /"my.histogram" has delta/);
  assert.match(result.errorMessage, /exponential histogram "my.exponential.histogram" is not supported/);
  // The same document as protobuf, encoded by protobufjs, decodes the same.
  assert.deepEqual(decodeOtlpMetricsProtobuf(toProtobuf(JSON.parse(json.toString()))), result);
});

test('the example with cumulative temporality: _total counter, histogram buckets, _sum and _count', () => {
  const doc = JSON.parse(readConformanceJson('otlp/examples/metrics.json').toString());
  for (const m of doc.resourceMetrics[0].scopeMetrics[0].metrics) {
    for (const k of ['sum', 'histogram']) if (m[k]) m[k].aggregationTemporality = 2;
  }
  for (const result of [decodeOtlpMetricsJson(Buffer.from(JSON.stringify(doc))), decodeOtlpMetricsProtobuf(toProtobuf(doc))]) {
    const s = byName(result.series);
    assert.deepEqual(Object.keys(s).sort(), [
      'my_counter_total',
      'my_gauge_ratio',
      'my_histogram_bucket',
      'my_histogram_count',
      'my_histogram_sum',
    ]);
    assert.deepEqual(s.my_counter_total[0].samples, [{ t: T, v: 5 }]);
    assert.equal(s.my_counter_total[0].labels.my_counter_attr, 'some value');
    assert.deepEqual(
      s.my_histogram_bucket.map((x) => [x.labels.le, x.samples[0].v]),
      [['1', 1], ['+Inf', 2]],
    );
    assert.equal(s.my_histogram_sum[0].samples[0].v, 2);
    assert.equal(s.my_histogram_count[0].samples[0].v, 2);
    assert.equal(result.rejectedDataPoints, 1); // the exponential histogram
  }
});

test('resource attributes: job, instance and target_info; units, staleness, summaries', () => {
  const attr = (key: string, stringValue: string) => ({ key, value: { stringValue } });
  const doc = {
    resourceMetrics: [
      {
        resource: {
          attributes: [
            attr('service.name', 'checkout'),
            attr('service.namespace', 'shop'),
            attr('service.instance.id', 'pod-1'),
            attr('host.name', 'node-7'),
            attr('deployment.environment.name', 'prod'),
          ],
        },
        scopeMetrics: [
          {
            metrics: [
              {
                name: 'http.server.request.duration',
                unit: 's',
                histogram: {
                  aggregationTemporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE',
                  dataPoints: [
                    {
                      timeUnixNano: '1700000000000000000',
                      count: '6',
                      sum: 1.5,
                      bucketCounts: ['1', '2', '3'],
                      explicitBounds: [0.1, 0.5],
                      attributes: [attr('http.route', '/pay'), { key: 'http.response.status_code', value: { intValue: '200' } }],
                    },
                  ],
                },
              },
              {
                name: 'process.memory.usage',
                unit: 'By',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: false,
                  dataPoints: [
                    { timeUnixNano: '1700000000000000000', asInt: '1048576' },
                    { timeUnixNano: '1700000015000000000', asInt: '0', flags: 1 },
                  ],
                },
              },
              {
                name: 'rpc.latency',
                unit: 'ms',
                summary: {
                  dataPoints: [
                    {
                      timeUnixNano: '1700000000000000000',
                      count: '10',
                      sum: 50,
                      quantileValues: [{ quantile: 0.5, value: 4 }, { quantile: 0.99, value: 20 }],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
  for (const result of [decodeOtlpMetricsJson(Buffer.from(JSON.stringify(doc))), decodeOtlpMetricsProtobuf(toProtobuf(doc))]) {
    assert.equal(result.errorMessage, '');
    const s = byName(result.series);
    const buckets = s.http_server_request_duration_seconds_bucket;
    assert.deepEqual(
      buckets.map((b) => [b.labels.le, b.samples[0].v]),
      [['0.1', 1], ['0.5', 3], ['+Inf', 6]],
    );
    assert.deepEqual(buckets[0].labels, {
      __name__: 'http_server_request_duration_seconds_bucket',
      http_route: '/pay',
      http_response_status_code: '200',
      job: 'shop/checkout',
      instance: 'pod-1',
      le: '0.1',
    });
    assert.equal(s.http_server_request_duration_seconds_sum[0].samples[0].v, 1.5);
    const mem = s.process_memory_usage_bytes[0].samples;
    assert.equal(mem[0].v, 1048576);
    assert.ok(isStaleNaN(mem[1].v));
    assert.deepEqual(s.rpc_latency_milliseconds.map((x) => [x.labels.quantile, x.samples[0].v]), [['0.5', 4], ['0.99', 20]]);
    assert.deepEqual(s.target_info, [
      {
        labels: { __name__: 'target_info', job: 'shop/checkout', instance: 'pod-1', host_name: 'node-7', deployment_environment_name: 'prod' },
        samples: [{ t: 1700000015000, v: 1 }],
      },
    ]);
  }
});

test('OTel → Prometheus metric and label names', () => {
  assert.equal(prometheusMetricName('http.server.duration', 's', 'histogram'), 'http_server_duration_seconds');
  assert.equal(prometheusMetricName('requests', '1', 'counter'), 'requests_total');
  assert.equal(prometheusMetricName('requests.total', '', 'counter'), 'requests_total');
  assert.equal(prometheusMetricName('cpu.utilization', '1', 'gauge'), 'cpu_utilization_ratio');
  assert.equal(prometheusMetricName('net.io', 'By', 'counter'), 'net_io_bytes_total');
  assert.equal(prometheusMetricName('queue.size', '{messages}', 'gauge'), 'queue_size');
  assert.equal(prometheusMetricName('speed', 'm/s', 'gauge'), 'speed_meters_per_second');
  assert.equal(prometheusMetricName('latency_seconds', 's', 'gauge'), 'latency_seconds');
  assert.equal(prometheusMetricName('2xx.count', '', 'gauge'), '_2xx_count');
  assert.equal(prometheusLabelName('http.method'), 'http_method');
  assert.equal(prometheusLabelName('0day'), 'key_0day');
  assert.equal(prometheusLabelName('_private'), 'key_private');
});

test('malformed bodies are refused naming the path', () => {
  assert.throws(() => decodeOtlpMetricsJson(Buffer.from('{"resourceMetrics":[{"scopeMetrics":{}}]}')), /resourceMetrics\[0\]\.scopeMetrics is not an array/);
  assert.throws(
    () => decodeOtlpMetricsJson(Buffer.from('{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"dataPoints":[{"asDouble":"x"}]}}]}]}]}')),
    /asDouble must be a number/,
  );
  assert.throws(() => decodeOtlpMetricsProtobuf(Buffer.from([0x0a, 0x05, 0x01])), { code: 'VIGIL_ERR_BODY_MALFORMED' });
});
