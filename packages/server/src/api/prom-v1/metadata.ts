/**
 * `GET /api/v1/metadata`: TYPE, HELP and UNIT per metric family, with
 * Prometheus' `limit`, `limit_per_metric` and `metric` parameters. Grafana
 * reads it for the query editor's metric hints.
 */
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../errors.ts';
import type { MetadataStore } from '../../metadata/index.ts';
import { single, type Params } from '../loki/params.ts';
import { paramsOf } from '../loki/query.ts';
import { tenantOf } from '../tenant.ts';
import { promScope, success } from './envelope.ts';

export interface MetadataApiDeps {
  metadata: Pick<MetadataStore, 'query'>;
}

/** Go's strconv.Atoi, as Prometheus parses these. */
function integer(params: Params, name: string): number | undefined {
  const text = single(params, name);
  if (text === undefined || text === '') return undefined;
  if (!/^[+-]?\d{1,15}$/.test(text)) throw new VigilError('VIGIL_ERR_QUERY_PARAM', `${name} must be a number`);
  return Number(text);
}

export function registerMetadataApi(app: FastifyInstance, deps: MetadataApiDeps): void {
  promScope(app, (scope) => {
    scope.get('/api/v1/metadata', async (request) => {
      const params = paramsOf(request);
      const metric = single(params, 'metric');
      const data = deps.metadata.query(tenantOf(request), {
        limit: integer(params, 'limit'),
        limitPerMetric: integer(params, 'limit_per_metric'),
        metric: metric === '' ? undefined : metric,
      });
      return success(data);
    });
  });
}
