/** SMS through Twilio's Messages API: one short line per notification. */
import { readFileSync } from 'node:fs';
import type { Notification } from '../../dispatch/model.ts';
import type { GlobalConfig, SmsConfig } from '../config.ts';
import { basicAuthHeader } from '../http-config.ts';
import { alertName, alertSummary, statusTag, templateData, truncate } from '../template-data.ts';
import { deliver } from './http.ts';
import { checkTemplates, renderField, type Integration, type IntegrationContext } from './integration.ts';

/** Twilio refuses longer bodies. */
const MAX_BODY_CHARS = 1600;

/** "[FIRING:2] HighLatency p99 above 1s (+1 more)". */
export function defaultSmsBody(n: Notification): string {
  const first = n.alerts.find((a) => a.status === n.status) ?? n.alerts[0];
  const summary = first ? alertSummary(first) : '';
  const others = n.alerts.length + n.truncatedAlerts - 1;
  const name = alertName(n);
  const text = [statusTag(n), name, summary === name ? '' : summary, others > 0 ? `(+${others} more)` : ''];
  return text.filter((part) => part !== '').join(' ');
}

export function smsIntegration(config: SmsConfig, global: GlobalConfig, ctx: IntegrationContext, name: string): Integration {
  checkTemplates(ctx, name, { body: config.body });
  const base = (config.api_url ?? global.twilio_api_url).replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(config.account_sid)}/Messages.json`;
  return {
    type: 'sms',
    sendResolved: config.send_resolved,
    async send(n, signal) {
      const text = await renderField(ctx, templateData(n), { source: config.body, name: `${name}.body` }, () => defaultSmsBody(n));
      const body = new URLSearchParams({ To: config.to, From: config.from, Body: truncate(text, MAX_BODY_CHARS) }).toString();
      const token = config.auth_token ?? readFileSync(config.auth_token_file!, 'utf8').trim();
      const headers = {
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': 'Vigil',
        Authorization: basicAuthHeader(config.account_sid, token),
      };
      await deliver(ctx, { what: 'sms', url, headers, body }, signal);
    },
  };
}
