/** Every error a route throws, as a VigilError with a stable code. */
import { VigilError, isVigilError } from '../errors.ts';

export function toVigilError(err: Error & { statusCode?: number; code?: string }, maxBodyBytes: number): VigilError {
  if (isVigilError(err)) return err;
  const status = err.statusCode ?? 500;
  if (status === 413) {
    return new VigilError('VIGIL_ERR_BODY_TOO_LARGE', `request body is larger than server.max_body_bytes (${maxBodyBytes} bytes)`);
  }
  if (status === 415) return new VigilError('VIGIL_ERR_CONTENT_TYPE', err.message);
  if (status >= 400 && status < 500) return new VigilError('VIGIL_ERR_BODY_MALFORMED', err.message);
  return new VigilError('VIGIL_ERR_INTERNAL', 'internal error', { cause: err });
}

/** Paths that take data: a failure there is a rejected push, counted by reason. */
export const ingestRoutes = new Set([
  '/loki/api/v1/push',
  '/api/prom/push',
  '/vigil/api/v1/logs',
  '/v1/logs',
  '/otlp/v1/logs',
  '/api/v1/write',
]);

/** google.rpc.Code for an HTTP status, as the OTLP/HTTP spec pairs them. */
export function grpcCode(status: number): number {
  if (status === 400) return 3; // INVALID_ARGUMENT
  if (status === 413) return 11; // OUT_OF_RANGE
  if (status === 415) return 3;
  if (status === 429) return 8; // RESOURCE_EXHAUSTED
  if (status === 503) return 14; // UNAVAILABLE
  return 13; // INTERNAL
}
