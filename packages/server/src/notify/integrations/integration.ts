/**
 * The shape every integration has: build once from its config, then send
 * one notification per call. Errors say whether a retry can help.
 */
import type { Clock } from '../../clock.ts';
import type { Notification } from '../../dispatch/model.ts';
import type { TextRenderer } from '../render.ts';
import type { TemplateData } from '../template-data.ts';

export type IntegrationType = 'webhook' | 'slack' | 'pagerduty' | 'email' | 'sms';

export interface Integration {
  readonly type: IntegrationType;
  readonly sendResolved: boolean;
  /** Overrides the notifier's per-attempt timeout (webhook `timeout`). */
  readonly timeoutMs?: number;
  send(notification: Notification, signal: AbortSignal): Promise<void>;
}

/** A failed delivery. Messages name the host, never the full URL: Slack and webhook URLs often carry secrets. */
export class DeliveryError extends Error {
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryError';
    this.retryable = retryable;
  }
}

export interface IntegrationContext {
  fetch: typeof globalThis.fetch;
  renderer: TextRenderer;
  clock: Clock;
}

/** Parses every template field of an integration at build time, so a broken one fails the config load. */
export function checkTemplates(ctx: IntegrationContext, name: string, fields: Record<string, string | undefined>): void {
  for (const [key, source] of Object.entries(fields)) ctx.renderer.check(source, `${name}.${key}`);
}

/** Renders a user template field, or returns the default text when the field is unset. */
export async function renderField(
  ctx: IntegrationContext,
  data: TemplateData,
  field: { source: string | undefined; name: string },
  fallback: () => string,
): Promise<string> {
  return field.source === undefined ? fallback() : ctx.renderer.render(field.source, data, field.name);
}
