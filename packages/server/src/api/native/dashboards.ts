/**
 * GET /vigil/api/v1/dashboards: every dashboard file, broken ones with their
 * error; GET /vigil/api/v1/dashboards/:id: one validated dashboard.
 */
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../errors.ts';
import type { DashboardSource } from '../../dashboards/index.ts';

export interface DashboardsApiDeps {
  dashboards: DashboardSource;
}

export function registerDashboardsApi(app: FastifyInstance, deps: DashboardsApiDeps): void {
  app.get('/vigil/api/v1/dashboards', async () => ({
    status: 'success',
    data: deps.dashboards.list().map(({ id, title, description, tags, file, error }) => ({ id, title, description, tags, file, ...(error ? { error } : {}) })),
  }));

  app.get<{ Params: { id: string } }>('/vigil/api/v1/dashboards/:id', async (request) => {
    const { id } = request.params;
    const entry = deps.dashboards.get(id);
    if (entry === undefined) throw new VigilError('VIGIL_ERR_NOT_FOUND', `no dashboard "${id}"; GET /vigil/api/v1/dashboards lists them`);
    if (entry.dashboard === undefined) throw new VigilError('VIGIL_ERR_CONFIG_INVALID', `dashboard "${id}" is broken: ${entry.error}`);
    return { status: 'success', data: { id, file: entry.file, ...entry.dashboard } };
  });
}
