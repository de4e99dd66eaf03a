/** Slack incoming webhooks: one attachment coloured by status and severity, with runbook and dashboard buttons. */
import { readFileSync } from 'node:fs';
import type { Notification } from '../../dispatch/model.ts';
import { VigilError } from '../../errors.ts';
import type { GlobalConfig, SlackConfig } from '../config.ts';
import { alertLinks, alertSummary, defaultSubject, groupSeverity, labelPairs, templateData, truncate } from '../template-data.ts';
import { deliver, jsonHeaders } from './http.ts';
import { checkTemplates, renderField, type Integration, type IntegrationContext } from './integration.ts';

/** Slack shows at most five actions per attachment. */
const MAX_ACTIONS = 5;
const MAX_TITLE_CHARS = 1024;
/** Beyond this many alerts the text lists a count instead: a message stays readable. */
const MAX_LISTED_ALERTS = 20;

export function slackColor(n: Notification): string {
  if (n.status === 'resolved') return 'good';
  const severity = groupSeverity(n);
  if (severity === undefined || severity === 'critical') return 'danger';
  if (severity === 'info' || severity === 'low') return '#439FE0';
  return 'warning';
}

function alertLine(alert: Notification['alerts'][number]): string {
  const severity = alert.labels.severity ? ` \`${alert.labels.severity}\`` : '';
  const description = alert.annotations.description && alert.annotations.summary ? `\n${alert.annotations.description}` : '';
  const labels = labelPairs(alert.labels).filter((pair) => !pair.startsWith('alertname='));
  const status = alert.status === 'resolved' ? ' (resolved)' : '';
  return `• *${alertSummary(alert)}*${severity}${status}${description}\n${labels.map((pair) => `\`${pair}\``).join(' ')}`;
}

function defaultSlackText(n: Notification): string {
  const listed = n.alerts.slice(0, MAX_LISTED_ALERTS).map(alertLine);
  const more = n.alerts.length - listed.length + n.truncatedAlerts;
  return [...listed, ...(more > 0 ? [`…and ${more} more`] : [])].join('\n');
}

function resolveApiUrl(config: SlackConfig, global: GlobalConfig, name: string): () => string {
  const inline = config.api_url ?? (config.api_url_file ? undefined : global.slack_api_url);
  const file = config.api_url_file ?? (config.api_url ? undefined : global.slack_api_url_file);
  if (inline) return () => inline;
  if (file) return () => readFileSync(file, 'utf8').trim();
  throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `${name}: no api_url, api_url_file, global.slack_api_url or global.slack_api_url_file is set`);
}

export function slackIntegration(config: SlackConfig, global: GlobalConfig, ctx: IntegrationContext, name: string): Integration {
  const apiUrl = resolveApiUrl(config, global, name);
  const { channel, username, icon_emoji, icon_url, color, title, title_link, pretext, text, fallback, footer } = config;
  checkTemplates(ctx, name, { channel, username, icon_emoji, icon_url, color, title, title_link, pretext, text, fallback, footer });
  const httpConfig = config.http_config ?? global.http_config;
  return {
    type: 'slack',
    sendResolved: config.send_resolved,
    async send(n, signal) {
      const body = JSON.stringify(await slackMessage(config, n, ctx, name));
      const headers = jsonHeaders(httpConfig);
      await deliver(ctx, { what: 'slack', url: apiUrl(), headers, body, followRedirects: httpConfig?.follow_redirects }, signal);
    },
  };
}

/** The request body. `name` (e.g. "slack_configs[0]") locates template errors. */
async function slackMessage(config: SlackConfig, n: Notification, ctx: IntegrationContext, name: string): Promise<Record<string, unknown>> {
  const data = templateData(n);
  const field = (key: keyof SlackConfig & string, fallback: () => string) =>
    renderField(ctx, data, { source: config[key] as string | undefined, name: `${name}.${key}` }, fallback);
  const attachment = {
    color: await field('color', () => slackColor(n)),
    title: truncate(await field('title', () => defaultSubject(n)), MAX_TITLE_CHARS),
    title_link: await field('title_link', () => n.externalURL),
    pretext: await field('pretext', () => ''),
    text: await field('text', () => defaultSlackText(n)),
    fallback: await field('fallback', () => defaultSubject(n)),
    footer: await field('footer', () => ''),
    fields: config.fields.map((f) => ({ title: f.title, value: f.value, short: f.short ?? config.short_fields })),
    actions: [...config.actions, ...alertLinks(n).map((link) => ({ type: 'button', ...link }))].slice(0, MAX_ACTIONS),
    mrkdwn_in: config.mrkdwn_in,
  };
  return withoutEmpty({
    channel: await field('channel', () => ''),
    username: await field('username', () => ''),
    icon_emoji: await field('icon_emoji', () => ''),
    icon_url: await field('icon_url', () => ''),
    link_names: config.link_names || undefined,
    attachments: [withoutEmpty(attachment)],
  });
}

/** Slack rejects some empty values (an empty channel), so unset keys are left out. */
function withoutEmpty(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== '' && v !== undefined && !(Array.isArray(v) && v.length === 0)));
}
