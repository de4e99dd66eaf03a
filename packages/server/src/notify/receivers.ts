/** A receiver's integrations, built from config once per (re)load so a bad config fails before it is used. */
import { VigilError } from '../errors.ts';
import type { GlobalConfig, ReceiverConfig } from './config.ts';
import { emailIntegration } from './integrations/email.ts';
import type { Integration, IntegrationContext } from './integrations/integration.ts';
import { pagerdutyIntegration } from './integrations/pagerduty.ts';
import { slackIntegration } from './integrations/slack.ts';
import { smsIntegration } from './integrations/sms.ts';
import { webhookIntegration } from './integrations/webhook.ts';

export interface NamedIntegration {
  /** "webhook[0]", "slack[1]"…: the SendResult's `integration`. */
  id: string;
  integration: Integration;
}

export interface BuiltReceiver {
  name: string;
  fallback?: string;
  integrations: NamedIntegration[];
}

function build(receiver: ReceiverConfig, global: GlobalConfig, ctx: IntegrationContext, timeoutMs: number): NamedIntegration[] {
  const named = <C>(type: string, configs: C[], make: (config: C, name: string) => Integration) =>
    configs.map((config, i) => ({ id: `${type}[${i}]`, integration: make(config, `${receiver.name}.${type}_configs[${i}]`) }));
  return [
    ...named('webhook', receiver.webhook_configs, (c) => webhookIntegration(c, global, ctx)),
    ...named('slack', receiver.slack_configs, (c, name) => slackIntegration(c, global, ctx, name)),
    ...named('pagerduty', receiver.pagerduty_configs, (c, name) => pagerdutyIntegration(c, global, ctx, name)),
    ...named('email', receiver.email_configs, (c, name) => emailIntegration(c, global, ctx, name, timeoutMs)),
    ...named('sms', receiver.sms_configs, (c, name) => smsIntegration(c, global, ctx, name)),
  ];
}

/** Every receiver by name; throws VIGIL_ERR_ALERTMANAGER_CONFIG for duplicate names, unknown fallbacks or incomplete integrations. */
export function buildReceivers(
  receivers: ReceiverConfig[],
  global: GlobalConfig,
  ctx: IntegrationContext,
  timeoutMs: number,
): Map<string, BuiltReceiver> {
  const built = new Map<string, BuiltReceiver>();
  for (const receiver of receivers) {
    if (built.has(receiver.name)) throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `receiver "${receiver.name}" is defined more than once`);
    built.set(receiver.name, { name: receiver.name, fallback: receiver.fallback, integrations: build(receiver, global, ctx, timeoutMs) });
  }
  for (const receiver of built.values()) {
    if (receiver.fallback !== undefined && !built.has(receiver.fallback)) {
      throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `receiver "${receiver.name}" has fallback "${receiver.fallback}", which is not a receiver`);
    }
  }
  return built;
}
