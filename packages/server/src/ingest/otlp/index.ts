export { decodeOtlpLogsJson } from './decode-json.ts';
export { decodeOtlpLogsProtobuf } from './decode-protobuf.ts';
export type { OtlpDecodeOptions } from './options.ts';
export {
  encodeOtlpLogsResponse,
  encodeRpcStatus,
  otlpEncodingOf,
  OTLP_JSON,
  OTLP_PROTOBUF,
  type OtlpEncoding,
  type OtlpPartialSuccess,
} from './encode-response.ts';
export { splitResourceAttributes, type SplitResource } from './resource-labels.ts';
