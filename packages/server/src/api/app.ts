/**
 * The HTTP surface: one Fastify instance, bodies read as raw buffers (each
 * protocol decodes its own), and errors answered in each API's own shape.
 */
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import { ingestRoutes, toVigilError } from './errors.ts';
import type { LogIngester } from '../ingest/log-ingester.ts';
import type { QueryRunner } from '../query/worker-pool.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { registerHealth } from './health.ts';
import { registerLokiPush } from './loki/push.ts';
import { registerLokiQuery } from './loki/query.ts';
import { registerLokiTail } from './loki/tail.ts';
import { registerJsonLines } from './native/jsonl.ts';
import { registerOtlpLogs } from './otlp/logs.ts';
import { registerPromApi } from './prom-v1/routes.ts';
import type { BuildInfo } from './prom-v1/build-info.ts';
import { registerMetadataApi, type MetadataApiDeps } from './prom-v1/metadata.ts';
import { registerStatusApi, type RunningConfig } from './prom-v1/status.ts';
import { registerMetricsWrite } from './prom-v1/write.ts';
import type { RemoteWriteDecoder } from '../ingest/remote-write/index.ts';
import type { MetadataRecorder } from '../metadata/index.ts';
import type { SampleAppender } from '../tsdb/index.ts';
import type { Alerting } from '../alerting/index.ts';
import { registerAlertmanagerApi } from './alertmanager/index.ts';
import { registerAlertingApi } from './native/alerting.ts';
import { registerRulesApi } from './prom-v1/rules.ts';
import { registerRunbooks } from './native/runbooks.ts';
import { registerUi } from './native/ui.ts';
import { registerDashboardsApi } from './native/dashboards.ts';
import type { DashboardSource } from '../dashboards/index.ts';
import type { OncallService } from '../oncall/index.ts';
import { registerOncallApi } from './native/oncall.ts';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  ingester: LogIngester;
  appender: SampleAppender;
  /** Decodes remote write off the main thread (decoded in line without it). */
  remoteWriteDecoder?: RemoteWriteDecoder;
  /** TYPE/HELP/UNIT per family: remote write and OTLP add to it, /api/v1/metadata reads it. */
  metadata: MetadataRecorder & MetadataApiDeps['metadata'];
  queries: QueryRunner;
  maxBodyBytes: number;
  maxSamplesPerRequest: number;
  maxEntriesLimit: number;
  now: () => number;
  isReady: () => boolean;
  isStoreWritable: () => boolean;
  alerting: Alerting;
  dashboards: DashboardSource;
  oncall?: OncallService;
  /** Re-reads the configuration file and applies what can change while running. */
  reload: () => Promise<void>;
  startedAt: number;
  build: BuildInfo;
  /** The configuration in force, for /api/v1/status/config and flags. */
  running: () => RunningConfig;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.maxBodyBytes,
    // the websocket tail and long queries must not be cut by a request timeout
    requestTimeout: 0,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  observeDurations(app, deps.metrics);
  app.setErrorHandler(plainTextErrors(deps));

  const nowNs = () => BigInt(deps.now()) * 1_000_000n;
  registerHealth(app, deps);
  registerLokiPush(app, deps);
  registerLokiQuery(app, { queries: deps.queries, maxEntriesLimit: deps.maxEntriesLimit, nowNs });
  await registerLokiTail(app, { ingester: deps.ingester, queries: deps.queries, nowNs });
  registerOtlpLogs(app, deps);
  registerJsonLines(app, { ...deps, nowMs: deps.now });
  registerMetricsWrite(app, deps);
  registerPromApi(app, { queries: deps.queries, now: deps.now });
  registerMetadataApi(app, deps);
  registerStatusApi(app, deps);
  registerRulesApi(app, { ruleGroups: () => deps.alerting.ruleGroups() });
  registerAlertmanagerApi(app, {
    core: deps.alerting.alertmanagerCore(),
    silences: deps.alerting.silences,
    now: deps.now,
    startedAt: deps.startedAt,
    version: deps.build.version,
    maxBodyBytes: deps.maxBodyBytes,
  });
  registerAlertingApi(app, {
    ledger: (filter) => deps.alerting.ledger.query(filter),
    testAlert: (labels, annotations) => deps.alerting.testAlert(labels, annotations),
    reload: deps.reload,
  });
  registerRunbooks(app);
  registerDashboardsApi(app, { dashboards: deps.dashboards });
  if (deps.oncall) registerOncallApi(app, { oncall: deps.oncall, now: deps.now, maxBodyBytes: deps.maxBodyBytes });
  registerUi(app);
  return app;
}

/** Loki answers errors as plain text; so do Vigil's other endpoints for now. */
function plainTextErrors(deps: AppDeps) {
  return (raw: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const err = toVigilError(raw, deps.maxBodyBytes);
    if (err.status >= 500) deps.logger.error({ err: raw, url: request.url }, 'request failed');
    if (ingestRoutes.has(request.routeOptions.url ?? '')) {
      deps.metrics.ingestRejected.inc({ protocol: 'http', reason: err.code });
    }
    void reply.code(err.status).type('text/plain; charset=utf-8').send(`${err.message}\n`);
  };
}

function observeDurations(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
