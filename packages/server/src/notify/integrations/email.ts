/** E-mail over SMTP (nodemailer), with Alertmanager's subject and a text and HTML list of the alerts. */
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { Notification, NotificationAlert } from '../../dispatch/model.ts';
import { VigilError } from '../../errors.ts';
import type { EmailConfig, GlobalConfig } from '../config.ts';
import { defaultSubject, templateData } from '../template-data.ts';
import { checkTemplates, DeliveryError, renderField, type Integration, type IntegrationContext } from './integration.ts';

/** Port 465 speaks TLS from the first byte (SMTPS); every other port starts plain and upgrades with STARTTLS. */
const IMPLICIT_TLS_PORT = 465;

function pairs(values: Record<string, string>): [string, string][] {
  return Object.keys(values)
    .sort()
    .map((k) => [k, values[k]]);
}

function alertText(alert: NotificationAlert): string {
  const lines = [`[${alert.status.toUpperCase()}] ${alert.labels.alertname ?? ''}`, 'Labels:'];
  for (const [k, v] of pairs(alert.labels)) lines.push(`  - ${k} = ${v}`);
  lines.push('Annotations:');
  for (const [k, v] of pairs(alert.annotations)) lines.push(`  - ${k} = ${v}`);
  lines.push(`Started: ${alert.startsAt}`);
  if (alert.annotations.runbook_url) lines.push(`Runbook: ${alert.annotations.runbook_url}`);
  if (alert.generatorURL) lines.push(`Source: ${alert.generatorURL}`);
  return lines.join('\n');
}

function defaultEmailText(n: Notification): string {
  const more = n.truncatedAlerts > 0 ? [`…and ${n.truncatedAlerts} more alerts`] : [];
  return [defaultSubject(n), '', ...n.alerts.map(alertText), ...more, '', `Sent by Vigil ${n.externalURL}`].join('\n\n').trim();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function alertHtml(alert: NotificationAlert): string {
  const rows = (values: Record<string, string>) =>
    pairs(values)
      .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`)
      .join('');
  const runbook = alert.annotations.runbook_url ? `<p><a href="${escapeHtml(alert.annotations.runbook_url)}">Runbook</a></p>` : '';
  const source = alert.generatorURL ? `<p><a href="${escapeHtml(alert.generatorURL)}">Source</a></p>` : '';
  return (
    `<h3>[${alert.status.toUpperCase()}] ${escapeHtml(alert.labels.alertname ?? '')}</h3>` +
    `<table><tr><th colspan="2">Labels</th></tr>${rows(alert.labels)}<tr><th colspan="2">Annotations</th></tr>${rows(alert.annotations)}</table>` +
    `<p>Started ${escapeHtml(alert.startsAt)}</p>${runbook}${source}`
  );
}

function defaultEmailHtml(n: Notification): string {
  const more = n.truncatedAlerts > 0 ? `<p>…and ${n.truncatedAlerts} more alerts</p>` : '';
  const title = escapeHtml(defaultSubject(n));
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h2>${title}</h2>${n.alerts.map(alertHtml).join('')}${more}</body></html>`;
}

interface SmtpSettings {
  from: string;
  host: string;
  port: number;
  hello: string;
  requireTls: boolean;
  username?: string;
  password?: () => string;
}

/** The config with global.smtp_* filled in, as Alertmanager does at load; fails when from or smarthost is nowhere. */
function smtpSettings(config: EmailConfig, global: GlobalConfig, name: string): SmtpSettings {
  const from = config.from ?? global.smtp_from;
  const smarthost = config.smarthost ?? global.smtp_smarthost;
  if (!from) throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `${name}: no from or global.smtp_from is set`);
  if (!smarthost) throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `${name}: no smarthost or global.smtp_smarthost is set`);
  const colon = smarthost.lastIndexOf(':');
  const [host, port] = [smarthost.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), Number(smarthost.slice(colon + 1))];
  const username = config.auth_username ?? global.smtp_auth_username;
  const inline = config.auth_password ?? global.smtp_auth_password;
  const file = config.auth_password_file ?? global.smtp_auth_password_file;
  const password = inline !== undefined ? () => inline : file ? () => readFileSync(file, 'utf8').trim() : undefined;
  return { from, host, port, hello: config.hello ?? global.smtp_hello, requireTls: config.require_tls ?? global.smtp_require_tls, username, password };
}

function transport(smtp: SmtpSettings, timeoutMs: number) {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    name: smtp.hello,
    secure: smtp.port === IMPLICIT_TLS_PORT,
    requireTLS: smtp.requireTls,
    ignoreTLS: !smtp.requireTls,
    auth: smtp.username ? { user: smtp.username, pass: smtp.password?.() ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

/** SMTP 4xx replies are transient by definition; 5xx are not. No reply at all (network) is worth a retry. */
function smtpError(err: unknown, host: string): DeliveryError {
  const code = (err as { responseCode?: number }).responseCode;
  const message = (err as Error).message ?? String(err);
  return new DeliveryError(`email: ${host}: ${message}`, code === undefined || (code >= 400 && code < 500), { cause: err });
}

const RESERVED_HEADERS = new Set(['subject', 'to', 'from']);

export function emailIntegration(config: EmailConfig, global: GlobalConfig, ctx: IntegrationContext, name: string, timeoutMs: number): Integration {
  const smtp = smtpSettings(config, global, name);
  checkTemplates(ctx, name, { html: config.html, text: config.text });
  checkTemplates(ctx, `${name}.headers`, config.headers);
  return {
    type: 'email',
    sendResolved: config.send_resolved,
    async send(n, signal) {
      const message = await emailMessage(config, n, ctx, name);
      const mailer = transport(smtp, timeoutMs);
      // nodemailer takes no AbortSignal, so the send races the signal; the listener goes once the race is over.
      let onAbort = () => {};
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new DeliveryError(`email: no answer from ${smtp.host}:${smtp.port} in time`, true));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        await Promise.race([mailer.sendMail({ from: smtp.from, to: config.to, ...message }), aborted]);
      } catch (err) {
        throw err instanceof DeliveryError ? err : smtpError(err, smtp.host);
      } finally {
        signal.removeEventListener('abort', onAbort);
        mailer.close();
      }
    },
  };
}

async function emailMessage(config: EmailConfig, n: Notification, ctx: IntegrationContext, name: string) {
  const data = templateData(n);
  const field = (key: string, source: string | undefined, fallback: () => string) => renderField(ctx, data, { source, name: `${name}.${key}` }, fallback);
  const subjectKey = Object.keys(config.headers).find((k) => k.toLowerCase() === 'subject');
  const headers: Record<string, string> = {};
  for (const [key, source] of Object.entries(config.headers)) {
    if (!RESERVED_HEADERS.has(key.toLowerCase())) headers[key] = await ctx.renderer.render(source, data, `${name}.headers.${key}`);
  }
  return {
    subject: await field('headers.Subject', subjectKey && config.headers[subjectKey], () => defaultSubject(n)),
    text: await field('text', config.text, () => defaultEmailText(n)),
    html: await field('html', config.html, () => defaultEmailHtml(n)),
    headers,
  };
}
