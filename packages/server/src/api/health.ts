/** GET /health: 200 when ready to accept data, 503 while starting or when the store cannot be written. */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../telemetry/metrics.ts';

export interface HealthDeps {
  isReady: () => boolean;
  isStoreWritable: () => boolean;
  metrics: Metrics;
}

export function registerHealth(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/health', async (_request, reply) => {
    if (!deps.isReady()) return reply.code(503).send({ status: 'starting' });
    if (!deps.isStoreWritable()) return reply.code(503).send({ status: 'unhealthy', reason: 'the store is not writable' });
    return reply.send({ status: 'ok' });
  });
  app.get('/ready', async (_request, reply) =>
    deps.isReady() ? reply.type('text/plain').send('ready') : reply.code(503).type('text/plain').send('starting'),
  );
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
}
