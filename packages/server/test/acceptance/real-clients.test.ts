/**
 * The clients teams already run push to Vigil unchanged; the lines come back
 * through the Loki query API with their labels, fields, order and tenant.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import pino from 'pino';
import pinoLoki from 'pino-loki';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { eventually, queryRange, removeDir, startVigil, type VigilProcess } from './vigil-process.ts';

let vigil: VigilProcess;

before(async () => {
  vigil = await startVigil();
});

after(async () => {
  await vigil.stop();
  removeDir(vigil.dataDir);
});

/** Lines of every stream in a query_range answer, oldest first, with their stream labels. */
async function linesOf(query: string, tenant: string, expected: number) {
  return eventually(async () => {
    const { status, body } = await queryRange(vigil.url, query, { tenant, direction: 'forward', categorize: true });
    assert.equal(status, 200, JSON.stringify(body));
    const lines = body.data.result.flatMap((s: any) =>
      s.values.map((v: [string, string, any]) => ({ ts: v[0], line: v[1], meta: v[2]?.structuredMetadata ?? {}, labels: s.stream })),
    );
    assert.equal(lines.length, expected, `expected ${expected} lines, got ${JSON.stringify(lines)}`);
    return lines.sort((a: any, b: any) => (BigInt(a.ts) < BigInt(b.ts) ? -1 : 1));
  });
}

test('pino-loki (JSON push) lines come back with labels, severity and request id', async () => {
  const stream = pinoLoki({
    host: vigil.url,
    batching: false,
    labels: { app: 'telephony', env: 'prod' },
    headers: { 'X-Scope-OrgID': 'pino-tenant' },
  });
  const logger = pino({ level: 'info' }, stream);
  logger.info({ request_id: 'req-1', event: 'call.started' }, 'call started');
  logger.error({ request_id: 'req-1', status: 502 }, 'twilio webhook failed');
  logger.warn({ request_id: 'req-2' }, 'slow response from +14155552671');
  const lines = await linesOf('{app="telephony"}', 'pino-tenant', 3);
  // pino stamps milliseconds, so lines may share a timestamp: find them by message
  const byMsg = (msg: string) => lines.find((l: any) => JSON.parse(l.line).msg.startsWith(msg));
  const started = byMsg('call started');
  const failed = byMsg('twilio webhook failed');
  const slow = byMsg('slow response');
  assert.equal(started.labels.service, 'telephony');
  assert.equal(started.labels.env, 'prod');
  assert.deepEqual([started.meta.severity, failed.meta.severity, slow.meta.severity], ['INFO', 'ERROR', 'WARNING']);
  assert.equal(failed.meta.request_id, 'req-1');
  assert.equal(failed.meta.status, '502');
  assert.equal(started.meta.event, 'call.started');
  assert.ok(!slow.line.includes('+14155552671'), `phone number not redacted: ${slow.line}`);
  assert.ok(BigInt(started.ts) <= BigInt(failed.ts) && BigInt(failed.ts) <= BigInt(slow.ts), 'timestamps keep the order of logging');
  // another tenant sees nothing
  const other = await queryRange(vigil.url, '{app="telephony"}', { tenant: 'someone-else' });
  assert.deepEqual(other.body.data.result, []);
});

test('winston-loki (protobuf + snappy push) lines come back in order', async () => {
  const transport = new LokiTransport({
    host: vigil.url,
    labels: { service: 'booking' },
    json: false,
    batching: false,
    replaceTimestamp: false,
    headers: { 'X-Scope-OrgID': 'winston-tenant' },
    format: winston.format.json(),
  } as any);
  const logger = winston.createLogger({ transports: [transport] });
  for (let i = 0; i < 5; i++) logger.info(`appointment ${i} booked`, { request_id: `r-${i}` });
  const lines = await linesOf('{service="booking"}', 'winston-tenant', 5);
  assert.deepEqual(
    lines.map((l: any) => JSON.parse(l.line).message),
    [0, 1, 2, 3, 4].map((i) => `appointment ${i} booked`),
  );
  assert.equal(lines[3].meta.request_id, 'r-3');
  assert.equal(lines[0].labels.service, 'booking');
  transport.close?.();
});

for (const [name, Exporter] of [
  ['OTLP/HTTP JSON', OtlpHttpJsonExporter],
  ['OTLP/HTTP protobuf', OtlpProtoExporter],
] as const) {
  test(`${name} exporter: resource attributes become labels, severity and trace ids are kept`, async () => {
    const tenant = name.includes('JSON') ? 'otlp-json' : 'otlp-proto';
    const exporter = new Exporter({ url: `${vigil.url}/v1/logs`, headers: { 'X-Scope-OrgID': tenant } });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'speech', 'deployment.environment': 'staging' }),
      processors: [new SimpleLogRecordProcessor({ exporter } as any)],
    });
    const logger = provider.getLogger('acceptance');
    const traceId = '5b8efff798038103d269b633813fc60c';
    const spanId = 'eee19b7ec3c1b174';
    const ctx = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: TraceFlags.SAMPLED });
    logger.emit({ severityNumber: SeverityNumber.INFO, body: 'transcription started', context: ctx });
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: 'transcription failed for jane@example.com',
      attributes: { request_id: 'stt-9' },
      context: ctx,
    });
    await provider.forceFlush();
    const lines = await linesOf('{service="speech"}', tenant, 2);
    assert.equal(lines[0].labels.env, 'staging');
    assert.equal(lines[0].line, 'transcription started');
    assert.deepEqual(lines.map((l: any) => l.meta.severity), ['INFO', 'ERROR']);
    assert.equal(lines[1].meta.trace_id, traceId);
    assert.equal(lines[1].meta.span_id, spanId);
    assert.equal(lines[1].meta.request_id, 'stt-9');
    assert.ok(!lines[1].line.includes('jane@example.com'), `e-mail not redacted: ${lines[1].line}`);
    await provider.shutdown();
  });
}
