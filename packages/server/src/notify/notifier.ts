/**
 * Sends a notification through every integration of a receiver at once:
 * resolved alerts dropped where send_resolved is off, each attempt under a
 * timeout, retries with backoff, metrics, and the receiver's `fallback`
 * when every integration failed.
 */
import { performance } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import { systemClock, type Clock } from '../clock.ts';
import type { Notification, NotifierPort, SendResult } from '../dispatch/model.ts';
import { VigilError } from '../errors.ts';
import type { GlobalConfig, ReceiverConfig } from './config.ts';
import type { IntegrationContext } from './integrations/integration.ts';
import { notifyMetrics, type NotifyMetrics } from './metrics.ts';
import { buildReceivers, type BuiltReceiver, type NamedIntegration } from './receivers.ts';
import { TextRenderer } from './render.ts';
import { withRetries, type RetryPolicy } from './retry.ts';

export interface NotifierConfig {
  global: GlobalConfig;
  receivers: ReceiverConfig[];
  /** Contents of Alertmanager's `templates:` files, for `{{ template "name" . }}`. */
  templates?: string[];
}

export interface NotifierOptions extends NotifierConfig {
  registry: Registry;
  /** Put in notifications that come without one. */
  externalURL: string;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /** Per attempt, ms. Default 10 000. */
  timeoutMs?: number;
  /** Default 3. */
  maxAttempts?: number;
  /** First backoff ceiling, ms; doubles each retry. Default 500. */
  baseDelayMs?: number;
  /** Backoff ceiling, ms. Default 5000. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaults = { timeoutMs: 10_000, maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 5000 };

function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Notifier implements NotifierPort {
  private readonly metrics: NotifyMetrics;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly externalURL: string;
  private readonly fetch: typeof globalThis.fetch;
  private readonly clock: Clock;
  private receivers: Map<string, BuiltReceiver>;

  constructor(options: NotifierOptions) {
    this.metrics = notifyMetrics(options.registry);
    this.timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
    this.externalURL = options.externalURL;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.clock = options.clock ?? systemClock;
    this.policy = {
      maxAttempts: options.maxAttempts ?? defaults.maxAttempts,
      baseDelayMs: options.baseDelayMs ?? defaults.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? defaults.maxDelayMs,
      sleep: options.sleep ?? realSleep,
      random: options.random ?? Math.random,
    };
    this.receivers = this.build(options);
  }

  /** Swaps in a new config; a config that does not build throws and leaves the old one in place. */
  reconfigure(config: NotifierConfig): void {
    this.receivers = this.build(config);
  }

  async send(receiverName: string, notification: Notification): Promise<SendResult[]> {
    const receiver = this.receiver(receiverName);
    const withURL = notification.externalURL ? notification : { ...notification, externalURL: this.externalURL };
    const results = await this.sendAll(receiver, withURL);
    const allFailed = results.length > 0 && results.every((r) => !r.ok);
    if (!allFailed || receiver.fallback === undefined) return results;
    // One level only: a fallback's own fallback is not followed, so two receivers naming each other cannot loop.
    const fallback = this.receiver(receiver.fallback);
    const fallbackResults = await this.sendAll(fallback, { ...withURL, receiver: fallback.name });
    return [...results, ...fallbackResults.map((r) => ({ ...r, fallbackReceiver: fallback.name }))];
  }

  private build(config: NotifierConfig): Map<string, BuiltReceiver> {
    const ctx: IntegrationContext = { fetch: this.fetch, clock: this.clock, renderer: new TextRenderer(config.templates) };
    return buildReceivers(config.receivers, config.global, ctx, this.timeoutMs);
  }

  private receiver(name: string): BuiltReceiver {
    const receiver = this.receivers.get(name);
    if (!receiver) throw new VigilError('VIGIL_ERR_NOTIFY_FAILED', `no receiver named "${name}"`);
    return receiver;
  }

  private sendAll(receiver: BuiltReceiver, notification: Notification): Promise<SendResult[]> {
    return Promise.all(receiver.integrations.map((named) => this.sendOne(receiver.name, named, notification)));
  }

  private async sendOne(receiverName: string, { id, integration }: NamedIntegration, notification: Notification): Promise<SendResult> {
    const toSend = integration.sendResolved ? notification : { ...notification, alerts: notification.alerts.filter((a) => a.status === 'firing') };
    // Alertmanager's rule: with send_resolved off, a group with nothing firing sends nothing, and that is a success.
    if (toSend.alerts.length === 0) return { integration: id, ok: true, attempts: 0 };
    const labels = { receiver: receiverName, integration: integration.type };
    const timeoutMs = integration.timeoutMs ?? this.timeoutMs;
    const started = performance.now();
    const outcome = await withRetries(this.policy, () => integration.send(toSend, AbortSignal.timeout(timeoutMs)));
    this.metrics.latency.observe({ integration: integration.type }, (performance.now() - started) / 1000);
    this.metrics.sent.inc(labels);
    if (!outcome.ok) this.metrics.failed.inc(labels);
    return { integration: id, ...outcome };
  }
}
