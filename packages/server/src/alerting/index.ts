/**
 * The alerting pipeline, wired: rule groups (rules/) evaluated on their
 * intervals → the Alertmanager-compatible dispatcher (dispatch/), which also
 * takes alerts from outside → notifications (notify/); silences and the
 * alert ledger beside them in one SQLite file, alerting.db.
 *
 * A reload re-reads rule files and the Alertmanager configuration; a bad
 * file leaves the running configuration in place.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { VigilConfig } from '../config/index.ts';
import { Dispatcher, type DispatchEvent } from '../dispatch/index.ts';
import { VigilError } from '../errors.ts';
import { Silences, type GettableSilence } from '../dispatch/silences.ts';
import { Notifier, type GlobalConfig, type ReceiverConfig } from '../notify/index.ts';
import type { Notification, NotifierPort, SendResult } from '../dispatch/model.ts';
import type { QueryRunner } from '../query/worker-pool.ts';
import type { SampleAppender } from '../tsdb/index.ts';
import { AlertLedger } from './ledger.ts';
import { sendTestAlert, type AlertTestRoute } from './alert-test.ts';
import type { AlertmanagerCore } from '../api/alertmanager/index.ts';
import { RuleManager } from './rule-manager.ts';
import { loadAlertingSetup, type AlertingSetup } from './setup.ts';
import type { RuleGroupStatus } from '../rules/index.ts';

export { AlertLedger, type LedgerEntry, type LedgerFilter } from './ledger.ts';
export { loadAlertingSetup, type AlertingSetup } from './setup.ts';

/** Where notifications of receivers with `oncall_configs` go besides their integrations (oncall/service.ts). */
export interface OncallHandoff {
  /** Throws when an `oncall_configs` policy does not exist, leaving the previous receivers in place. */
  useReceivers(receivers: ReceiverConfig[]): void;
  handles(receiver: string): boolean;
  handle(receiver: string, notification: Notification): void;
}

export interface AlertingDeps {
  config: VigilConfig;
  /** Relative rule_files and alertmanager_config_file are resolved against it. */
  configDir: string;
  db: Database.Database;
  clock: Clock;
  queries: QueryRunner;
  appender: SampleAppender;
  registry: Registry;
  logger: Logger;
  oncall?: OncallHandoff;
}

/** What runs once the server listens: links in notifications need the address it got. */
interface Running {
  externalURL: string;
  notifier: Notifier;
  dispatcher: Dispatcher;
  rules: RuleManager;
}

export class Alerting {
  readonly ledger: AlertLedger;
  readonly silences: Silences;
  private running: Running | undefined;
  private setup: AlertingSetup;
  private readonly ledgerPruning: { stop(): void };

  constructor(private readonly deps: AlertingDeps) {
    const { config, clock, db } = deps;
    this.setup = loadAlertingSetup(config, deps.configDir);
    deps.oncall?.useReceivers(this.setup.alertmanager.receivers);
    this.ledger = new AlertLedger(db);
    this.silences = new Silences(db, {
      clock,
      onChange: (event) => this.ledger.record({ at: clock.now(), kind: 'silence', action: event.action, detail: event.silence }),
      onExpired: (silence) => this.noticeExpiry(silence),
    });
    this.ledgerPruning = clock.setInterval(() => this.ledger.prune(clock.now() - config.retention.alert_ledger), 3_600_000);
  }

  /** Starts evaluating and dispatching; links point at `server.external_url`, else at the address Vigil listens on. */
  start(listenURL: string): void {
    const { config, clock, db, logger } = this.deps;
    const externalURL = config.server.external_url ?? listenURL;
    const notifier = new Notifier({
      global: this.setup.alertmanager.global,
      receivers: this.setup.alertmanager.receivers,
      templates: this.setup.templates,
      registry: this.deps.registry,
      externalURL,
    });
    const dispatcher = new Dispatcher({
      config: this.setup.alertmanager,
      notifier: withOncall(notifier, this.deps.oncall),
      clock,
      db,
      silences: this.silences,
      externalURL,
      onEvent: (event) => this.recordNotification(event),
    });
    const rules = new RuleManager({
      db,
      clock,
      queries: this.deps.queries,
      appender: this.deps.appender,
      ledger: this.ledger,
      sendAlerts: (alerts) => dispatcher.put(alerts),
      tenant: config.rules.tenant,
      externalLabels: config.global.external_labels,
      externalURL,
      resendDelayMs: config.rules.resend_delay,
      defaultIntervalMs: config.global.evaluation_interval,
      queryTimeoutMs: config.query.timeout,
      onError: (group, err) => logger.warn({ event: 'rule.failed', group, error: (err as Error).message }, 'rule evaluation failed'),
    });
    this.running = { externalURL, notifier, dispatcher, rules };
    this.silences.start();
    dispatcher.start();
    rules.load(this.setup.rules);
  }

  /** Re-reads rule files and the Alertmanager configuration; throws (keeping the running ones) when they are bad. */
  reload(config: VigilConfig): void {
    const setup = loadAlertingSetup(config, this.deps.configDir);
    const { notifier, dispatcher, rules } = this.live();
    this.deps.oncall?.useReceivers(setup.alertmanager.receivers);
    notifier.reconfigure({ global: setup.alertmanager.global, receivers: setup.alertmanager.receivers, templates: setup.templates });
    dispatcher.reconfigure(setup.alertmanager);
    rules.load(setup.rules);
    this.setup = setup;
  }

  /** The Alertmanager `global` section (SMTP, Twilio, HTTP settings) that on-call pages use too. */
/** Sends to a receiver of the Alertmanager configuration (the on-call digest uses it). */
  notifierPort(): NotifierPort {
    return { send: (receiver, notification) => this.live().notifier.send(receiver, notification) };
  }

    alertmanagerGlobal(): GlobalConfig {
    return this.setup.alertmanager.global;
  }

  ruleGroups(): RuleGroupStatus[] {
    return this.running?.rules.groups().map((group) => group.status()) ?? [];
  }

  /** What the Alertmanager API v2 routes read and write. */
  alertmanagerCore(): AlertmanagerCore {
    return {
      put: (alerts) => this.live().dispatcher.put(alerts),
      alerts: (filter) => this.live().dispatcher.alerts(filter),
      groups: (filter) => this.live().dispatcher.groups(filter),
      receivers: () => this.live().dispatcher.receivers(),
      configYaml: () => this.setup.alertmanagerYaml,
    };
  }

  testAlert(labels: Record<string, string>, annotations: Record<string, string>): Promise<AlertTestRoute[]> {
    const { dispatcher, notifier, externalURL } = this.live();
    return sendTestAlert({ dispatcher, notifier, externalURL, now: this.deps.clock.now() }, labels, annotations);
  }


  close(): void {
    this.running?.rules.stop();
    this.running?.dispatcher.stop();
    this.silences.stop();
    this.ledgerPruning.stop();
  }

  private live(): Running {
    if (this.running === undefined) throw new VigilError('VIGIL_ERR_STORE_UNAVAILABLE', 'alerting is starting; try again in a moment');
    return this.running;
  }

  private recordNotification(event: DispatchEvent): void {
    if (event.kind !== 'notification') return;
    // a receiver whose fallback delivered counts as partial: someone got it, not whom the route named
    const delivered = event.results.filter((r) => r.ok).length;
    const action = delivered === event.results.length ? 'sent' : delivered > 0 ? 'partial' : 'failed';
    this.ledger.record({
      at: event.at,
      kind: 'notification',
      action,
      receiver: event.receiver,
      detail: { groupKey: event.groupKey, status: event.status, fingerprints: event.fingerprints, results: event.results },
    });
    if (action !== 'sent') this.deps.logger.warn({ event: 'notification.failed', receiver: event.receiver, results: event.results }, 'notification failed');
  }

  /** An expired silence is announced as a low-severity alert, so the routing tree sends it to its creator's receiver. */
  private noticeExpiry(silence: GettableSilence): void {
    const { dispatcher, externalURL } = this.live();
    const now = this.deps.clock.now();
    dispatcher.put([
      {
        labels: { alertname: 'VigilSilenceExpired', severity: 'low', silence_id: silence.id, created_by: silence.createdBy },
        annotations: {
          summary: `Silence ${silence.id} by ${silence.createdBy} has expired`,
          description: `Comment: ${silence.comment}. Matchers: ${silence.matchers.map((m) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}"${m.value}"`).join(', ')}`,
        },
        startsAt: now,
        endsAt: now + 60_000,
        generatorURL: `${externalURL}/#/silences/${silence.id}`,
        updatedAt: now,
      },
    ]);
  }
}

/** The notifier, with on-call receivers also handing each notification to on-call (its outcome is one more result). */
function withOncall(notifier: NotifierPort, oncall: OncallHandoff | undefined): NotifierPort {
  if (!oncall) return notifier;
  return {
    async send(receiver, notification) {
      const handed = oncall.handles(receiver) ? [handOver(oncall, receiver, notification)] : [];
      return [...handed, ...(await notifier.send(receiver, notification))];
    },
  };
}

function handOver(oncall: OncallHandoff, receiver: string, notification: Notification): SendResult {
  try {
    oncall.handle(receiver, notification);
    return { integration: 'oncall[0]', ok: true, attempts: 1 };
  } catch (err) {
    return { integration: 'oncall[0]', ok: false, attempts: 1, error: err instanceof Error ? err.message : String(err) };
  }
}
