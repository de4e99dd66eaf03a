/**
 * Alertmanager's webhook: POST of the version 4 payload.
 *
 * Signing (Vigil's addition): with a signing secret, each request carries
 *   X-Vigil-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 * A receiver recomputes the HMAC over the raw body it got, compares in
 * constant time and rejects a `t` too far from its clock (replays), as with
 * Stripe's webhooks. `verifyWebhookSignature` below does exactly that.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Notification } from '../../dispatch/model.ts';
import type { GlobalConfig, WebhookConfig } from '../config.ts';
import { deliver, jsonHeaders } from './http.ts';
import type { Integration, IntegrationContext } from './integration.ts';

export const SIGNATURE_HEADER = 'X-Vigil-Signature';

export interface WebhookPayload extends Notification {
  version: '4';
}

/** The payload, cut to `maxAlerts` (0: no limit) with the dropped alerts counted in truncatedAlerts. */
export function webhookPayload(n: Notification, maxAlerts: number): WebhookPayload {
  const kept = maxAlerts > 0 ? n.alerts.slice(0, maxAlerts) : n.alerts;
  return {
    receiver: n.receiver,
    status: n.status,
    alerts: kept,
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations: n.commonAnnotations,
    externalURL: n.externalURL,
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: n.truncatedAlerts + (n.alerts.length - kept.length),
  };
}

function hmacHex(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
}

export function signWebhookBody(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

/** True when `header` signs `body` with `secret` and its time is within `toleranceMs` of `nowMs`. */
export function verifyWebhookSignature(secret: string, header: string, body: string, nowMs: number, toleranceMs = 300_000): boolean {
  const parts = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowMs - t * 1000) > toleranceMs) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  const actual = Buffer.from(given, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function webhookIntegration(config: WebhookConfig, global: GlobalConfig, ctx: IntegrationContext): Integration {
  const secret = config.signing_secret ?? global.webhook_signing_secret;
  const httpConfig = config.http_config ?? global.http_config;
  return {
    type: 'webhook',
    sendResolved: config.send_resolved,
    timeoutMs: config.timeout,
    async send(n, signal) {
      const body = JSON.stringify(webhookPayload(n, config.max_alerts));
      const headers = jsonHeaders(httpConfig);
      if (secret) headers[SIGNATURE_HEADER] = signWebhookBody(secret, body, ctx.clock.now());
      const url = config.url ?? readFileSync(config.url_file!, 'utf8').trim();
      await deliver(ctx, { what: 'webhook', url, headers, body, followRedirects: httpConfig?.follow_redirects }, signal);
    },
  };
}
