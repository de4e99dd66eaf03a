/** `/api/v2/silences` and `/api/v2/silence/{silenceID}`. */
import type { FastifyInstance } from 'fastify';
import { parsePostableSilence } from '../../dispatch/silences.ts';
import type { Params } from '../loki/params.ts';
import { booleanParam, filterMatchers } from './filter.ts';
import { jsonBody } from './json-body.ts';
import type { AlertmanagerApiDeps } from './routes.ts';

export function registerSilenceRoutes(app: FastifyInstance, deps: AlertmanagerApiDeps): void {
  app.get('/silences', async (request) => {
    const params = request.query as Params;
    const wanted = {
      active: booleanParam(params, 'active'),
      pending: booleanParam(params, 'pending'),
      expired: booleanParam(params, 'expired'),
    };
    return deps.silences.list(filterMatchers(params)).filter((silence) => wanted[silence.status.state]);
  });

  app.post('/silences', async (request) => {
    const silenceID = deps.silences.upsert(parsePostableSilence(jsonBody(request, deps.maxBodyBytes)));
    return { silenceID };
  });

  app.get<{ Params: { silenceID: string } }>('/silence/:silenceID', async (request) => deps.silences.get(request.params.silenceID));

  app.delete<{ Params: { silenceID: string } }>('/silence/:silenceID', async (request, reply) => {
    deps.silences.expire(request.params.silenceID);
    return reply.code(200).send();
  });
}
