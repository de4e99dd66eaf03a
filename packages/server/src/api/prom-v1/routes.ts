/**
 * The Prometheus HTTP API that Grafana's Prometheus data source uses:
 * query, query_range, series, labels, label values. Answers in Prometheus'
 * envelope (`{status, data}` or `{status: "error", errorType, error}`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { QueryRunner } from '../../query/worker-pool.ts';
import { paramsOf } from '../loki/query.ts';
import { all, required, type Params } from '../loki/params.ts';
import { tenantOf } from '../tenant.ts';
import { promScope } from './envelope.ts';
import { parsePromDuration, rangeParams, timeParam } from './params.ts';

export interface PromApiDeps {
  queries: QueryRunner;
  now: () => number;
}

export function registerPromApi(app: FastifyInstance, deps: PromApiDeps): void {
  promScope(app, (scope) => {
    const route = (path: string, handler: (request: FastifyRequest, params: Params) => Promise<string | Buffer>) => {
      const wrapped = async (request: FastifyRequest, reply: FastifyReply) =>
        reply.type('application/json').send(await handler(request, paramsOf(request)));
      scope.get(path, wrapped);
      scope.post(path, wrapped);
    };
    const timeout = (params: Params) => {
      const text = params.timeout;
      return typeof text === 'string' && text ? parsePromDuration(text, 'timeout') : undefined;
    };
    const window = (params: Params) => ({
      startMs: timeParam(params, 'start', deps.now() - 3_600_000),
      endMs: timeParam(params, 'end', deps.now()),
      match: [...all(params, 'match[]')],
    });

    route('/api/v1/query', (request, params) =>
      deps.queries.run('prom_query', tenantOf(request), {
        query: required(params, 'query'),
        timeMs: timeParam(params, 'time', deps.now()),
        timeoutMs: timeout(params),
      }),
    );
    route('/api/v1/query_range', (request, params) =>
      deps.queries.run('prom_query_range', tenantOf(request), {
        query: required(params, 'query'),
        ...rangeParams(params),
        timeoutMs: timeout(params),
      }),
    );
    route('/api/v1/series', (request, params) => {
      const args = window(params);
      if (args.match.length === 0) throw Object.assign(new Error('no match[] parameter provided'), { statusCode: 400 });
      return deps.queries.run('prom_series', tenantOf(request), args);
    });
    route('/api/v1/labels', (request, params) => deps.queries.run('prom_labels', tenantOf(request), window(params)));
    scope.get<{ Params: { name: string } }>('/api/v1/label/:name/values', async (request, reply) => {
      const json = await deps.queries.run('prom_label_values', tenantOf(request), {
        ...window(paramsOf(request)),
        name: request.params.name,
      });
      return reply.type('application/json').send(json);
    });
  });
}
