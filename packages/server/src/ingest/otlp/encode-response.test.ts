import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import protobuf from 'protobufjs';
import { isVigilError } from '../../errors.ts';
import { otlpType } from '../testing.ts';
import { encodeOtlpLogsResponse, encodeRpcStatus, otlpEncodingOf } from './encode-response.ts';

const Response = () => otlpType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');
const Status = protobuf
  .parse('syntax = "proto3"; package google.rpc; message Status { int32 code = 1; string message = 2; }')
  .root.lookupType('google.rpc.Status');

const plain = (type: protobuf.Type, bytes: Uint8Array) => type.toObject(type.decode(bytes), { longs: String });

describe('encodeOtlpLogsResponse', () => {
  it('leaves partial_success unset on full success', () => {
    assert.equal(encodeOtlpLogsResponse(undefined, 'application/x-protobuf').length, 0);
    assert.equal(encodeOtlpLogsResponse(undefined, 'application/json'), '{}');
    assert.deepEqual(ProtobufLogsSerializer.deserializeResponse(encodeOtlpLogsResponse(undefined, 'application/x-protobuf')), {});
  });

  it('encodes a partial success that protobufjs and the OTel exporter read back', () => {
    const bytes = encodeOtlpLogsResponse({ rejected: 3, message: '3 records had no timestamp' }, 'application/x-protobuf');
    assert.deepEqual(plain(Response(), bytes), {
      partialSuccess: { rejectedLogRecords: '3', errorMessage: '3 records had no timestamp' },
    });
    const seen = ProtobufLogsSerializer.deserializeResponse(bytes);
    assert.equal(Number(seen.partialSuccess?.rejectedLogRecords), 3);
    assert.equal(seen.partialSuccess?.errorMessage, '3 records had no timestamp');
  });

  it('encodes a partial success as OTLP/JSON, int64 as a string', () => {
    const text = String(encodeOtlpLogsResponse({ rejected: 2, message: 'bad' }, 'application/json; charset=utf-8'));
    assert.deepEqual(JSON.parse(text), { partialSuccess: { rejectedLogRecords: '2', errorMessage: 'bad' } });
    assert.deepEqual(JSON.parse(encodeOtlpLogsResponse({ rejected: 0, message: 'warning only' }, 'application/json')), {
      partialSuccess: { errorMessage: 'warning only' },
    });
  });
});

describe('encodeRpcStatus', () => {
  it('encodes google.rpc.Status in protobuf', () => {
    assert.deepEqual(plain(Status, encodeRpcStatus(3, 'body is not valid JSON', 'application/x-protobuf')), {
      code: 3,
      message: 'body is not valid JSON',
    });
    assert.deepEqual(plain(Status, encodeRpcStatus(-1, '', 'application/x-protobuf')), { code: -1 });
  });

  it('encodes google.rpc.Status in JSON', () => {
    assert.deepEqual(JSON.parse(encodeRpcStatus(8, 'too big', 'application/json')), { code: 8, message: 'too big' });
  });
});

describe('otlpEncodingOf', () => {
  it('recognises the two OTLP/HTTP content types', () => {
    assert.equal(otlpEncodingOf('application/json'), 'json');
    assert.equal(otlpEncodingOf('Application/JSON; charset=utf-8'), 'json');
    assert.equal(otlpEncodingOf('application/x-protobuf'), 'protobuf');
  });

  it('names an unsupported content type', () => {
    assert.throws(
      () => otlpEncodingOf('text/plain'),
      (err: unknown) => isVigilError(err) && err.code === 'VIGIL_ERR_CONTENT_TYPE' && /"text\/plain"/.test(err.message),
    );
    assert.throws(() => otlpEncodingOf(undefined), (err: unknown) => isVigilError(err) && err.code === 'VIGIL_ERR_CONTENT_TYPE');
  });
});
