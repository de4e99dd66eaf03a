/**
 * Wiring only, in data-flow order: config → stores → ingest → query →
 * alerting → API → scrape.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRedactor } from '@vigil/sdk/redact';
import { buildApp } from './api/app.ts';
import { systemClock, type Clock } from './clock.ts';
import { loadConfigFile, type VigilConfig } from './config/index.ts';
import { Alerting, type LedgerEntry } from './alerting/index.ts';
import { OncallService } from './oncall/index.ts';
import { openDatabase } from './store/sqlite/open.ts';
import { DashboardStore } from './dashboards/index.ts';
import { LogIngester } from './ingest/log-ingester.ts';
import { QueryWorkerPool } from './query/worker-pool.ts';
import { startRetention } from './retention/scheduler.ts';
import { SqliteLogStore } from './store/sqlite/log-writer.ts';
import { createLogger } from './telemetry/logger.ts';
import { createMetrics, registerStoreGauges } from './telemetry/metrics.ts';
import { TsdbWriter } from './tsdb/index.ts';
import { RemoteWriteDecoder } from './ingest/remote-write/index.ts';
import { collectGarbageWhenIdle } from './collect-garbage.ts';
import { ScrapeManager, createScrapeFailuresCounter, scrapeConfigSchema, type ScrapeSection } from './scrape/index.ts';
import { MetadataStore } from './metadata/index.ts';
import type { RunningConfig } from './api/prom-v1/status.ts';
import { vigilBuildInfo } from './api/prom-v1/build-info.ts';

export interface StartOptions {
  clock?: Clock;
  /** Where Vigil's own JSON logs go (stdout by default). */
  stdout?: NodeJS.WritableStream;
  /** The file the config came from: reloads re-read it, relative paths in it are relative to it. */
  configPath?: string;
}

export interface RunningServer {
  url: string;
  /** Re-reads the config file: rule files, the Alertmanager configuration, the oncall section and scrape configs. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

const BUILD = vigilBuildInfo();

export async function startServer(config: VigilConfig, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const { logger, attach, flush } = createLogger(config.logging.level, options.stdout);
  let ready = false;

  // stores: logs, then metrics
  const dataDir = resolve(config.server.data_dir);
  mkdirSync(dataDir, { recursive: true });
  const store = new SqliteLogStore({ dataDir, maxStreamsPerTenant: config.limits.max_streams_per_tenant });
  const metrics = createMetrics();
  registerStoreGauges(metrics, store);
  const { standard, security, audit } = config.retention;
  const retentionMs = { standard, security, audit };
  const retention = startRetention(store, retentionMs, config.retention.interval, clock, (dropped) => {
    for (const p of dropped) metrics.retentionDropped.inc({ category: p.category });
    logger.info({ event: 'retention.dropped', partitions: dropped.map((p) => p.path) }, 'retention dropped partitions');
  });

  const tsdb = new TsdbWriter({
    dir: join(dataDir, 'metrics'),
    retentionDays: Math.max(1, Math.round(config.metrics.retention / 86_400_000)),
    limits: {
      maxSeriesPerTenant: config.metrics.max_series_per_tenant,
      maxLabelsPerSeries: config.metrics.max_labels_per_series,
      maxLabelNameLength: config.limits.max_label_name_length,
      maxLabelValueLength: config.limits.max_label_value_length,
    },
    now: () => clock.now(),
  });
  // flushes idle series' chunks and drops expired day files
  const tsdbMaintenance = clock.setInterval(() => tsdb.maintain(), 60_000);
  // TYPE/HELP/UNIT per metric family and tenant, for /api/v1/metadata
  const metadata = new MetadataStore(clock);
  // keeps head_log (replayed at start) short; queries flush first anyway
  const tsdbHeadFlush = clock.setInterval(() => tsdb.flushHead(), 1_000);
  // returns the garbage a burst of ingest leaves behind (V8 does not, while idle)
  const idleCollection = collectGarbageWhenIdle(clock);

  // ingest
  const redaction = config.redaction;
  const redactor = redaction.enabled
    ? createRedactor({
        extraFieldNames: redaction.extra_fields,
        extraPatterns: redaction.extra_patterns.map((p) => ({ name: p.name, pattern: p.regex, replacement: p.replacement })),
        disabledPatterns: redaction.disable_patterns,
      })
    : undefined;
  const ingester = new LogIngester({
    store,
    redactor,
    metrics,
    now: () => clock.now(),
    limits: {
      maxLabelsPerStream: config.limits.max_labels_per_stream,
      maxLabelNameLength: config.limits.max_label_name_length,
      maxLabelValueLength: config.limits.max_label_value_length,
      maxLineBytes: config.limits.max_line_bytes,
      futureGraceMs: config.limits.future_grace,
      retentionMs,
    },
  });
  if (config.logging.self_ingest) attach((request) => ingester.ingest('default', 'self', request));

  const remoteWriteDecoder = new RemoteWriteDecoder();

  // query
  const queries = new QueryWorkerPool(dataDir, config.query.workers, config.query.timeout, () => tsdb.flushHead());

  // alerting: rules → dispatcher → notifications, beside silences and the ledger
  const configDir = options.configPath ? dirname(resolve(options.configPath)) : process.cwd();
  const alertingDb = openDatabase(join(dataDir, 'alerting.db'), '');
  // on-call: incidents and their escalation, in alerting.db beside the ledger
  const oncall = new OncallService({
    config: config.oncall,
    db: alertingDb,
    clock,
    registry: metrics.registry,
    logger,
    // read only when a record is asked for, long after `alerting` below exists
    ledger: (filter): LedgerEntry[] => alerting.ledger.query(filter),
  });
  const alerting = new Alerting({
    config,
    configDir,
    db: alertingDb,
    clock,
    queries,
    appender: tsdb,
    registry: metrics.registry,
    logger,
    oncall,
  });
  const dashboards = new DashboardStore({
    clock,
    dirs: config.dashboards.dirs.map((dir) => resolve(configDir, dir)),
    builtin: config.dashboards.builtin,
    onReload: (entries) => {
      for (const broken of entries.filter((e) => e.error)) logger.warn({ event: 'dashboard.invalid', file: broken.file, error: broken.error }, 'dashboard file is invalid');
    },
  });
  dashboards.start();
  let scrapes: ScrapeManager | undefined;
  // what /api/v1/status/{config,flags,runtimeinfo} show; `address` is set before any request can ask
  let running: Omit<RunningConfig, 'scrape'> = { config, file: options.configPath ?? '', reloadSuccess: true, loadedAtMs: clock.now() };
  const reload = async () => {
    running = { ...running, reloadSuccess: false };
    const next = options.configPath ? loadConfigFile(options.configPath) : config;
    // A bad or refused oncall or alerting part keeps both running as they were.
    oncall.reload(next.oncall, () => alerting.reload(next));
    await scrapes?.reload(withSelfScrape(next, address));
    running = { ...running, config: next, reloadSuccess: true, loadedAtMs: clock.now() };
    logger.info({ event: 'config.reloaded' }, 'configuration reloaded');
  };

  // API
  const app = await buildApp({
    logger,
    metrics,
    ingester,
    appender: tsdb,
    remoteWriteDecoder,
    metadata,
    queries,
    maxBodyBytes: config.server.max_body_bytes,
    maxSamplesPerRequest: config.metrics.max_samples_per_request,
    maxEntriesLimit: config.query.max_entries_limit,
    now: () => clock.now(),
    isReady: () => ready,
    isStoreWritable: () => store.isWritable(),
    alerting,
    dashboards,
    oncall,
    reload,
    startedAt: clock.now(),
    build: BUILD,
    running: () => ({ ...running, scrape: withSelfScrape(running.config, address) }),
  });
  const [host, port] = splitListen(config.server.listen);
  const address = await app.listen({ host, port });

  // scrape (Vigil scrapes itself unless a job is already called "vigil")
  scrapes = new ScrapeManager(withSelfScrape(config, address), {
    appender: tsdb,
    clock,
    failures: createScrapeFailuresCounter(metrics.registry),
    metadata,
    onFailure: ({ target, error }) => logger.warn({ event: 'scrape.failed', target, error }, 'scrape failed'),
  });
  scrapes.start();
  alerting.start(address);
  oncall.start({ externalURL: config.server.external_url ?? address, global: () => alerting.alertmanagerGlobal(), notifier: alerting.notifierPort() });
  ready = true;
  logger.info({ event: 'vigil.started', address, data_dir: dataDir }, 'Vigil is listening');

  return {
    url: address,
    reload,
    async close() {
      ready = false;
      retention.stop();
      tsdbMaintenance.stop();
      tsdbHeadFlush.stop();
      idleCollection.stop();
      alerting.close();
      oncall.stop();
      dashboards.stop();
      await scrapes!.stop();
      await app.close();
      await queries.close();
      await remoteWriteDecoder.close();
      flush();
      store.close();
      tsdb.close();
      alertingDb.close();
    },
  };
}

function withSelfScrape(config: VigilConfig, address: string): ScrapeSection {
  const section = { global: config.global, scrape_configs: [...config.scrape_configs] };
  if (section.scrape_configs.some((job) => job.job_name === 'vigil')) return section;
  const self = scrapeConfigSchema.parse({ job_name: 'vigil', static_configs: [{ targets: [new URL(address).host] }] });
  section.scrape_configs.push(self);
  return section;
}

function splitListen(listen: string): [string, number] {
  const at = listen.lastIndexOf(':');
  return [listen.slice(0, at), Number(listen.slice(at + 1))];
}
