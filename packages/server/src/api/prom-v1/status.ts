/**
 * Prometheus' status endpoints as Grafana and promtool read them:
 * buildinfo, runtimeinfo, flags and config, plus `query_exemplars`, which
 * always answers an empty list because Vigil stores no exemplars.
 */
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDurationMs, type VigilConfig } from '../../config/index.ts';
import { VigilError } from '../../errors.ts';
import { parsePromql } from '../../promql/index.ts';
import type { ScrapeSection } from '../../scrape/index.ts';
import { required, type Params } from '../loki/params.ts';
import { paramsOf } from '../loki/query.ts';
import type { BuildInfo } from './build-info.ts';
import { effectiveConfigYaml } from './config-yaml.ts';
import { promScope, success } from './envelope.ts';
import { timeParam } from './params.ts';

/** The configuration in force and how it got there. */
export interface RunningConfig {
  config: VigilConfig;
  /** `global` + `scrape_configs` as the scrapes use them (with Vigil's own job). */
  scrape: ScrapeSection;
  /** The file it was read from; '' for the built-in defaults. */
  file: string;
  reloadSuccess: boolean;
  /** Unix ms of the last successful load. */
  loadedAtMs: number;
}

export interface StatusApiDeps {
  build: BuildInfo;
  startedAt: number;
  now: () => number;
  running(): RunningConfig;
}

function runtimeInfo(deps: StatusApiDeps): Record<string, unknown> {
  const running = deps.running();
  return {
    startTime: new Date(deps.startedAt).toISOString(),
    CWD: process.cwd(),
    hostname: hostname(),
    serverTime: new Date(deps.now()).toISOString(),
    reloadConfigSuccess: running.reloadSuccess,
    lastConfigTime: new Date(running.loadedAtMs).toISOString(),
    corruptionCount: 0,
    storageRetention: formatDurationMs(running.config.metrics.retention),
  };
}

/** Vigil's settings under the names of the Prometheus flags that mean the same. */
function flags({ config, file }: RunningConfig): Record<string, string> {
  return {
    'config.file': file,
    'web.listen-address': config.server.listen,
    'web.external-url': config.server.external_url ?? '',
    'storage.tsdb.path': join(resolve(config.server.data_dir), 'metrics'),
    'storage.tsdb.retention.time': formatDurationMs(config.metrics.retention),
    'query.timeout': formatDurationMs(config.query.timeout),
    'query.max-concurrency': String(config.query.workers),
  };
}

function exemplarParams(params: Params, now: number): void {
  parsePromql(required(params, 'query'));
  const start = timeParam(params, 'start', -Infinity);
  const end = timeParam(params, 'end', now);
  if (end < start) throw new VigilError('VIGIL_ERR_QUERY_PARAM', 'end timestamp must not be before start timestamp');
}

export function registerStatusApi(app: FastifyInstance, deps: StatusApiDeps): void {
  promScope(app, (scope) => {
    scope.get('/api/v1/status/buildinfo', async () => success(deps.build));
    scope.get('/api/v1/status/runtimeinfo', async () => success(runtimeInfo(deps)));
    scope.get('/api/v1/status/flags', async () => success(flags(deps.running())));
    scope.get('/api/v1/status/config', async () => success({ yaml: effectiveConfigYaml(deps.running().scrape) }));
    const exemplars = async (request: FastifyRequest) => {
      exemplarParams(paramsOf(request), deps.now());
      return success([]);
    };
    scope.get('/api/v1/query_exemplars', exemplars);
    scope.post('/api/v1/query_exemplars', exemplars);
  });
}
