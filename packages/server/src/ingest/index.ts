export type { DecodeResult, Labels, PushRequest, RawEntry, RawStream, Rejection } from './model.ts';
export { decodeBody, snappyDecompress, type BodyLimits, type BodyOptions } from './body.ts';
export { ProtoReader } from './protobuf-reader.ts';
export { ProtoWriter } from './protobuf-writer.ts';
export {
  normaliseSeverity,
  severityFromOtelNumber,
  type Severity,
  type SeverityScheme,
} from './severity.ts';
export { decodeLokiJson, decodeLokiProtobuf, parseLabelSelector } from './loki-push/index.ts';
export {
  decodeOtlpLogsJson,
  decodeOtlpLogsProtobuf,
  encodeOtlpLogsResponse,
  encodeRpcStatus,
  otlpEncodingOf,
  type OtlpDecodeOptions,
  type OtlpPartialSuccess,
} from './otlp/index.ts';
