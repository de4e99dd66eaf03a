import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedactor } from '@vigil/sdk/redact';
import { normalisePush, type NormaliseLimits } from './normalise.ts';

const dayMs = 86_400_000;
const nowMs = Date.UTC(2026, 10, 30, 12);
const nowNs = BigInt(nowMs) * 1_000_000n;
const limits: NormaliseLimits = {
  maxLabelsPerStream: 4,
  maxLabelNameLength: 20,
  maxLabelValueLength: 30,
  maxLineBytes: 150,
  futureGraceMs: 600_000,
  retentionMs: { standard: 30 * dayMs, security: 90 * dayMs, audit: 90 * dayMs },
};
const redactor = createRedactor();

test('recognised fields are found under the names common loggers use', () => {
  const line = JSON.stringify({ level: 50, msg: 'boom', reqId: 'r-1', traceId: 'abc', statusCode: 502, responseTime: 12.5, event: 'x.y' });
  const { batches, rejected } = normalisePush({ streams: [{ labels: { job: 'api' }, entries: [{ tsNs: nowNs, line }] }] }, limits, redactor, nowMs);
  assert.deepEqual(rejected, []);
  const [record] = batches[0].records;
  assert.equal(record.severity, 'ERROR');
  assert.equal(record.category, 'standard');
  assert.deepEqual(record.fields, { request_id: 'r-1', trace_id: 'abc', event: 'x.y', status: '502', duration_ms: '12.5' });
});

test('streams get service (from job, app…) and env', () => {
  const { batches } = normalisePush(
    { streams: [{ labels: { app: 'sms', environment: 'prod' }, entries: [{ tsNs: nowNs, line: 'plain text' }] }] },
    limits,
    redactor,
    nowMs,
  );
  assert.deepEqual(batches[0].labels, { app: 'sms', environment: 'prod', service: 'sms', env: 'prod' });
  const unnamed = normalisePush({ streams: [{ labels: {}, entries: [{ tsNs: nowNs, line: 'x' }] }] }, limits, redactor, nowMs);
  assert.equal(unnamed.batches[0].labels.service, 'unknown_service');
});

test('category from the line decides retention class; severity from metadata or labels', () => {
  const { batches } = normalisePush(
    {
      streams: [
        {
          labels: { service: 'auth', level: 'warn' },
          entries: [
            { tsNs: nowNs, line: '{"category":"security","msg":"login failed"}' },
            { tsNs: nowNs, line: 'text', metadata: { severity: 'critical', category: 'audit' } },
          ],
        },
      ],
    },
    limits,
    redactor,
    nowMs,
  );
  const [a, b] = batches[0].records;
  assert.equal(a.category, 'security');
  assert.equal(a.severity, 'WARNING');
  assert.equal(b.category, 'audit');
  assert.equal(b.severity, 'CRITICAL');
  assert.equal(b.metadata, undefined, 'recognised metadata is not stored twice');
});

test('lines and metadata are redacted before they are stored', () => {
  const { batches } = normalisePush(
    {
      streams: [
        {
          labels: { service: 'api' },
          entries: [{ tsNs: nowNs, line: '{"password":"hunter2","msg":"to a@b.co"}', metadata: { caller: '+14155552671', authorization: 'Basic dXNlcjpwYXNz' } }],
        },
      ],
    },
    limits,
    redactor,
    nowMs,
  );
  const [record] = batches[0].records;
  assert.ok(!record.line.includes('hunter2'));
  assert.ok(!record.line.includes('a@b.co'));
  assert.ok(!record.metadata!.caller.includes('4155552671'));
  assert.equal(record.metadata!.authorization, '[REDACTED]');
});

test('bad entries are rejected one by one with a reason; good ones go on', () => {
  const old = nowNs - BigInt(31 * dayMs) * 1_000_000n;
  const future = nowNs + BigInt(11 * 60_000) * 1_000_000n;
  const { batches, rejected } = normalisePush(
    {
      streams: [
        {
          labels: { service: 'api' },
          entries: [
            { tsNs: nowNs, line: 'good' },
            { tsNs: nowNs, line: 'x'.repeat(151) },
            { tsNs: old, line: 'too old for standard' },
            { tsNs: old, line: '{"category":"audit","msg":"kept 90 days"}' },
            { tsNs: future, line: 'from the future' },
          ],
        },
        { labels: { 'bad-name': 'x' }, entries: [{ tsNs: nowNs, line: 'a' }] },
        { labels: { a: '1', b: '2', c: '3', d: '4', e: '5' }, entries: [{ tsNs: nowNs, line: 'a' }] },
        { labels: { service: 'y'.repeat(31) }, entries: [{ tsNs: nowNs, line: 'a' }] },
        { labels: { ['n'.repeat(21)]: 'x' }, entries: [{ tsNs: nowNs, line: 'a' }] },
      ],
    },
    limits,
    redactor,
    nowMs,
  );
  assert.deepEqual(batches[0].records.map((r) => r.line), ['good', '{"category":"audit","msg":"kept 90 days"}']);
  assert.deepEqual(
    rejected.map((r) => `${r.stream}/${r.entry}/${r.reason}`),
    [
      '0/1/line_too_long',
      '0/2/timestamp_too_old',
      '0/4/timestamp_in_future',
      '1/0/invalid_label_name',
      '2/0/too_many_labels',
      '3/0/label_value_too_long',
      '4/0/label_name_too_long',
    ],
  );
  assert.match(rejected[0].message, /limits.max_line_bytes/);
});
