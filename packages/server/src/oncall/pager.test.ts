import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { globalSchema } from '../notify/index.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { oncallConfigSchema } from './config.ts';
import { createDirectory } from './directory.ts';
import type { Page } from './escalation.ts';
import { PersonPager, type PersonPagerOptions } from './pager.ts';

const config = oncallConfigSchema.parse({
  people: [
    { id: 'ana', name: 'Ana', phone: '+14155550101', time_zone: 'UTC' },
    { id: 'ben', name: 'Ben', slack: { webhook_url: 'http://slack.test/hook', user: 'U1' }, webhook_url: 'http://hooks.test/ben', time_zone: 'UTC' },
    { id: 'eve', name: 'Eve', email: 'eve@example.com', time_zone: 'UTC' },
  ],
  sms: { account_sid: 'AC1', auth_token: 'tok', from: '+15550100', api_url: 'http://twilio.test' },
});

const page: Page = { incidentId: '7', person: 'ana', severity: 'critical', step: 0, attempt: 1, summary: 'Checkout {{ down }}', dedupKey: '7:0:0:ana', reason: 'escalation' };

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function pagerWith(status: number, overrides: Partial<PersonPagerOptions> = {}) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url: String(url), headers: init.headers as Record<string, string>, body: String(init.body) });
    return new Response('', { status });
  }) as typeof globalThis.fetch;
  const pager = new PersonPager({
    directory: createDirectory(config),
    people: config.people,
    sms: config.sms,
    global: globalSchema.parse({}),
    registry: new Registry(),
    externalURL: 'http://vigil.test',
    clock: new FakeClock(1_800_000_000_000),
    link: (incident, person, action) => `http://vigil.test/vigil/oncall/action?token=${action}-${incident}-${person}`,
    fetch,
    maxAttempts: 1,
    ...overrides,
  });
  return { pager, sent };
}

test('an SMS page goes to the person’s phone through Twilio with the incident, severity, summary and both links', async () => {
  const { pager, sent } = pagerWith(201);
  assert.deepEqual(await pager.page(page), { ok: true });
  assert.equal(sent.length, 1);
  assert.equal(sent[0].url, 'http://twilio.test/2010-04-01/Accounts/AC1/Messages.json');
  assert.equal(sent[0].headers.Authorization, `Basic ${Buffer.from('AC1:tok').toString('base64')}`);
  const form = new URLSearchParams(sent[0].body);
  assert.equal(form.get('To'), '+14155550101');
  assert.equal(form.get('From'), '+15550100');
  const body = form.get('Body')!;
  assert.match(body, /CRITICAL incident #7: Checkout \{\{ down \}\}/);
  assert.match(body, /Acknowledge: http:\/\/vigil\.test\/vigil\/oncall\/action\?token=ack-7-ana/);
  assert.match(body, /Resolve: http:\/\/vigil\.test\/vigil\/oncall\/action\?token=resolve-7-ana/);
});

test('the engine’s acknowledgement link wins over the pager’s own', async () => {
  const { pager, sent } = pagerWith(201);
  await pager.page({ ...page, ackUrl: 'http://elsewhere.test/ack' });
  assert.match(new URLSearchParams(sent[0].body).get('Body')!, /Acknowledge: http:\/\/elsewhere\.test\/ack/);
});

test('Slack and webhook pages go to the person’s own URLs; Slack mentions the user', async () => {
  const { pager, sent } = pagerWith(200);
  assert.deepEqual(await pager.page({ ...page, person: 'ben' }), { ok: true });
  const slack = sent.find((s) => s.url === 'http://slack.test/hook')!;
  const hook = sent.find((s) => s.url === 'http://hooks.test/ben')!;
  const attachment = JSON.parse(slack.body).attachments[0];
  assert.match(attachment.text, /^<@U1> \[Vigil\] CRITICAL incident #7/);
  const payload = JSON.parse(hook.body);
  assert.equal(payload.commonAnnotations.incident_id, '7');
  assert.match(payload.commonAnnotations.ack_url, /token=ack-7-ben/);
  assert.match(payload.commonAnnotations.resolve_url, /token=resolve-7-ben/);
});

test('a failed delivery is a failed page naming the integration', async () => {
  const { pager } = pagerWith(400);
  const result = await pager.page(page);
  assert.equal(result.ok, false);
  assert.match(result.error!, /sms\[0\]: sms: HTTP 400/);
});

test('a person without a usable contact method (e-mail without SMTP) is a failed page that says so', async () => {
  const { pager, sent } = pagerWith(200);
  const result = await pager.page({ ...page, person: 'eve' });
  assert.equal(result.ok, false);
  assert.match(result.error!, /eve has no contact method/);
  assert.equal(sent.length, 0);
});

test('an unknown person is a failed page', async () => {
  const { pager } = pagerWith(200);
  assert.deepEqual(await pager.page({ ...page, person: 'nobody' }), { ok: false, error: 'no person "nobody" in oncall.people' });
});

test('without oncall.sms a phone is not paged', async () => {
  const { pager, sent } = pagerWith(201, { sms: undefined });
  assert.equal((await pager.page(page)).ok, false);
  assert.equal(sent.length, 0);
});
