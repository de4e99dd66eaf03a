/**
 * Metrics in: Prometheus remote write 1.0 (`POST /api/v1/write`) and
 * OTLP/HTTP metrics (`POST /v1/metrics`, `/otlp/v1/metrics`). Valid series are
 * stored even when others in the request are rejected; the rejection is then
 * a 400 (remote-write clients drop, not retry) naming each problem.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeBody } from '../../ingest/body.ts';
import type { MetadataRecorder } from '../../metadata/index.ts';
import { decodeRemoteWriteBody, type RemoteWriteDecoder } from '../../ingest/remote-write/index.ts';
import { decodeOtlpMetricsJson, decodeOtlpMetricsProtobuf } from '../../ingest/otlp-metrics/index.ts';
import { encodeOtlpLogsResponse, encodeRpcStatus, otlpEncodingOf } from '../../ingest/otlp/index.ts';
import { VigilError } from '../../errors.ts';
import type { Metrics } from '../../telemetry/metrics.ts';
import { TsdbAppendError, type SampleAppender } from '../../tsdb/index.ts';
import { grpcCode, toVigilError } from '../errors.ts';
import { tenantOf } from '../tenant.ts';

export interface MetricsWriteDeps {
  appender: SampleAppender;
  maxBodyBytes: number;
  maxSamplesPerRequest: number;
  metrics: Metrics;
  /** Decodes remote write off the main thread; without it, bodies are decoded in line. */
  remoteWriteDecoder?: RemoteWriteDecoder;
  /** Where TYPE/HELP/UNIT sent with the samples go (for /api/v1/metadata). */
  metadata: MetadataRecorder;
}

/** Appends what can be appended; returns the rejection messages (the valid part is stored either way). */
function appendAll(append: () => void): string[] {
  try {
    append();
    return [];
  } catch (err) {
    if (err instanceof TsdbAppendError) return err.rejections.map((r) => r.message);
    throw err;
  }
}

/** Refuses a request over max_samples_per_request before anything of it is stored. */
function checkSampleCount(samples: number, limit: number): void {
  if (samples > limit) {
    throw new VigilError('VIGIL_ERR_LIMIT_EXCEEDED', `the request has ${samples} samples, more than the limit max_samples_per_request=${limit}`);
  }
}

function summarise(problems: string[], max = 20): string {
  const lines = problems.slice(0, max);
  if (problems.length > max) lines.push(`… and ${problems.length - max} more`);
  return `${problems.length} series or samples rejected:\n${lines.join('\n')}`;
}

export function registerMetricsWrite(app: FastifyInstance, deps: MetricsWriteDeps): void {
  app.post('/api/v1/write', async (request, reply) => {
    const body = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
    const headers = { contentEncoding: request.headers['content-encoding'], contentType: request.headers['content-type'] };
    const limits = { maxBytes: deps.maxBodyBytes };
    const decoded = deps.remoteWriteDecoder
      ? await deps.remoteWriteDecoder.decode(body, headers, limits)
      : decodeRemoteWriteBody(body, headers, limits);
    checkSampleCount(decoded.samples, deps.maxSamplesPerRequest);
    const tenant = tenantOf(request);
    for (const { family, ...m } of decoded.metadata) deps.metadata.record(tenant, family, m);
    const problems = [...decoded.rejected.map((r) => r.reason), ...appendAll(() => deps.appender.appendBatch(tenant, decoded.batch))];
    deps.metrics.ingestSamples.inc({ protocol: 'remote_write' }, decoded.samples);
    if (problems.length > 0) {
      deps.metrics.ingestRejected.inc({ protocol: 'remote_write', reason: 'invalid_series' }, problems.length);
      return reply.code(400).type('text/plain; charset=utf-8').send(summarise(problems));
    }
    return reply.code(204).send();
  });

  app.register(async (scope) => {
    scope.setErrorHandler((raw: Error & { statusCode?: number }, request, reply) => {
      const err = toVigilError(raw, deps.maxBodyBytes);
      deps.metrics.ingestRejected.inc({ protocol: 'otlp_metrics', reason: err.code });
      const contentType = (request.headers['content-type'] ?? '').includes('json') ? 'application/json' : 'application/x-protobuf';
      reply.code(err.status).type(contentType).send(encodeRpcStatus(grpcCode(err.status), err.message, contentType));
    });
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const encoding = otlpEncodingOf(request.headers['content-type']);
      const body = decodeBody((request.body as Buffer | undefined) ?? Buffer.alloc(0), request.headers['content-encoding'], {
        maxBytes: deps.maxBodyBytes,
      });
      const decoded = encoding === 'json' ? decodeOtlpMetricsJson(body) : decodeOtlpMetricsProtobuf(body);
      checkSampleCount(decoded.samples, deps.maxSamplesPerRequest);
      const tenant = tenantOf(request);
      for (const [family, m] of decoded.metadata) deps.metadata.record(tenant, family, m);
      const problems = appendAll(() => deps.appender.append(tenant, decoded.series));
      deps.metrics.ingestSamples.inc({ protocol: 'otlp_metrics' }, decoded.samples);
      const rejected = decoded.rejectedDataPoints + problems.length;
      if (rejected > 0 && decoded.series.length === 0) {
        throw new VigilError('VIGIL_ERR_ENTRY_INVALID', decoded.errorMessage || summarise(problems));
      }
      const message = [decoded.errorMessage, problems.length > 0 ? summarise(problems) : ''].filter(Boolean).join('\n');
      const contentType = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
      const partial = rejected > 0 || message ? { rejected, message } : undefined;
      return reply.code(200).type(contentType).send(encodeOtlpLogsResponse(partial, contentType, 'metrics'));
    };
    scope.post('/v1/metrics', handler);
    scope.post('/otlp/v1/metrics', handler);
  });
}
