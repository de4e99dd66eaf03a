/** Loki's query API: query, query_range, labels, label values, series. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { QueryRunner } from '../../query/worker-pool.ts';
import { tenantOf } from '../tenant.ts';
import {
  all,
  parseDirection,
  parseLimit,
  parseRange,
  parseStep,
  parseTimeNs,
  required,
  single,
  type Params,
} from './params.ts';

export interface QueryDeps {
  queries: QueryRunner;
  maxEntriesLimit: number;
  nowNs: () => bigint;
}

/** GET takes the query string; POST also a form body, as Loki does. */
export function paramsOf(request: FastifyRequest): Params {
  const params: Params = { ...(request.query as Params) };
  const body = request.body;
  if (request.method === 'POST' && Buffer.isBuffer(body) && body.length > 0) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
      const existing = params[key];
      params[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    }
  }
  return params;
}

function sendJson(reply: FastifyReply, json: string | Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

export function registerLokiQuery(app: FastifyInstance, deps: QueryDeps): void {
  const route = (path: string, handler: (request: FastifyRequest, params: Params) => Promise<string | Buffer>) => {
    const wrapped = async (request: FastifyRequest, reply: FastifyReply) => sendJson(reply, await handler(request, paramsOf(request)));
    app.get(path, wrapped);
    app.post(path, wrapped);
  };

  route('/loki/api/v1/query_range', (request, params) => {
    const { startNs, endNs } = parseRange(params, deps.nowNs());
    return deps.queries.run('query_range', tenantOf(request), {
      query: required(params, 'query'),
      startNs,
      endNs,
      stepNs: parseStep(params, startNs, endNs),
      limit: parseLimit(params, deps.maxEntriesLimit),
      direction: parseDirection(params),
      categorizeLabels: String(request.headers['x-loki-response-encoding-flags'] ?? '').includes('categorize-labels'),
    });
  });

  route('/loki/api/v1/query', (request, params) => {
    const time = single(params, 'time');
    return deps.queries.run('query', tenantOf(request), {
      query: required(params, 'query'),
      timeNs: time ? parseTimeNs(time, 'time') : deps.nowNs(),
      limit: parseLimit(params, deps.maxEntriesLimit),
      direction: parseDirection(params),
    });
  });

  route('/loki/api/v1/labels', (request, params) => {
    const { startNs, endNs } = parseRange(params, deps.nowNs());
    return deps.queries.run('labels', tenantOf(request), { startNs, endNs, query: single(params, 'query') });
  });

  app.get<{ Params: { name: string } }>('/loki/api/v1/label/:name/values', async (request, reply) => {
    const params = paramsOf(request);
    const { startNs, endNs } = parseRange(params, deps.nowNs());
    const json = await deps.queries.run('label_values', tenantOf(request), {
      startNs,
      endNs,
      query: single(params, 'query'),
      name: request.params.name,
    });
    return sendJson(reply, json);
  });

  route('/loki/api/v1/series', (request, params) => {
    const { startNs, endNs } = parseRange(params, deps.nowNs());
    return deps.queries.run('series', tenantOf(request), {
      startNs,
      endNs,
      match: [...all(params, 'match[]'), ...all(params, 'match')],
    });
  });
}
