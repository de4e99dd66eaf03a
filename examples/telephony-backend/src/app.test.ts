import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import { createLogger } from '@vigil/sdk';
import { buildApp } from './app.ts';
import { startCalendar } from './calendar.ts';
import { stripeSignature, twilioSignature } from './signing.ts';

const lines: Record<string, unknown>[] = [];
let app: FastifyInstance;
let calendar: Server;
let base: string;

before(async () => {
  calendar = await startCalendar(0, { minMs: 1, maxMs: 5, failureRate: 0 });
  const calendarUrl = `http://127.0.0.1:${(calendar.address() as AddressInfo).port}`;
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ service: 'telephony-backend', destination });
  // publicUrl is filled in after listen, once the port is known
  const options = { logger, calendarUrl, publicUrl: '', twilioAuthToken: 'tok', stripeWebhookSecret: 'whsec_test' };
  app = await buildApp(options);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  options.publicUrl = base;
});

after(async () => {
  await app.close();
  calendar.close();
});

test('a correctly signed Twilio webhook is accepted; a forged one is refused and logged as security', async () => {
  const params = new URLSearchParams({ CallSid: 'CA1', CallStatus: 'completed' });
  const send = (signature: string) =>
    fetch(`${base}/webhooks/twilio`, {
      method: 'POST',
      body: params,
      headers: { 'x-twilio-signature': signature, 'content-type': 'application/x-www-form-urlencoded' },
    });
  assert.equal((await send(twilioSignature('tok', `${base}/webhooks/twilio`, params))).status, 200);
  assert.equal((await send(twilioSignature('wrong', `${base}/webhooks/twilio`, params))).status, 403);
  const failure = lines.find((l) => l.event === 'webhook.signature_failed');
  assert.equal(failure?.category, 'security');
  assert.equal(failure?.provider, 'twilio');
});

test('a Stripe event signed an hour ago is refused as stale', async () => {
  const payload = '{"id":"evt_1","type":"invoice.paid"}';
  const send = (ageSeconds: number) =>
    fetch(`${base}/webhooks/stripe`, {
      method: 'POST',
      body: payload,
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature('whsec_test', payload, Math.floor(Date.now() / 1000) - ageSeconds) },
    });
  assert.equal((await send(0)).status, 200);
  const stale = await send(3600);
  assert.equal(stale.status, 400);
  assert.match(await stale.text(), /stale/);
});

test('ten failed logins from one IP block it with 429 and Retry-After', async () => {
  const attempt = () =>
    fetch(`${base}/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'mallory', password: 'guess' }),
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
    });
  for (let i = 0; i < 10; i++) assert.equal((await attempt()).status, 401);
  const blocked = await attempt();
  assert.equal(blocked.status, 429);
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  assert.ok(lines.some((l) => l.event === 'auth.blocked'));
});

test('a booking goes through the calendar with the request id passed on', async () => {
  const response = await fetch(`${base}/bookings`, {
    method: 'POST',
    body: '{"slot":"09:30"}',
    headers: { 'content-type': 'application/json', 'x-request-id': 'req-booking-1', 'x-tenant-id': 'acme' },
  });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('x-request-id'), 'req-booking-1');
  assert.equal(((await response.json()) as { request_id: string }).request_id, 'req-booking-1');
  const booked = lines.find((l) => l.event === 'booking.created');
  assert.equal(booked?.request_id, 'req-booking-1');
  assert.equal(booked?.tenant, 'acme');
});

test('/metrics has RED metrics by route template; /health/ready checks the calendar', async () => {
  await fetch(`${base}/calls/CA123`);
  await fetch(`${base}/calls/CA456`);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /http_requests_total\{[^}]*route="\/calls\/:id"[^}]*\} 2/);
  assert.doesNotMatch(metrics, /CA123/);
  assert.match(metrics, /webhook_signature_verifications_total\{[^}]*provider="twilio"[^}]*result="invalid"[^}]*\} 1/);
  const ready = await fetch(`${base}/health/ready`);
  assert.equal(ready.status, 200);
  const body = (await ready.json()) as { checks: Record<string, { status: string }> };
  assert.equal(body.checks.calendar.status, 'pass');
});
