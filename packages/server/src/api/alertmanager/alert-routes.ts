/** `/api/v2/alerts` and `/api/v2/alerts/groups`. */
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../errors.ts';
import type { Params } from '../loki/params.ts';
import { alertFilterOf, booleanParam, selectAlerts, selectGroups } from './filter.ts';
import { parsePostableAlerts } from './postable-alerts.ts';
import { jsonBody } from './json-body.ts';
import type { AlertmanagerApiDeps } from './routes.ts';

/** A long list of refusals is cut here; the count says how many there were. */
const MAX_PROBLEMS_SHOWN = 20;

export function registerAlertRoutes(app: FastifyInstance, deps: AlertmanagerApiDeps): void {
  app.post('/alerts', async (request, reply) => {
    const { alerts, problems } = parsePostableAlerts(jsonBody(request, deps.maxBodyBytes), deps.now());
    if (alerts.length > 0) deps.core.put(alerts);
    if (problems.length > 0) throw new VigilError('VIGIL_ERR_ALERT_INVALID', summarise(problems));
    return reply.code(200).send();
  });

  app.get('/alerts', async (request) => {
    const filter = alertFilterOf(request.query as Params);
    return selectAlerts(deps.core.alerts(filter), filter, deps.now());
  });

  app.get('/alerts/groups', async (request) => {
    const params = request.query as Params;
    const filter = alertFilterOf(params);
    return selectGroups(deps.core.groups(filter), filter, booleanParam(params, 'muted'), deps.now());
  });
}

function summarise(problems: string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
  if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
  return `${problems.length} alert problem(s), the other alerts were accepted: ${shown.join('; ')}`;
}
