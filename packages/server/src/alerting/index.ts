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
import { Dispatcher, type AlertmanagerConfig } from '../dispatch/index.ts';
import { Silences, type GettableSilence } from '../dispatch/silences.ts';
import { Notifier } from '../notify/index.ts';
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
  externalURL: string;
}

export class Alerting {
  readonly ledger: AlertLedger;
  readonly silences: Silences;
  readonly dispatcher: Dispatcher;
  readonly notifier: Notifier;
  private readonly rules: RuleManager;
  private setup: AlertingSetup;
  private readonly ledgerPruning: { stop(): void };

  constructor(private readonly deps: AlertingDeps) {
    const { config, clock, db, logger } = deps;
    this.setup = loadAlertingSetup(config, deps.configDir);
    this.ledger = new AlertLedger(db);
    this.notifier = new Notifier({
      global: this.setup.alertmanager.global,
      receivers: this.setup.alertmanager.receivers,
      templates: this.setup.templates,
      registry: deps.registry,
      externalURL: deps.externalURL,
    });
    this.silences = new Silences(db, {
      clock,
      onChange: (event) => this.ledger.record({ at: clock.now(), kind: 'silence', action: event.action, detail: event.silence }),
      onExpired: (silence) => this.noticeExpiry(silence),
    });
    this.dispatcher = new Dispatcher({
      config: this.setup.alertmanager,
      notifier: this.notifier,
      clock,
      db,
      silences: this.silences,
      externalURL: deps.externalURL,
      onEvent: (event) => {
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
        if (action !== 'sent') logger.warn({ event: 'notification.failed', receiver: event.receiver, results: event.results }, 'notification failed');
      },
    });
    this.rules = new RuleManager({
      db,
      clock,
      queries: deps.queries,
      appender: deps.appender,
      ledger: this.ledger,
      sendAlerts: (alerts) => this.dispatcher.put(alerts),
      tenant: config.rules.tenant,
      externalLabels: config.global.external_labels,
      externalURL: deps.externalURL,
      resendDelayMs: config.rules.resend_delay,
      defaultIntervalMs: config.global.evaluation_interval,
      queryTimeoutMs: config.query.timeout,
      onError: (group, err) => logger.warn({ event: 'rule.failed', group, error: (err as Error).message }, 'rule evaluation failed'),
    });
    this.ledgerPruning = clock.setInterval(() => this.ledger.prune(clock.now() - config.retention.alert_ledger), 3_600_000);
  }

  start(): void {
    this.silences.start();
    this.dispatcher.start();
    this.rules.load(this.setup.rules);
  }

  /** Re-reads rule files and the Alertmanager configuration; throws (keeping the running ones) when they are bad. */
  reload(config: VigilConfig): void {
    const setup = loadAlertingSetup(config, this.deps.configDir);
    this.notifier.reconfigure({ global: setup.alertmanager.global, receivers: setup.alertmanager.receivers, templates: setup.templates });
    this.dispatcher.reconfigure(setup.alertmanager);
    this.rules.load(setup.rules);
    this.setup = setup;
  }

  alertmanagerConfig(): AlertmanagerConfig {
    return this.setup.alertmanager;
  }

  ruleGroups(): RuleGroupStatus[] {
    return this.rules.groups().map((group) => group.status());
  }

  /** What the Alertmanager API v2 routes read and write. */
  alertmanagerCore(): AlertmanagerCore {
    const dispatcher = this.dispatcher;
    return {
      put: (alerts) => dispatcher.put(alerts),
      alerts: (filter) => dispatcher.alerts(filter),
      groups: (filter) => dispatcher.groups(filter),
      receivers: () => dispatcher.receivers(),
      configYaml: () => this.setup.alertmanagerYaml,
    };
  }

  testAlert(labels: Record<string, string>, annotations: Record<string, string>): Promise<AlertTestRoute[]> {
    const { dispatcher, notifier } = this;
    return sendTestAlert({ dispatcher, notifier, externalURL: this.deps.externalURL, now: this.deps.clock.now() }, labels, annotations);
  }

  /** For tests: evaluates every rule group now. */
  evaluateRules(): Promise<void> {
    return this.rules.evaluateAll();
  }

  close(): void {
    this.rules.stop();
    this.dispatcher.stop();
    this.silences.stop();
    this.ledgerPruning.stop();
  }

  /** An expired silence is announced as a low-severity alert, so the routing tree sends it to its creator's receiver. */
  private noticeExpiry(silence: GettableSilence): void {
    const now = this.deps.clock.now();
    this.dispatcher.put([
      {
        labels: { alertname: 'VigilSilenceExpired', severity: 'low', silence_id: silence.id, created_by: silence.createdBy },
        annotations: {
          summary: `Silence ${silence.id} by ${silence.createdBy} has expired`,
          description: `Comment: ${silence.comment}. Matchers: ${silence.matchers.map((m) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}"${m.value}"`).join(', ')}`,
        },
        startsAt: now,
        endsAt: now + 60_000,
        generatorURL: `${this.deps.externalURL}/#/silences/${silence.id}`,
        updatedAt: now,
      },
    ]);
  }
}
