/**
 * Prometheus' response envelope: `{status: "success", data}` or
 * `{status: "error", errorType, error}` with its closed set of error types.
 */
import type { FastifyInstance } from 'fastify';
import type { VigilError } from '../../errors.ts';
import { toVigilError } from '../errors.ts';

/** Prometheus' errorType for each of Vigil's codes. */
export function errorType(err: VigilError): string {
  if (err.code === 'VIGIL_ERR_QUERY_TIMEOUT') return 'timeout';
  if (err.code === 'VIGIL_ERR_PROMQL_EXECUTION' || err.code === 'VIGIL_ERR_PROMQL_TOO_MANY_SAMPLES') return 'execution';
  if (err.code === 'VIGIL_ERR_NOT_FOUND') return 'not_found';
  if (err.status >= 500) return 'internal';
  return 'bad_data';
}

/** Registers routes in a scope of their own, whose errors answer in Prometheus' envelope. */
export function promScope(app: FastifyInstance, register: (scope: FastifyInstance) => void): void {
  app.register(async (scope) => {
    scope.setErrorHandler((raw: Error & { statusCode?: number }, _request, reply) => {
      const err = toVigilError(raw, 0);
      void reply.code(err.status).send({ status: 'error', errorType: errorType(err), error: err.message });
    });
    register(scope);
  });
}

export function success(data: unknown): { status: 'success'; data: unknown } {
  return { status: 'success', data };
}
