import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError } from '../../errors.ts';
import { readConformanceJson } from '../testing.ts';
import { decodeOtlpLogsJson } from './decode-json.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

/** The metadata both conformance examples get from their resource and scope. */
const SCOPE_META = { 'my.scope.attribute': 'some scope attribute', scope_name: 'my.library', scope_version: '1.0.0' };

function oneRecord(record: Record<string, unknown>, resource: Array<[string, unknown]> = [['service.name', { stringValue: 'svc' }]]) {
  return json({
    resourceLogs: [
      {
        resource: { attributes: resource.map(([key, value]) => ({ key, value })) },
        scopeLogs: [{ logRecords: [record] }],
      },
    ],
  });
}

function malformed(text: RegExp) {
  return (err: unknown) => {
    assert.ok(isVigilError(err), String(err));
    assert.equal(err.code, 'VIGIL_ERR_BODY_MALFORMED');
    assert.match(err.message, text);
    return true;
  };
}

describe('decodeOtlpLogsJson on the conformance examples', () => {
  it('decodes examples/logs.json', () => {
    const { request, rejected } = decodeOtlpLogsJson(readConformanceJson('otlp/examples/logs.json'));
    assert.deepEqual(rejected, []);
    assert.deepEqual(request, {
      streams: [
        {
          labels: { service: 'my.service' },
          entries: [
            {
              tsNs: 1544712660300000000n,
              line: 'Example log record',
              metadata: {
                ...SCOPE_META,
                'string.attribute': 'some string',
                'boolean.attribute': 'true',
                'int.attribute': '10',
                'double.attribute': '637.704',
                'array.attribute': '["many","values"]',
                'map.attribute.some.map.key': 'some value',
                severity: 'INFO',
                trace_id: '5b8efff798038103d269b633813fc60c',
                span_id: 'eee19b7ec3c1b174',
              },
            },
          ],
        },
      ],
    });
  });

  it('decodes examples/events.json: event name, map body as JSON', () => {
    const { request, rejected } = decodeOtlpLogsJson(readConformanceJson('otlp/examples/events.json'));
    assert.deepEqual(rejected, []);
    const [entry] = request.streams[0].entries;
    assert.deepEqual(request.streams[0].labels, { service: 'my.service' });
    assert.deepEqual(JSON.parse(entry.line), {
      type: 0,
      url: 'https://www.guidgenerator.com/online-guid-generator.aspx',
      referrer: 'https://wwww.google.com',
      title: 'Free Online GUID Generator',
    });
    assert.deepEqual(entry.metadata, {
      ...SCOPE_META,
      'event.attribute': 'some event attribute',
      // "test severity text" is no known level, so severityNumber 9 decides.
      severity: 'INFO',
      event: 'browser.page_view',
    });
  });
});

describe('decodeOtlpLogsJson mapping', () => {
  it('turns allow-listed resource attributes into labels and the rest into metadata', () => {
    const body = oneRecord({ timeUnixNano: '5', body: { stringValue: 'x' } }, [
      ['service.name', { stringValue: 'checkout' }],
      ['deployment.environment', { stringValue: 'old' }],
      ['deployment.environment.name', { stringValue: 'prod' }],
      ['service.namespace', { stringValue: 'shop' }],
      ['service.instance.id', { stringValue: 'i-1' }],
      ['host.name', { stringValue: 'h1' }],
      ['k8s.namespace.name', { stringValue: 'ns' }],
      ['k8s.pod.name', { stringValue: 'pod' }],
      ['k8s.container.name', { stringValue: 'c' }],
      ['telemetry.sdk.language', { stringValue: 'nodejs' }],
      ['process.pid', { intValue: 42 }],
    ]);
    const { request } = decodeOtlpLogsJson(body);
    assert.deepEqual(request.streams[0].labels, {
      service: 'checkout',
      env: 'prod',
      service_namespace: 'shop',
      instance: 'i-1',
      host_name: 'h1',
      k8s_namespace_name: 'ns',
      k8s_pod_name: 'pod',
      k8s_container_name: 'c',
    });
    assert.deepEqual(request.streams[0].entries[0].metadata, { 'telemetry.sdk.language': 'nodejs', 'process.pid': '42' });
  });

  it('falls back to observedTimeUnixNano, then to the receive time', () => {
    const observed = decodeOtlpLogsJson(oneRecord({ timeUnixNano: '0', observedTimeUnixNano: 1700000000000 }));
    assert.equal(observed.request.streams[0].entries[0].tsNs, 1700000000000n);
    const none = decodeOtlpLogsJson(oneRecord({ body: { stringValue: 'x' } }));
    assert.deepEqual(none.rejected.map((r) => r.reason), ['missing_timestamp']);
    const received = decodeOtlpLogsJson(oneRecord({ body: { stringValue: 'x' } }), { receivedAtNs: 99n });
    assert.equal(received.request.streams[0].entries[0].tsNs, 99n);
  });

  it('derives severity from text, then number, else keeps the text', () => {
    const severity = (record: Record<string, unknown>) =>
      decodeOtlpLogsJson(oneRecord({ timeUnixNano: '1', ...record })).request.streams[0].entries[0].metadata?.severity;
    assert.equal(severity({ severityText: 'WARN', severityNumber: 17 }), 'WARNING');
    assert.equal(severity({ severityNumber: 17 }), 'ERROR');
    assert.equal(severity({ severityNumber: '21' }), 'CRITICAL');
    assert.equal(severity({ severityText: 'Verbose' }), 'Verbose');
    assert.equal(severity({ severityNumber: 0 }), undefined);
  });

  it('encodes non-string bodies as JSON', () => {
    const line = (body: unknown) => decodeOtlpLogsJson(oneRecord({ timeUnixNano: '1', body })).request.streams[0].entries[0].line;
    assert.equal(line({ intValue: '9007199254740993' }), '9007199254740993');
    assert.equal(line({ doubleValue: 'NaN' }), '"NaN"');
    assert.equal(line({ boolValue: false }), 'false');
    assert.equal(line({ bytesValue: 'AAE=' }), '"AAE="');
    assert.equal(line({ arrayValue: { values: [{ intValue: 1 }, {}, { stringValue: 'a' }] } }), '[1,null,"a"]');
    assert.equal(line(undefined), '');
  });

  it('omits empty and all-zero ids and lowercases hex', () => {
    const meta = (record: Record<string, unknown>) =>
      decodeOtlpLogsJson(oneRecord({ timeUnixNano: '1', ...record })).request.streams[0].entries[0].metadata ?? {};
    assert.deepEqual(meta({ traceId: '', spanId: '' }), {});
    assert.deepEqual(meta({ traceId: '0'.repeat(32), spanId: '0'.repeat(16) }), {});
    assert.deepEqual(meta({ traceId: 'AB'.repeat(16), spanId: 'Cd'.repeat(8) }), { trace_id: 'ab'.repeat(16), span_id: 'cd'.repeat(8) });
  });

  it('rejects bad records alone', () => {
    const body = json({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: '1', body: { stringValue: 'ok' } },
                'not a record',
                { timeUnixNano: -1 },
                { timeUnixNano: '1', traceId: 'xyz' },
                { timeUnixNano: '1', spanId: 'abcd' },
                { timeUnixNano: '1', body: { stringValue: 5 } },
                { timeUnixNano: '1', attributes: [{ key: 1 }] },
                { timeUnixNano: '1', attributes: [{ key: 'i', value: { intValue: '1.5' } }] },
              ],
            },
          ],
        },
      ],
    });
    const { request, rejected } = decodeOtlpLogsJson(body);
    assert.deepEqual(request.streams[0].entries.map((e) => e.line), ['ok']);
    assert.deepEqual(
      rejected.map((r) => [r.stream, r.entry, r.reason]),
      [
        [0, 1, 'bad_record'],
        [0, 2, 'bad_timestamp'],
        [0, 3, 'bad_trace_id'],
        [0, 4, 'bad_span_id'],
        [0, 5, 'bad_body'],
        [0, 6, 'bad_attributes'],
        [0, 7, 'bad_attributes'],
      ],
    );
    assert.match(rejected[0].message, /resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[1\]/);
  });

  it('numbers streams by ScopeLogs in body order', () => {
    const scope = (line: string, bad = false) => ({ logRecords: [{ timeUnixNano: bad ? 'x' : '1', body: { stringValue: line } }] });
    const body = json({ resourceLogs: [{ scopeLogs: [scope('a'), scope('b', true)] }, { scopeLogs: [scope('c', true)] }] });
    const { request, rejected } = decodeOtlpLogsJson(body);
    assert.equal(request.streams.length, 1);
    assert.deepEqual(rejected.map((r) => [r.stream, r.entry]), [[1, 0], [2, 0]]);
  });

  it('refuses broken structure above the records', () => {
    assert.throws(() => decodeOtlpLogsJson(Buffer.from('nope')), malformed(/not valid JSON/));
    assert.throws(() => decodeOtlpLogsJson(json([])), malformed(/must be a JSON object/));
    assert.throws(() => decodeOtlpLogsJson(json({ resourceLogs: {} })), malformed(/resourceLogs is not an array/));
    assert.throws(() => decodeOtlpLogsJson(json({ resourceLogs: [{ scopeLogs: 1 }] })), malformed(/resourceLogs\[0\]\.scopeLogs is not an array/));
    assert.throws(
      () => decodeOtlpLogsJson(json({ resourceLogs: [{ resource: { attributes: [{ key: 'a', value: { stringValue: 1 } }] } }] })),
      malformed(/resourceLogs\[0\]\.resource\.attributes/),
    );
  });

  it('accepts empty requests and ignores unknown fields', () => {
    assert.deepEqual(decodeOtlpLogsJson(json({})), { request: { streams: [] }, rejected: [] });
    const { request } = decodeOtlpLogsJson(oneRecord({ timeUnixNano: '1', somethingNew: true, body: { stringValue: 'x', future: 1 } }));
    assert.equal(request.streams[0].entries[0].line, 'x');
  });
});
