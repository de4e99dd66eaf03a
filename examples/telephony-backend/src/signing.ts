/**
 * How Twilio and Stripe sign their webhooks, for the load script and tests
 * (the app verifies with the SDK; this signs independently).
 */
import { createHmac } from 'node:crypto';

export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const sorted = [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = url + sorted.map(([key, value]) => key + value).join('');
  return createHmac('sha1', authToken).update(data).digest('base64');
}

export function stripeSignature(secret: string, payload: string, timestampSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}
