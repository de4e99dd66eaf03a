/**
 * OTLP/HTTP replies, encoded like the request (OTLP requires the response
 * Content-Type to match): ExportLogsServiceResponse on success or partial
 * success, google.rpc.Status on failure.
 */
import { VigilError } from '../../errors.ts';
import { ProtoWriter } from '../protobuf-writer.ts';

export const OTLP_JSON = 'application/json';
export const OTLP_PROTOBUF = 'application/x-protobuf';

export type OtlpEncoding = 'json' | 'protobuf';

export interface OtlpPartialSuccess {
  /** Records not stored; 0 with a message is a warning. */
  rejected: number;
  message: string;
}

/** The request encoding named by a Content-Type header (parameters ignored). */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mime === OTLP_JSON) return 'json';
  if (mime === OTLP_PROTOBUF || mime === 'application/protobuf') return 'protobuf';
  throw new VigilError(
    'VIGIL_ERR_CONTENT_TYPE',
    `unsupported Content-Type ${JSON.stringify(contentType ?? '')}; OTLP/HTTP takes ${OTLP_PROTOBUF} or ${OTLP_JSON}`,
  );
}

/** Replies use JSON only when the request did; protobuf is OTLP's default. */
function isJson(contentType: string): boolean {
  return contentType.split(';')[0].trim().toLowerCase() === OTLP_JSON;
}

/** The JSON name of the rejected count in each signal's Export…ServiceResponse. */
const rejectedField = { logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' } as const;

/**
 * ExportLogsServiceResponse (or, for `signal: 'metrics'`, the
 * ExportMetricsServiceResponse, which has the same wire layout). Leave
 * `partial` out when everything was accepted: OTLP says partial_success must
 * then be unset.
 */
export function encodeOtlpLogsResponse(partial: OtlpPartialSuccess | undefined, contentType: typeof OTLP_JSON, signal?: 'logs' | 'metrics'): string;
export function encodeOtlpLogsResponse(partial: OtlpPartialSuccess | undefined, contentType: typeof OTLP_PROTOBUF, signal?: 'logs' | 'metrics'): Buffer;
export function encodeOtlpLogsResponse(partial: OtlpPartialSuccess | undefined, contentType: string, signal?: 'logs' | 'metrics'): Buffer | string;
export function encodeOtlpLogsResponse(
  partial: OtlpPartialSuccess | undefined,
  contentType: string,
  signal: 'logs' | 'metrics' = 'logs',
): Buffer | string {
  if (isJson(contentType)) {
    if (partial === undefined) return '{}';
    const body: Record<string, string> = {};
    // int64 is a decimal string in OTLP/JSON; default values are left out.
    if (partial.rejected !== 0) body[rejectedField[signal]] = String(partial.rejected);
    if (partial.message !== '') body.errorMessage = partial.message;
    return JSON.stringify({ partialSuccess: body });
  }
  const w = new ProtoWriter();
  if (partial !== undefined) {
    w.message(1, (p) => {
      if (partial.rejected !== 0) p.uint(1, partial.rejected);
      if (partial.message !== '') p.string(2, partial.message);
    });
  }
  return w.finish();
}

/**
 * google.rpc.Status {int32 code = 1; string message = 2}. `code` is a gRPC
 * status code (3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE…),
 * not the HTTP status.
 */
export function encodeRpcStatus(code: number, message: string, contentType: typeof OTLP_JSON): string;
export function encodeRpcStatus(code: number, message: string, contentType: typeof OTLP_PROTOBUF): Buffer;
export function encodeRpcStatus(code: number, message: string, contentType: string): Buffer | string;
export function encodeRpcStatus(code: number, message: string, contentType: string): Buffer | string {
  if (isJson(contentType)) return JSON.stringify(message === '' ? { code } : { code, message });
  const w = new ProtoWriter();
  if (code !== 0) w.uint(1, code | 0);
  if (message !== '') w.string(2, message);
  return w.finish();
}
