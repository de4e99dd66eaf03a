import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { isVigilError } from '../../errors.ts';
import { ProtoWriter } from '../protobuf-writer.ts';
import { encodeWith, otlpJsonToMessage, otlpType, readConformanceJson } from '../testing.ts';
import { decodeOtlpLogsJson } from './decode-json.ts';
import { decodeOtlpLogsProtobuf } from './decode-protobuf.ts';

function protobufOf(example: string): Buffer {
  const doc: unknown = JSON.parse(readConformanceJson(example).toString());
  return encodeWith(otlpType(), otlpJsonToMessage(doc));
}

/** A ResourceLogs > ScopeLogs > LogRecord body built by hand, for wire-level cases. */
function oneRecord(writeRecord: (w: ProtoWriter) => void, writeResource?: (w: ProtoWriter) => void): Buffer {
  return new ProtoWriter()
    .message(1, (rl) => {
      rl.message(2, (sl) => sl.message(2, writeRecord));
      if (writeResource) rl.message(1, writeResource); // after scope_logs on purpose
    })
    .finish();
}

const str = (key: string, value: string | Buffer) => (kv: ProtoWriter) =>
  kv.string(1, key).message(2, (v) => (typeof value === 'string' ? v.string(1, value) : v.bytes(1, value)));

describe('decodeOtlpLogsProtobuf', () => {
  for (const example of ['otlp/examples/logs.json', 'otlp/examples/events.json']) {
    it(`decodes ${example} encoded by protobufjs exactly as the JSON decoder does`, () => {
      const fromProtobuf = decodeOtlpLogsProtobuf(protobufOf(example));
      assert.deepEqual(fromProtobuf, decodeOtlpLogsJson(readConformanceJson(example)));
      assert.equal(fromProtobuf.request.streams[0].entries.length, 1);
    });
  }

  it('reads bodies from the OpenTelemetry JS SDK exporters, protobuf and JSON alike', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout', 'host.name': 'h1', 'process.pid': 7 }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger('orders', '2.1.0');
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    logger.emit({
      timestamp: new Date(1_700_000_000_123),
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'payment slow',
      attributes: { 'http.status': 503, retry: true, tags: ['a', 'b'], nested: { x: 1.5 } },
      context: trace.setSpanContext(context.active(), spanContext),
    });
    logger.emit({ timestamp: 1_700_000_000_500, severityNumber: SeverityNumber.ERROR, body: { order: 17, ok: false } });
    await provider.forceFlush();
    const records = exporter.getFinishedLogRecords();
    const fromProtobuf = decodeOtlpLogsProtobuf(Buffer.from(ProtobufLogsSerializer.serializeRequest(records) ?? []));
    const fromJson = decodeOtlpLogsJson(Buffer.from(JsonLogsSerializer.serializeRequest(records) ?? []));
    assert.deepEqual(fromProtobuf, fromJson);
    assert.deepEqual(fromProtobuf.rejected, []);
    const [stream] = fromProtobuf.request.streams;
    assert.deepEqual(stream.labels, { service: 'checkout', host_name: 'h1' });
    const [first, second] = stream.entries;
    assert.equal(first.tsNs, 1_700_000_000_123_000_000n);
    assert.equal(first.line, 'payment slow');
    assert.equal(first.metadata?.severity, 'WARNING');
    assert.equal(first.metadata?.trace_id, spanContext.traceId);
    assert.equal(first.metadata?.span_id, spanContext.spanId);
    assert.equal(first.metadata?.['http.status'], '503');
    assert.equal(first.metadata?.tags, '["a","b"]');
    assert.equal(first.metadata?.['nested.x'], '1.5');
    assert.equal(first.metadata?.scope_name, 'orders');
    assert.equal(first.metadata?.['process.pid'], '7');
    assert.deepEqual(JSON.parse(second.line), { order: 17, ok: false });
    assert.equal(second.metadata?.severity, 'ERROR');
    await provider.shutdown();
  });

  it('applies a resource that follows its scope_logs', () => {
    const body = oneRecord(
      (r) => r.fixed64(1, 5n).message(5, (v) => v.string(1, 'x')),
      (res) => res.message(1, str('service.name', 'late')),
    );
    assert.deepEqual(decodeOtlpLogsProtobuf(body).request.streams, [
      { labels: { service: 'late' }, entries: [{ tsNs: 5n, line: 'x' }] },
    ]);
  });

  it('reads every AnyValue kind', () => {
    const body = oneRecord((r) =>
      r
        .fixed64(11, 7n)
        .message(6, (kv) => kv.string(1, 'b').message(2, (v) => v.bool(2, true)))
        .message(6, (kv) => kv.string(1, 'i').message(2, (v) => v.uint(3, -3)))
        .message(6, (kv) => kv.string(1, 'd').message(2, (v) => v.double(4, 0.25)))
        .message(6, (kv) => kv.string(1, 'y').message(2, (v) => v.bytes(7, Buffer.from([0, 1]))))
        .message(6, (kv) => kv.string(1, 'e').message(2, () => {}))
        .message(5, (v) => v.message(5, (arr) => arr.message(1, (x) => x.uint(3, 1)).message(1, (x) => x.string(1, 's')))),
    );
    const [entry] = decodeOtlpLogsProtobuf(body).request.streams[0].entries;
    assert.equal(entry.tsNs, 7n);
    assert.equal(entry.line, '[1,"s"]');
    assert.deepEqual(entry.metadata, { b: 'true', i: '-3', d: '0.25', y: 'AAE=' });
  });

  it('rejects a record with invalid UTF-8 or a bad id, keeping the others', () => {
    const body = new ProtoWriter()
      .message(1, (rl) =>
        rl.message(2, (sl) =>
          sl
            .message(2, (r) => r.fixed64(1, 1n).message(5, (v) => v.bytes(1, Buffer.from([0xe2, 0x82]))))
            .message(2, (r) => r.fixed64(1, 1n).message(6, str('k', Buffer.from([0xff]))))
            .message(2, (r) => r.fixed64(1, 1n).bytes(9, Buffer.alloc(5, 1)))
            .message(2, (r) => r.fixed64(1, 1n).bytes(9, Buffer.alloc(16)).bytes(10, Buffer.alloc(8)).string(12, 'ok')),
        ),
      )
      .finish();
    const { request, rejected } = decodeOtlpLogsProtobuf(body);
    assert.deepEqual(rejected.map((r) => [r.entry, r.reason]), [[0, 'invalid_utf8'], [1, 'invalid_utf8'], [2, 'bad_trace_id']]);
    assert.deepEqual(request.streams[0].entries, [{ tsNs: 1n, line: '', metadata: { event: 'ok' } }]);
  });

  it('refuses invalid UTF-8 in resource attributes', () => {
    const body = oneRecord((r) => r.fixed64(1, 1n), (res) => res.message(1, str('service.name', Buffer.from([0xc3]))));
    assert.throws(() => decodeOtlpLogsProtobuf(body), (err: unknown) => isVigilError(err) && /resource attributes/.test(err.message));
  });

  it('refuses AnyValues nested too deeply', () => {
    let nest = (v: ProtoWriter) => void v.string(1, 'leaf');
    for (let i = 0; i < 40; i++) {
      const inner = nest;
      nest = (v) => void v.message(5, (arr) => arr.message(1, inner));
    }
    assert.throws(() => decodeOtlpLogsProtobuf(oneRecord((r) => r.fixed64(1, 1n).message(5, nest))), /nested too deeply/);
  });

  it('refuses every truncation and random bytes with VigilErrors only', () => {
    const body = protobufOf('otlp/examples/logs.json');
    for (let n = 1; n < body.length; n++) {
      assert.throws(() => decodeOtlpLogsProtobuf(body.subarray(0, n)), (err: unknown) => isVigilError(err), `prefix ${n}`);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        try {
          decodeOtlpLogsProtobuf(Buffer.from(bytes));
        } catch (err) {
          assert.ok(isVigilError(err), String(err));
        }
      }),
    );
  });

  it('decodes an empty body as an empty request', () => {
    assert.deepEqual(decodeOtlpLogsProtobuf(Buffer.alloc(0)), { request: { streams: [] }, rejected: [] });
  });
});
