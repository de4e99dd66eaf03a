/**
 * Alertmanager API v2 (`/api/v2/...`), so that amtool, Grafana's Alertmanager
 * data source and Prometheus itself can talk to Vigil. Errors are answered
 * as Alertmanager answers them: a JSON string, which amtool prints.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Alert, LabelSet } from '../../dispatch/model.ts';
import type { Matcher } from '../../dispatch/matchers.ts';
import type { Silences } from '../../dispatch/silences.ts';
import type { AlertGroupView, AlertStatus as DispatchAlertStatus, GettableAlert as DispatchGettableAlert } from '../../dispatch/index.ts';
import { toVigilError } from '../errors.ts';
import { registerAlertRoutes } from './alert-routes.ts';
import { registerSilenceRoutes } from './silence-routes.ts';

/** Alertmanager's status with `mutedBy` (time intervals), answered as [] when the core leaves it out. */
export interface AlertStatus extends DispatchAlertStatus {
  mutedBy?: string[];
}

/** An alert as `GET /api/v2/alerts` lists it; times are RFC 3339. */
export interface GettableAlert extends Omit<DispatchGettableAlert, 'status'> {
  status: AlertStatus;
}

export interface AlertGroup extends Omit<AlertGroupView, 'alerts'> {
  alerts: GettableAlert[];
  /** The matchers of the route that made the group, as labels; answered as {} when left out. */
  routeLabels?: LabelSet;
}

/** What `GET /api/v2/alerts` and `/alerts/groups` asked for; every flag defaults to true. */
export interface AlertFilter {
  active: boolean;
  silenced: boolean;
  inhibited: boolean;
  unprocessed: boolean;
  /** All must match the alert's labels. */
  matchers: Matcher[];
  /** Anchored; the alert must go to at least one receiver it matches. */
  receiver?: RegExp;
}

/**
 * What the API needs from the dispatcher. A core may use the filter to
 * narrow its work early; the routes apply it in full either way, so a core
 * that returns every alert is also correct.
 */
export interface AlertmanagerCore {
  put(alerts: Alert[]): void;
  alerts(filter: AlertFilter): GettableAlert[];
  groups(filter: AlertFilter): AlertGroup[];
  receivers(): { name: string }[];
  /** The Alertmanager configuration as the user wrote it, for `GET /api/v2/status`. */
  configYaml(): string;
}

export interface AlertmanagerApiDeps {
  core: AlertmanagerCore;
  silences: Silences;
  now: () => number;
  /** When Vigil started, ms since the epoch (the status's `uptime`). */
  startedAt: number;
  version: string;
  maxBodyBytes: number;
}

export function registerAlertmanagerApi(app: FastifyInstance, deps: AlertmanagerApiDeps): void {
  void app.register(
    async (scope) => {
      scope.setErrorHandler(jsonStringErrors(deps.maxBodyBytes));
      registerAlertRoutes(scope, deps);
      registerSilenceRoutes(scope, deps);
      scope.get('/status', async () => status(deps));
      scope.get('/receivers', async () => deps.core.receivers().map(({ name }) => ({ name })));
    },
    { prefix: '/api/v2' },
  );
}

function status(deps: AlertmanagerApiDeps) {
  return {
    cluster: { status: 'disabled', peers: [] },
    versionInfo: {
      version: deps.version,
      revision: '',
      branch: '',
      buildUser: 'vigil',
      buildDate: '',
      goVersion: `node ${process.version}`,
    },
    config: { original: deps.core.configYaml() },
    uptime: new Date(deps.startedAt).toISOString(),
  };
}

function jsonStringErrors(maxBodyBytes: number) {
  return (raw: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const err = toVigilError(raw, maxBodyBytes);
    if (err.status >= 500) request.log.error({ err: raw, url: request.url }, 'alertmanager api request failed');
    void reply.code(err.status).type('application/json').send(JSON.stringify(err.message));
  };
}
