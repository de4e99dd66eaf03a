import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { globalSchema, receiverSchema } from '../notify/index.ts';
import { sampleAlert, sampleNotification } from '../notify/testing.ts';
import { FakeClock } from '../scrape/testing.ts';
import { oncallConfigSchema } from './config.ts';
import type { Page } from './escalation.ts';
import { OncallService } from './service.ts';

const MINUTE = 60_000;
const config = oncallConfigSchema.parse({
  people: [
    { id: 'ana', name: 'Ana', phone: '+14155550101', time_zone: 'UTC' },
    { id: 'ben', name: 'Ben', phone: '+14155550102', time_zone: 'UTC' },
  ],
  schedules: [{ id: 'primary', name: 'Primary', time_zone: 'UTC', layers: [{ name: 'weekly', participants: ['ana', 'ben'], start: '2026-11-23T00:00:00Z', rotation: { length: '1w' } }] }],
  escalation_policies: [
    { id: 'crit', name: 'Critical', steps: [{ notify: [{ schedule: 'primary' }], wait: '5m' }, { notify: [{ person: 'ben' }] }] },
    { id: 'mgmt', name: 'Management', steps: [{ notify: [{ person: 'ana' }] }] },
  ],
  sms: { account_sid: 'AC1', auth_token: 'sms-token', from: '+15550100' },
});

function setUp(db = new Database(':memory:'), clock = new FakeClock(Date.parse('2026-11-30T09:00:00Z'))) {
  const pages: Page[] = [];
  const registry = new Registry();
  const service = new OncallService({
    config,
    db,
    clock,
    registry,
    logger: pino({ level: 'silent' }),
    ledger: () => [],
    pager: { page: async (page) => (pages.push(page), { ok: true }) },
  });
  service.useReceivers([receiverSchema.parse({ name: 'oncall', oncall_configs: [{ policy: 'crit' }] }), receiverSchema.parse({ name: 'team' })]);
  service.start({ externalURL: 'http://vigil.test/', global: globalSchema.parse({}), notifier: { send: async () => [] } });
  return { service, pages, clock, db, registry };
}

/** The pass handle() started, then one more: pages are sent once either way. */
async function settle(service: OncallService): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await service.tick();
}

const firing = sampleNotification({ receiver: 'oncall' });
const resolved = sampleNotification({
  receiver: 'oncall',
  alerts: firing.alerts.map((a) => sampleAlert(a.labels, a.annotations, 'resolved')),
});

test('a receiver naming an unknown policy is refused and the previous routing stays', () => {
  const { service } = setUp();
  assert.throws(
    () => service.useReceivers([receiverSchema.parse({ name: 'x', oncall_configs: [{ policy: 'nope' }] })]),
    /receiver "x": oncall_configs policy "nope" is not in oncall.escalation_policies/,
  );
  assert.equal(service.handles('oncall'), true);
  assert.equal(service.handles('team'), false);
});

test('a notification to an on-call receiver opens an incident that pages whoever is on call; its resolution resolves it', async () => {
  const { service, pages, registry } = setUp();
  service.handle('team', { ...firing, receiver: 'team' });
  assert.equal(service.incidents.list().length, 0, 'a receiver without oncall_configs opens nothing');

  service.handle('oncall', firing);
  const [incident] = service.incidents.list();
  assert.equal(incident.severity, 'critical');
  assert.equal(incident.summary, 'p99 latency above 1s');
  await settle(service);
  assert.deepEqual(pages.map((p) => [p.incidentId, p.person]), [[incident.id, 'ben']], 'ben is on call this week');
  assert.match(pages[0].ackUrl!, /^http:\/\/vigil\.test\/vigil\/oncall\/action\?token=/);
  assert.match(await registry.metrics(), /vigil_oncall_pages_total\{person="ben",severity="critical"\} 1/);
  assert.match(await registry.metrics(), /vigil_oncall_incidents_total\{severity="critical"\} 1/);

  service.handle('oncall', resolved);
  assert.equal(service.incidents.get(incident.id)!.state, 'resolved');
});

test('a receiver with two policies opens one incident under each', () => {
  const { service } = setUp();
  service.useReceivers([receiverSchema.parse({ name: 'oncall', oncall_configs: [{ policy: 'crit' }, { policy: 'mgmt' }] })]);
  service.handle('oncall', firing);
  assert.deepEqual(service.incidents.list().map((i) => i.policyId).sort(), ['crit', 'mgmt']);
  service.handle('oncall', resolved);
  assert.deepEqual(service.incidents.list().map((i) => i.state), ['resolved', 'resolved']);
});

test('a link acknowledges as the person it was sent to, once, and expires after a day', async () => {
  const { service, clock } = setUp();
  service.handle('oncall', firing);
  const id = service.incidents.list()[0].id;
  const token = new URL(service.link(id, 'ben', 'ack')).searchParams.get('token')!;

  const check = service.checkLink(token);
  assert.ok(check.ok);
  assert.deepEqual(service.followLink(check.claim).message, `Incident ${id} acknowledged.`);
  const incident = service.incidents.get(id)!;
  assert.equal(incident.acknowledgedBy, 'ben');
  assert.ok(service.incidents.timeline(id).some((e) => e.action === 'acknowledged' && e.via === 'link' && e.actor === 'ben'));
  assert.equal(service.followLink(check.claim).message, `Incident ${id} is already acknowledged by ben.`);

  clock.advance(24 * 60 * MINUTE);
  assert.deepEqual(service.checkLink(token), { ok: false, reason: 'expired' });
});

test('without link_secret, the generated secret is kept in the database: links outlive a restart', () => {
  const db = new Database(':memory:');
  const before = setUp(db).service;
  before.handle('oncall', firing);
  const token = new URL(before.link('1', 'ana', 'resolve')).searchParams.get('token')!;
  before.stop();
  const after = setUp(db).service;
  assert.equal(after.checkLink(token).ok, true);
  assert.equal(setUp().service.checkLink(token).ok, false, 'another database, another secret');
});

function signed(params: Record<string, string>, token = 'sms-token') {
  const url = 'http://vigil.test/vigil/api/v1/oncall/sms';
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return { params, signature: createHmac('sha1', token).update(data).digest('base64') };
}

test('SMS replies: the signature is checked first, then the number, then the command', async () => {
  const { service } = setUp();
  service.handle('oncall', firing);
  await settle(service);
  const id = service.incidents.list()[0].id;

  assert.equal(service.smsReply(signed({ From: '+14155550101', Body: `ACK ${id}` }, 'wrong')), 'forbidden');
  assert.equal(service.smsReply({ ...signed({ From: '+14155550101', Body: `ACK ${id}` }), signature: undefined }), 'forbidden');
  assert.equal(service.incidents.get(id)!.state, 'triggered');

  const stranger = service.smsReply(signed({ From: '+19995550000', Body: `ACK ${id}` }));
  assert.deepEqual(stranger, { message: 'This number belongs to nobody in Vigil on-call.' });
  assert.match((service.smsReply(signed({ From: '+14155550101', Body: 'hello' })) as { message: string }).message, /Reply "ACK <incident>"/);
  assert.equal((service.smsReply(signed({ From: '+14155550101', Body: 'ACK 999' })) as { message: string }).message, 'There is no incident 999.');

  const notPaged = service.smsReply(signed({ From: '+14155550101', Body: 'ACK' }));
  assert.deepEqual(notPaged, { message: 'No open incident was paged to you; reply "ACK <incident>".' }, 'ana was not paged');
  const ack = service.smsReply(signed({ From: '+14155550102', Body: ' ack ' }));
  assert.equal((ack as { message: string }).message, `Incident ${id} acknowledged.`, 'a bare ACK means the incident last paged to that phone');
  assert.equal(service.incidents.get(id)!.acknowledgedBy, 'ben');
  const resolve = service.smsReply(signed({ From: '+14155550101', Body: `RESOLVE #${id}` }));
  assert.equal((resolve as { message: string }).message, `Incident ${id} resolved.`);
  assert.equal(service.incidents.get(id)!.resolvedBy, 'ana');
});

test('on call: who is on call now and the shifts in the range, per schedule', () => {
  const { service, clock } = setUp();
  const [primary] = service.onCall(clock.now(), clock.now() + 14 * 24 * 60 * MINUTE);
  assert.deepEqual(primary.schedule, { id: 'primary', name: 'Primary', time_zone: 'UTC' });
  assert.deepEqual(primary.now, { person: { id: 'ben', name: 'Ben' }, layer: 'weekly' });
  assert.deepEqual(
    primary.shifts.map((s) => [s.person.id, new Date(s.start).toISOString()]),
    [['ben', '2026-11-30T09:00:00.000Z'], ['ana', '2026-12-07T00:00:00.000Z'], ['ben', '2026-12-14T00:00:00.000Z']],
  );
});

test('with oncall.digest, the daily digest goes to its receiver at the configured local time', async () => {
  const clock = new FakeClock(Date.parse('2026-11-30T08:00:00Z'));
  const sent: { receiver: string; text: string }[] = [];
  const service = new OncallService({
    config: oncallConfigSchema.parse({ digest: { receiver: 'team-digest', at: '10:30', time_zone: 'Europe/Berlin' } }),
    db: new Database(':memory:'),
    clock,
    registry: new Registry(),
    logger: pino({ level: 'silent' }),
    ledger: () => [],
  });
  service.start({
    externalURL: 'http://vigil.test',
    global: globalSchema.parse({}),
    notifier: { send: async (receiver, n) => (sent.push({ receiver, text: n.alerts[0].annotations.description }), [{ integration: 'webhook[0]', ok: true, attempts: 1 }]) },
  });
  clock.advance(60 * MINUTE); // 10:00 in Berlin: not yet
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(sent.length, 0);
  clock.advance(31 * MINUTE); // past 10:30 in Berlin
  await new Promise((resolve) => setImmediate(resolve));
  service.stop();
  assert.equal(sent.length, 1);
  assert.equal(sent[0].receiver, 'team-digest');
  assert.match(sent[0].text, /MTTA/);
});
