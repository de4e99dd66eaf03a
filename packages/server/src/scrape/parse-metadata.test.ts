import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Registry, type RegistryContentType } from 'prom-client';
import { parseExpositionWithMetadata } from './parse.ts';

test('text format: TYPE and HELP per family, HELP unescaped, untyped read as unknown', () => {
  const body = [
    '# HELP http_requests_total Requests served.\\nBy route, with a \\\\ backslash and a \\q kept.',
    '# TYPE http_requests_total counter',
    'http_requests_total{route="/"} 3',
    '# TYPE legacy untyped',
    'legacy 1',
    '# HELP only_help Has no TYPE line.',
    'only_help 2',
    'no_metadata 4',
  ].join('\n');
  const { samples, metadata } = parseExpositionWithMetadata(body, 'prometheus-text');
  assert.equal(samples.length, 4);
  assert.deepEqual(Object.fromEntries(metadata), {
    http_requests_total: { type: 'counter', help: 'Requests served.\nBy route, with a \\ backslash and a \\q kept.', unit: '' },
    legacy: { type: 'unknown', help: '', unit: '' },
    only_help: { type: 'unknown', help: 'Has no TYPE line.', unit: '' },
  });
});

test('OpenMetrics: TYPE, HELP and UNIT under the family name', () => {
  const body = [
    '# TYPE request_duration_seconds histogram',
    '# UNIT request_duration_seconds seconds',
    '# HELP request_duration_seconds How long a "request" took.',
    'request_duration_seconds_bucket{le="+Inf"} 1',
    'request_duration_seconds_count 1',
    'request_duration_seconds_sum 0.5',
    '# TYPE jobs counter',
    'jobs_total 7',
    '# EOF',
  ].join('\n');
  const { metadata } = parseExpositionWithMetadata(body, 'openmetrics-text');
  assert.deepEqual(metadata.get('request_duration_seconds'), { type: 'histogram', help: 'How long a "request" took.', unit: 'seconds' });
  assert.deepEqual(metadata.get('jobs'), { type: 'counter', help: '', unit: '' });
});

test("a real prom-client registry's HELP comes back as the client wrote it", async () => {
  const registry = new Registry<RegistryContentType>();
  new Counter({ name: 'jobs_total', help: 'Jobs.\nSecond line with a \\ backslash', registers: [registry] }).inc();
  const { metadata } = parseExpositionWithMetadata(await registry.metrics(), 'prometheus-text');
  assert.deepEqual(metadata.get('jobs_total'), { type: 'counter', help: 'Jobs.\nSecond line with a \\ backslash', unit: '' });
});
