/**
 * POST /v1/logs (and Loki's /otlp/v1/logs): OTLP/HTTP in protobuf or JSON.
 * Answers in the request's encoding; errors are google.rpc.Status bodies.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeBody } from '../../ingest/body.ts';
import { describeRejections, type LogIngester } from '../../ingest/log-ingester.ts';
import {
  decodeOtlpLogsJson,
  decodeOtlpLogsProtobuf,
  encodeOtlpLogsResponse,
  encodeRpcStatus,
} from '../../ingest/otlp/index.ts';
import { VigilError } from '../../errors.ts';
import type { Metrics } from '../../telemetry/metrics.ts';
import { grpcCode, toVigilError } from '../errors.ts';
import { tenantOf } from '../tenant.ts';

export interface OtlpDeps {
  ingester: LogIngester;
  maxBodyBytes: number;
  metrics: Metrics;
  now: () => number;
}

const protobuf = 'application/x-protobuf';
const json = 'application/json';

function contentTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export function registerOtlpLogs(app: FastifyInstance, deps: OtlpDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const contentType = contentTypeOf(request);
    if (contentType !== protobuf && contentType !== json) {
      throw new VigilError('VIGIL_ERR_CONTENT_TYPE', `unsupported Content-Type "${contentType}": use ${protobuf} or ${json}`);
    }
    const tenant = tenantOf(request);
    const body = decodeBody((request.body as Buffer | undefined) ?? Buffer.alloc(0), request.headers['content-encoding'], {
      maxBytes: deps.maxBodyBytes,
    });
    const options = { receivedAtNs: BigInt(deps.now()) * 1_000_000n };
    const decoded = contentType === json ? decodeOtlpLogsJson(body, options) : decodeOtlpLogsProtobuf(body, options);
    const outcome = deps.ingester.ingest(tenant, contentType === json ? 'otlp_json' : 'otlp_protobuf', decoded.request, decoded.rejected);
    if (outcome.accepted === 0 && outcome.rejected.length > 0) {
      // nothing stored: a permanent failure, which OTLP/HTTP answers with 400 and a Status
      // (the rejections were already counted by the ingester, so not through the error handler)
      return reply.code(400).type(contentType).send(encodeRpcStatus(3, describeRejections(outcome), contentType));
    }
    const partial = outcome.rejected.length > 0 ? { rejected: outcome.rejected.length, message: describeRejections(outcome) } : undefined;
    return reply.code(200).type(contentType).send(encodeOtlpLogsResponse(partial, contentType));
  };
  app.register(async (scope) => {
    scope.setErrorHandler((raw: Error & { statusCode?: number }, request, reply) => {
      const err = toVigilError(raw, deps.maxBodyBytes);
      deps.metrics.ingestRejected.inc({ protocol: 'otlp', reason: err.code });
      const contentType = contentTypeOf(request) === json ? json : protobuf;
      reply.code(err.status).type(contentType).send(encodeRpcStatus(grpcCode(err.status), err.message, contentType));
    });
    scope.post('/v1/logs', handler);
    scope.post('/otlp/v1/logs', handler);
  });
}
