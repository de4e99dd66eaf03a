/** Test doubles for the dispatcher: a recording notifier, a silence stub, and a timeline harness. */
import Database from 'better-sqlite3';
import { FakeClock } from '../testing/fake-clock.ts';
import { parseAlertmanagerConfig } from './config.ts';
import { Dispatcher, type DispatchEvent, type Silencer } from './dispatcher.ts';
import type { Alert, LabelSet, Notification, NotifierPort, SendResult } from './model.ts';

export interface SentNotification {
  at: number;
  receiver: string;
  notification: Notification;
}

export class RecordingNotifier implements NotifierPort {
  readonly sent: SentNotification[] = [];
  /** Set to make the next sends fail. */
  failing = false;

  constructor(private readonly clock: { now(): number }) {}

  async send(receiver: string, notification: Notification): Promise<SendResult[]> {
    this.sent.push({ at: this.clock.now(), receiver, notification });
    return [{ integration: 'webhook[0]', ok: !this.failing, attempts: 1, ...(this.failing ? { error: 'HTTP 500' } : {}) }];
  }

  /** A compact view of what was sent: receiver, status and "alertname/instance:status" per alert. */
  summary(): string[] {
    return this.sent.map(({ receiver, notification: n }) => `${receiver} ${n.status} ${n.alerts.map((a) => `${a.labels.alertname}${a.labels.instance ? '/' + a.labels.instance : ''}:${a.status}`).join(',')}`);
  }

  clear(): void {
    this.sent.length = 0;
  }
}

/** Silences by predicate: each rule mutes the labels it accepts, under its id. */
export class StubSilences implements Silencer {
  readonly rules: { id: string; mutes: (labels: LabelSet) => boolean }[] = [];

  mutedBy(labels: LabelSet): string[] {
    return this.rules.filter((r) => r.mutes(labels)).map((r) => r.id);
  }
}

export interface Harness {
  clock: FakeClock;
  notifier: RecordingNotifier;
  silences: StubSilences;
  events: DispatchEvent[];
  dispatcher: Dispatcher;
  /** Moves the clock forward and flushes what is due. */
  advance(ms: number): Promise<void>;
  alert(labels: LabelSet, extra?: Partial<Alert>): Alert;
}

export function harness(rawConfig: unknown, options: { db?: Database.Database; clock?: FakeClock } = {}): Harness {
  const clock = options.clock ?? new FakeClock();
  const notifier = new RecordingNotifier(clock);
  const silences = new StubSilences();
  const events: DispatchEvent[] = [];
  const dispatcher = new Dispatcher({
    config: parseAlertmanagerConfig(rawConfig),
    notifier,
    clock,
    db: options.db ?? new Database(':memory:'),
    silences,
    externalURL: 'http://vigil.test',
    onEvent: (e) => events.push(e),
  });
  return {
    clock,
    notifier,
    silences,
    events,
    dispatcher,
    async advance(ms) {
      clock.advance(ms);
      await dispatcher.tick();
    },
    alert: (labels, extra = {}) => ({ labels, annotations: {}, startsAt: clock.now(), endsAt: 0, generatorURL: 'http://gen/x', updatedAt: 0, ...extra }),
  };
}
