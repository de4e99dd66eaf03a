/**
 * Realistic traffic for the telephony backend, with some failures: Twilio
 * call-status webhooks (a few badly signed), Stripe events (a few stale),
 * logins (with a password-guessing burst from one IP that gets blocked),
 * bookings through the slow calendar, and call lookups, across tenants.
 *
 *   node --import tsx src/load.ts [--url http://127.0.0.1:3000] [--seconds 60] [--rps 20]
 */
import { parseArgs } from 'node:util';
import { stripeSignature, twilioSignature } from './signing.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.APP_URL ?? 'http://127.0.0.1:3000' },
    seconds: { type: 'string', default: '60' },
    rps: { type: 'string', default: '20' },
    'twilio-token': { type: 'string', default: process.env.TWILIO_AUTH_TOKEN ?? 'demo-twilio-token' },
    'stripe-secret': { type: 'string', default: process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_demo' },
  },
});
const base = values.url.replace(/\/$/, '');
const tenants = ['acme', 'globex', 'initech'];
let sequence = 0;

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-tenant-id': pick(tenants), 'x-forwarded-for': `198.51.100.${1 + (sequence % 200)}`, ...extra };
}

async function twilioWebhook(): Promise<Response> {
  const params = new URLSearchParams({ CallSid: `CA${String(++sequence).padStart(32, '0')}`, CallStatus: pick(['ringing', 'in-progress', 'completed']), From: '+14155552671' });
  const url = `${base}/webhooks/twilio`;
  const signature = Math.random() < 0.05 ? 'forged-signature=' : twilioSignature(values['twilio-token'], url, params);
  return fetch(url, { method: 'POST', body: params, headers: headers({ 'x-twilio-signature': signature, 'content-type': 'application/x-www-form-urlencoded' }) });
}

async function stripeWebhook(): Promise<Response> {
  const payload = JSON.stringify({ id: `evt_${++sequence}`, type: pick(['invoice.paid', 'charge.failed', 'customer.created']) });
  const age = Math.random() < 0.05 ? 3600 : 0; // a replayed event
  const signature = stripeSignature(values['stripe-secret'], payload, Math.floor(Date.now() / 1000) - age);
  return fetch(`${base}/webhooks/stripe`, { method: 'POST', body: payload, headers: headers({ 'stripe-signature': signature, 'content-type': 'application/json' }) });
}

async function login(guessing = false): Promise<Response> {
  const good = !guessing && Math.random() < 0.9;
  const body = JSON.stringify(good ? { username: 'alice', password: 'correct horse' } : { username: pick(['alice', 'mallory', 'root']), password: `guess${++sequence}` });
  const extra: Record<string, string> = { 'content-type': 'application/json' };
  if (guessing) extra['x-forwarded-for'] = '203.0.113.66';
  return fetch(`${base}/login`, { method: 'POST', body, headers: headers(extra) });
}

async function booking(): Promise<Response> {
  return fetch(`${base}/bookings`, { method: 'POST', body: JSON.stringify({ slot: '09:30' }), headers: headers({ 'content-type': 'application/json' }) });
}

async function callLookup(): Promise<Response> {
  return fetch(`${base}/calls/CA${Math.floor(Math.random() * 1e6)}`, { headers: headers() });
}

const actions: [number, () => Promise<Response>][] = [
  [0.3, twilioWebhook],
  [0.15, stripeWebhook],
  [0.15, () => login()],
  [0.2, booking],
  [0.2, callLookup],
];

function chooseAction(): () => Promise<Response> {
  let roll = Math.random();
  for (const [weight, action] of actions) {
    if ((roll -= weight) < 0) return action;
  }
  return callLookup;
}

const counts = new Map<string, number>();
const deadline = Date.now() + Number(values.seconds) * 1000;
const interval = 1000 / Number(values.rps);
let nextBurst = Date.now() + 10_000;
while (Date.now() < deadline) {
  const action = Date.now() > nextBurst ? () => login(true) : chooseAction();
  if (Date.now() > nextBurst + 2000) nextBurst = Date.now() + 30_000;
  action()
    .then((response) => counts.set(String(response.status), (counts.get(String(response.status)) ?? 0) + 1))
    .catch(() => counts.set('error', (counts.get('error') ?? 0) + 1));
  await new Promise((resolve) => setTimeout(resolve, interval));
}
console.log(JSON.stringify(Object.fromEntries(counts)));
