/** POST /loki/api/v1/push: Loki's JSON and protobuf+snappy bodies. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeBody, snappyDecompress } from '../../ingest/body.ts';
import { decodeLokiJson, decodeLokiProtobuf } from '../../ingest/loki-push/index.ts';
import { describeRejections, type LogIngester } from '../../ingest/log-ingester.ts';
import { VigilError } from '../../errors.ts';
import { tenantOf } from '../tenant.ts';

export interface PushDeps {
  ingester: LogIngester;
  maxBodyBytes: number;
}

export function registerLokiPush(app: FastifyInstance, deps: PushDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = tenantOf(request);
    const raw = request.body as Buffer | undefined;
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const encoding = request.headers['content-encoding'];
    if (contentType === '') {
      throw new VigilError('VIGIL_ERR_CONTENT_TYPE', 'missing Content-Type: use application/json or application/x-protobuf');
    }
    const limits = { maxBytes: deps.maxBodyBytes };
    const body = raw ?? Buffer.alloc(0);
    const json = contentType === 'application/json';
    // protobuf bodies are snappy blocks whether or not Content-Encoding says so
    const decoded = json
      ? decodeLokiJson(decodeBody(body, encoding, limits))
      : decodeLokiProtobuf(snappyDecompress(decodeBody(body, encoding, limits, { snappy: 'passthrough' }), deps.maxBodyBytes));
    const outcome = deps.ingester.ingest(tenant, json ? 'loki_json' : 'loki_protobuf', decoded.request, decoded.rejected);
    if (outcome.rejected.length > 0) {
      return reply.code(400).type('text/plain; charset=utf-8').send(describeRejections(outcome));
    }
    return reply.code(204).send();
  };
  app.post('/loki/api/v1/push', handler);
  app.post('/api/prom/push', handler);
}
