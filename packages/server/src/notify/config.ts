/**
 * Alertmanager's `global` section and `receivers`, in Alertmanager's own
 * keys and defaults so an existing alertmanager.yml loads unchanged. Vigil's
 * additions: `sms_configs` (Twilio), webhook `signing_secret` and a
 * receiver's `fallback`. Integrations Alertmanager has and Vigil does not
 * (OpsGenie, Teams…) are config errors that name them, never silently dropped.
 * Fields that hold Go templates are kept as source text; `render.ts` runs them.
 */
import { z } from 'zod';
import { parseDurationMs } from '../config/duration.ts';
import { httpConfigSchema, unsupported } from './http-config.ts';

const duration = z
  .string()
  .refine((text) => parseDurationMs(text) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not a duration; use e.g. 30s, 5m, 1h`,
  })
  .transform((text) => parseDurationMs(text)!);

const url = z.url({ error: (issue) => `"${String(issue.input)}" is not a URL` });
const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'use HOST:PORT, e.g. smtp.example.com:587 or [::1]:25');
const templateText = z.string();

/** Keys of `global` that only unsupported integrations use: accepted so the file loads, never read. */
const otherIntegrationGlobals = [
  'opsgenie_api_url', 'opsgenie_api_key', 'opsgenie_api_key_file', 'wechat_api_url', 'wechat_api_secret',
  'wechat_api_corp_id', 'victorops_api_url', 'victorops_api_key', 'victorops_api_key_file', 'telegram_api_url',
  'webex_api_url', 'rocketchat_api_url', 'rocketchat_token', 'rocketchat_token_id', 'jira_api_url',
] as const;

export const globalSchema = z
  .object({
    /** How long after its last update an alert without endsAt counts as resolved. */
    resolve_timeout: duration.prefault('5m'),
    /** Used by every HTTP integration that has no http_config of its own. */
    http_config: httpConfigSchema.optional(),
    smtp_from: z.string().optional(),
    smtp_hello: z.string().default('localhost'),
    smtp_smarthost: hostPort.optional(),
    smtp_auth_username: z.string().optional(),
    smtp_auth_password: z.string().optional(),
    smtp_auth_password_file: z.string().optional(),
    smtp_auth_identity: z.string().optional(),
    smtp_auth_secret: unsupported('global.smtp_auth_secret (CRAM-MD5)'),
    smtp_require_tls: z.boolean().default(true),
    smtp_tls_config: unsupported('global.smtp_tls_config'),
    slack_api_url: url.optional(),
    slack_api_url_file: z.string().optional(),
    pagerduty_url: url.default('https://events.pagerduty.com/v2/enqueue'),
    /** Vigil: the Twilio API base for every sms_config without api_url. */
    twilio_api_url: url.default('https://api.twilio.com'),
    /** Vigil: signs every webhook that has no signing_secret of its own. */
    webhook_signing_secret: z.string().min(1).optional(),
    ...(Object.fromEntries(otherIntegrationGlobals.map((key) => [key, z.unknown().optional()])) as Record<
      (typeof otherIntegrationGlobals)[number],
      z.ZodOptional<z.ZodUnknown>
    >),
  })
  .strict();

const common = {
  http_config: httpConfigSchema.optional(),
};

const webhookConfigSchema = z
  .object({
    send_resolved: z.boolean().default(true),
    ...common,
    url: url.optional(),
    url_file: z.string().min(1).optional(),
    /** 0: no limit. Alerts beyond it are dropped and counted in truncatedAlerts. */
    max_alerts: z.number().int().min(0).default(0),
    /** Per attempt; undefined: the notifier's timeout. */
    timeout: duration.optional(),
    /** Vigil: HMAC-SHA256 key for the X-Vigil-Signature header (see integrations/webhook.ts). */
    signing_secret: z.string().min(1).optional(),
  })
  .strict()
  .refine((c) => (c.url === undefined) !== (c.url_file === undefined), { error: 'exactly one of url and url_file must be set', path: ['url'] });

const slackField = z.object({ title: z.string(), value: z.string(), short: z.boolean().optional() }).strict();
const slackAction = z
  .object({ type: z.string().default('button'), text: z.string(), url: z.string().optional(), style: z.string().optional(), name: z.string().optional(), value: z.string().optional() })
  .strict();

const slackConfigSchema = z
  .object({
    send_resolved: z.boolean().default(false),
    ...common,
    /** Undefined: global.slack_api_url. */
    api_url: url.optional(),
    api_url_file: z.string().min(1).optional(),
    channel: templateText.optional(),
    username: templateText.optional(),
    icon_emoji: templateText.optional(),
    icon_url: templateText.optional(),
    /** Undefined: Vigil's default colour by status and severity. */
    color: templateText.optional(),
    title: templateText.optional(),
    title_link: templateText.optional(),
    pretext: templateText.optional(),
    text: templateText.optional(),
    fallback: templateText.optional(),
    footer: templateText.optional(),
    fields: z.array(slackField).default([]),
    actions: z.array(slackAction).default([]),
    link_names: z.boolean().default(false),
    mrkdwn_in: z.array(z.string()).default(['fallback', 'pretext', 'text']),
    short_fields: z.boolean().default(false),
    callback_id: unsupported('slack_configs.callback_id'),
    image_url: unsupported('slack_configs.image_url'),
    thumb_url: unsupported('slack_configs.thumb_url'),
    app_token: unsupported('slack_configs.app_token'),
    app_url: unsupported('slack_configs.app_url'),
  })
  .strict()
  .refine((c) => !(c.api_url && c.api_url_file), { error: 'at most one of api_url and api_url_file may be set', path: ['api_url_file'] });

const pagerdutyLink = z.object({ href: z.string(), text: z.string().optional() }).strict();
const pagerdutyImage = z.object({ src: z.string(), alt: z.string().optional(), href: z.string().optional() }).strict();

const pagerdutyConfigSchema = z
  .object({
    send_resolved: z.boolean().default(true),
    ...common,
    routing_key: z.string().min(1).optional(),
    routing_key_file: z.string().min(1).optional(),
    service_key: unsupported('pagerduty_configs.service_key (Events API v1); use routing_key'),
    service_key_file: unsupported('pagerduty_configs.service_key_file (Events API v1); use routing_key_file'),
    /** Undefined: global.pagerduty_url. */
    url: url.optional(),
    client: templateText.default('Vigil'),
    /** Undefined: the external URL. */
    client_url: templateText.optional(),
    description: templateText.optional(),
    /** Merged over Alertmanager's defaults: firing, resolved, num_firing, num_resolved. */
    details: z.record(z.string(), templateText).default({}),
    links: z.array(pagerdutyLink).default([]),
    images: z.array(pagerdutyImage).default([]),
    source: templateText.optional(),
    /** Undefined: from the alerts' severity label (critical→critical, high→error, medium→warning, low→info). */
    severity: templateText.optional(),
    class: templateText.optional(),
    component: templateText.optional(),
    group: templateText.optional(),
  })
  .strict()
  .refine((c) => (c.routing_key === undefined) !== (c.routing_key_file === undefined), {
    error: 'exactly one of routing_key and routing_key_file must be set',
    path: ['routing_key'],
  });

const emailConfigSchema = z
  .object({
    send_resolved: z.boolean().default(false),
    /** One address or several, comma-separated. */
    to: z.string().min(1, 'missing to address in email config'),
    /** Undefined: the matching global.smtp_* key. */
    from: z.string().optional(),
    hello: z.string().optional(),
    smarthost: hostPort.optional(),
    auth_username: z.string().optional(),
    auth_password: z.string().optional(),
    auth_password_file: z.string().optional(),
    auth_identity: z.string().optional(),
    auth_secret: unsupported('email_configs.auth_secret (CRAM-MD5)'),
    headers: z.record(z.string(), templateText).default({}),
    html: templateText.optional(),
    text: templateText.optional(),
    require_tls: z.boolean().optional(),
    tls_config: unsupported('email_configs.tls_config'),
  })
  .strict();

/** Vigil's own: Twilio's Messages API. */
const smsConfigSchema = z
  .object({
    send_resolved: z.boolean().default(false),
    account_sid: z.string().min(1),
    auth_token: z.string().min(1).optional(),
    auth_token_file: z.string().min(1).optional(),
    /** E.164 numbers, e.g. +15550100. */
    from: z.string().min(1),
    to: z.string().min(1),
    /** Undefined: global.twilio_api_url. */
    api_url: url.optional(),
    body: templateText.optional(),
  })
  .strict()
  .refine((c) => (c.auth_token === undefined) !== (c.auth_token_file === undefined), {
    error: 'exactly one of auth_token and auth_token_file must be set',
    path: ['auth_token'],
  });

const unsupportedIntegrations = [
  'opsgenie_configs', 'victorops_configs', 'pushover_configs', 'telegram_configs', 'msteams_configs', 'msteamsv2_configs',
  'discord_configs', 'sns_configs', 'wechat_configs', 'webex_configs', 'rocketchat_configs', 'jira_configs', 'incidentio_configs',
] as const;

export const receiverSchema = z
  .object({
    name: z.string().min(1, 'every receiver needs a name'),
    /** Vigil: the receiver to try when every integration of this one failed. */
    fallback: z.string().min(1).optional(),
    webhook_configs: z.array(webhookConfigSchema).default([]),
    slack_configs: z.array(slackConfigSchema).default([]),
    pagerduty_configs: z.array(pagerdutyConfigSchema).default([]),
    email_configs: z.array(emailConfigSchema).default([]),
    sms_configs: z.array(smsConfigSchema).default([]),
    /** Vigil: opens or updates an incident under the escalation policy (which must exist in `oncall:`). */
    oncall_configs: z.array(z.object({ policy: z.string().min(1) }).strict()).default([]),
    ...(Object.fromEntries(unsupportedIntegrations.map((key) => [key, unsupported(key)])) as Record<
      (typeof unsupportedIntegrations)[number],
      ReturnType<typeof unsupported>
    >),
  })
  .strict()
  .refine((r) => r.fallback !== r.name, { error: 'a receiver cannot be its own fallback', path: ['fallback'] });

export type GlobalConfig = z.output<typeof globalSchema>;
export type ReceiverConfig = z.output<typeof receiverSchema>;
export type WebhookConfig = z.output<typeof webhookConfigSchema>;
export type SlackConfig = z.output<typeof slackConfigSchema>;
export type PagerdutyConfig = z.output<typeof pagerdutyConfigSchema>;
export type EmailConfig = z.output<typeof emailConfigSchema>;
export type SmsConfig = z.output<typeof smsConfigSchema>;
