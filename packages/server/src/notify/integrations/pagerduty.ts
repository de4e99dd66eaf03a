/** PagerDuty Events API v2: trigger while firing, resolve after, one incident per alert group. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Notification, NotificationAlert } from '../../dispatch/model.ts';
import type { GlobalConfig, PagerdutyConfig } from '../config.ts';
import { alertLinks, defaultSubject, groupSeverity, templateData, truncate, type TemplateData } from '../template-data.ts';
import { deliver, jsonHeaders } from './http.ts';
import { checkTemplates, renderField, type Integration, type IntegrationContext } from './integration.ts';

/** PagerDuty rejects longer summaries. */
const MAX_SUMMARY_CHARS = 1024;

const SEVERITY_FROM_LABEL: Record<string, string> = {
  critical: 'critical',
  high: 'error',
  error: 'error',
  medium: 'warning',
  warning: 'warning',
  low: 'info',
  info: 'info',
};

/** Alertmanager's dedup key: the SHA-256 of the group key, so every notification of a group hits one incident. */
export function dedupKey(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

/** Alertmanager's `pagerduty.default.instances`: each alert's labels, annotations and source. */
function instancesText(alerts: NotificationAlert[]): string {
  return alerts
    .map((a) => {
      const labels = Object.keys(a.labels).sort().map((k) => ` - ${k} = ${a.labels[k]}`);
      const annotations = Object.keys(a.annotations).sort().map((k) => ` - ${k} = ${a.annotations[k]}`);
      return ['Labels:', ...labels, 'Annotations:', ...annotations, `Source: ${a.generatorURL}`].join('\n');
    })
    .join('\n');
}

function defaultDetails(n: Notification): Record<string, string> {
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const resolved = n.alerts.filter((a) => a.status === 'resolved');
  return {
    firing: instancesText(firing),
    resolved: instancesText(resolved),
    num_firing: String(firing.length),
    num_resolved: String(resolved.length),
  };
}

export function pagerdutySeverity(n: Notification): string {
  return SEVERITY_FROM_LABEL[groupSeverity(n) ?? ''] ?? 'error';
}

export function pagerdutyIntegration(config: PagerdutyConfig, global: GlobalConfig, ctx: IntegrationContext, name: string): Integration {
  const httpConfig = config.http_config ?? global.http_config;
  const url = config.url ?? global.pagerduty_url;
  const { client, client_url, description, source, severity, component, group } = config;
  checkTemplates(ctx, name, { client, client_url, description, source, severity, class: config.class, component, group });
  checkTemplates(ctx, `${name}.details`, config.details);
  return {
    type: 'pagerduty',
    sendResolved: config.send_resolved,
    async send(n, signal) {
      const body = JSON.stringify(await pagerdutyEvent(config, n, ctx, name));
      const headers = jsonHeaders(httpConfig);
      await deliver(ctx, { what: 'pagerduty', url, headers, body, followRedirects: httpConfig?.follow_redirects }, signal);
    },
  };
}

/** The Events API v2 body. A resolve carries only what PagerDuty needs to find the incident. */
async function pagerdutyEvent(config: PagerdutyConfig, n: Notification, ctx: IntegrationContext, name: string): Promise<Record<string, unknown>> {
  const routingKey = config.routing_key ?? readFileSync(config.routing_key_file!, 'utf8').trim();
  const identity = { routing_key: routingKey, dedup_key: dedupKey(n.groupKey) };
  if (n.status === 'resolved') return { ...identity, event_action: 'resolve' };
  const data = templateData(n);
  const field = (key: string, source: string | undefined, fallback: () => string) => renderField(ctx, data, { source, name: `${name}.${key}` }, fallback);
  const client = await field('client', config.client, () => 'Vigil');
  return {
    ...identity,
    event_action: 'trigger',
    payload: withoutEmpty({
      summary: truncate(await field('description', config.description, () => defaultSubject(n)), MAX_SUMMARY_CHARS),
      source: await field('source', config.source, () => client),
      severity: await field('severity', config.severity, () => pagerdutySeverity(n)),
      custom_details: { ...defaultDetails(n), ...(await renderDetails(config, data, ctx, name)) },
      class: await field('class', config.class, () => ''),
      component: await field('component', config.component, () => ''),
      group: await field('group', config.group, () => ''),
    }),
    client,
    client_url: await field('client_url', config.client_url, () => n.externalURL),
    links: [...config.links, ...alertLinks(n).map((link) => ({ href: link.url, text: link.text }))],
    images: config.images,
  };
}

async function renderDetails(config: PagerdutyConfig, data: TemplateData, ctx: IntegrationContext, name: string): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(config.details).map(async ([key, source]) => [key, await ctx.renderer.render(source, data, `${name}.details.${key}`)] as const),
  );
  return Object.fromEntries(entries);
}

function withoutEmpty(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== ''));
}
