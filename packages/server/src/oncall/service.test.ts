import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { globalSchema, receiverSchema } from '../notify/index.ts';
import { sampleAlert, sampleNotification } from '../notify/testing.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { oncallConfigSchema } from './config.ts';
import type { Page } from './escalation.ts';
import { OncallService } from './service.ts';

const MINUTE = 60_000;
const input = {
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
};
const config = oncallConfigSchema.parse(input);

type Deliver = (page: Page) => Promise<{ ok: boolean }>;

function setUp(db = new Database(':memory:'), clock = new FakeClock(Date.parse('2026-11-30T09:00:00Z')), section = config, deliver: Deliver = async () => ({ ok: true })) {
  const pages: Page[] = [];
  const registry = new Registry();
  const service = new OncallService({
    config: section,
    db,
    clock,
    registry,
    logger: pino({ level: 'silent' }),
    ledger: () => [],
    pager: { page: async (page) => (pages.push(page), deliver(page)) },
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

test('escalate now pages the next step at once, once, and the wait restarts from there', async () => {
  const { service, pages, clock, registry } = setUp();
  service.handle('oncall', firing);
  await settle(service);
  const id = service.incidents.list()[0].id;
  assert.deepEqual(pages.map((p) => p.step), [0]);

  clock.advance(MINUTE);
  service.escalate(id, { actor: 'ana', via: 'ui' });
  await settle(service);
  assert.deepEqual(pages.map((p) => [p.person, p.step]), [['ben', 0], ['ben', 1]], 'step 2 at once, not at +5m');
  const escalated = service.incidents.timeline(id).filter((e) => e.action === 'escalated');
  assert.deepEqual(escalated.map((e) => [e.actor, e.via]), [['ana', 'ui']]);
  assert.match(await registry.metrics(), /vigil_oncall_escalations_total\{policy="crit",reason="requested"\} 1/);

  clock.advance(10 * MINUTE);
  await service.tick();
  assert.equal(pages.length, 2, 'the step escalated to is not paged again when its time would have come');
  assert.equal(new Set(pages.map((p) => p.dedupKey)).size, 2);
  assert.throws(() => service.escalate(id, { actor: 'ana', via: 'ui' }), /incident \d+ has no further step to escalate to in policy "crit"/);
});

test('escalating an acknowledged incident triggers it again and pages the step after the one paged last', async () => {
  const { service, pages } = setUp();
  service.handle('oncall', firing);
  await settle(service);
  const id = service.incidents.list()[0].id;
  service.change(id, (i) => i.acknowledge(id, { actor: 'ben', via: 'api' }));

  const after = service.escalate(id, { actor: 'ben', via: 'cli' });
  assert.equal(after.state, 'triggered');
  assert.equal(after.acknowledgedBy, undefined);
  await settle(service);
  assert.deepEqual(pages.map((p) => p.step), [0, 1]);
  assert.match(service.record(id), /Re-triggered to escalate \| ben \(cli\) \|\n.*Escalated to step 2 \(attempt 1\): ben \| ben \(cli\) \|/);
  service.change(id, (i) => i.resolve(id, { actor: 'ben', via: 'api' }));
  assert.throws(() => service.escalate(id, { actor: 'ben', via: 'api' }), /is resolved/);
});

test('an escalation whose page was in flight at a restart is sent again once, with the same dedup key', async () => {
  const db = new Database(':memory:');
  const clock = new FakeClock(Date.parse('2026-11-30T09:00:00Z'));
  // The process stops while step 2's page is with the pager.
  const hangOnStep2: Deliver = (page) => (page.step === 1 ? new Promise(() => {}) : Promise.resolve({ ok: true }));
  const before = setUp(db, clock, config, hangOnStep2);
  before.service.handle('oncall', firing);
  await settle(before.service);
  const id = before.service.incidents.list()[0].id;
  assert.equal(before.service.escalate(id, { actor: 'ana', via: 'api' }).escalation.position, 2);
  await new Promise((resolve) => setImmediate(resolve));
  before.service.stop();
  assert.deepEqual(before.pages.map((p) => p.step), [0, 1]);

  const after = setUp(db, clock);
  await settle(after.service);
  await after.service.tick();
  assert.deepEqual(after.pages.map((p) => [p.step, p.dedupKey]), [[1, before.pages[1].dedupKey]], 'step 1 is not paged again; step 2 once more');
});

test('noise: marking shows in the metrics and can be taken back; the state does not change', async () => {
  const { service, registry } = setUp();
  service.handle('oncall', firing);
  const id = service.incidents.list()[0].id;
  assert.equal(service.isNoise(id), false);
  assert.equal(service.markNoise(id, true, { actor: 'ana', via: 'ui' }).state, 'triggered');
  assert.equal(service.isNoise(id), true);
  service.markNoise(id, true, { actor: 'ana', via: 'ui' });
  assert.match(await registry.metrics(), /vigil_oncall_incidents_noise_total 1/, 'marking twice counts once');
  service.markNoise(id, false, { actor: 'ben', via: 'api' });
  assert.equal(service.isNoise(id), false);
  assert.throws(() => service.markNoise('999', true, { actor: 'ana', via: 'ui' }), /incident "999" not found/);
});

const reloadedInput = {
  people: [...input.people, { id: 'cy', name: 'Cy', time_zone: 'UTC' }],
  teams: [{ id: 'leads', name: 'Leads', members: ['cy'] }],
  schedules: input.schedules,
  escalation_policies: [
    { id: 'crit', name: 'Critical', steps: [{ notify: [{ schedule: 'primary' }], wait: '5m' }, { notify: [{ team: 'leads' }] }] },
    { id: 'new', name: 'New', steps: [{ notify: [{ person: 'cy' }] }] },
  ],
};
const reloaded = oncallConfigSchema.parse(reloadedInput);

test('a reload swaps people, teams and policies; an open incident keeps its state and position', async () => {
  const { service, pages, clock } = setUp();
  service.handle('oncall', firing);
  await settle(service);
  const id = service.incidents.list()[0].id;
  const position = service.incidents.get(id)!.escalation.position;

  service.reload(reloaded, () => service.useReceivers([receiverSchema.parse({ name: 'oncall', oncall_configs: [{ policy: 'new' }] })]));
  assert.equal(service.incidents.get(id)!.escalation.position, position);
  assert.equal(service.incidents.get(id)!.state, 'triggered');
  assert.equal(service.directory.person('cy')?.name, 'Cy');
  clock.advance(5 * MINUTE);
  await service.tick();
  assert.deepEqual(pages.map((p) => p.person), ['ben', 'cy'], 'step 2 is the new definition: the leads team');
});

test('a reload removing a policy open incidents use is refused, naming both; a refused alerting part keeps the old section', async () => {
  const { service } = setUp();
  service.handle('oncall', firing);
  const id = service.incidents.list()[0].id;
  const withoutCrit = oncallConfigSchema.parse({ ...reloadedInput, escalation_policies: [{ id: 'new', name: 'New', steps: [{ notify: [{ person: 'cy' }] }] }] });
  assert.throws(() => service.reload(withoutCrit), new RegExp(`policy "crit" is still used by open incident\\(s\\) #${id}`));

  const refuse = () => {
    throw new Error('alertmanager config is bad');
  };
  assert.throws(() => service.reload(reloaded, refuse), /alertmanager config is bad/);
  assert.equal(service.directory.person('cy'), undefined, 'the running people stay');
  assert.equal(service.incidents.policy('new'), undefined, 'the running policies stay');
  assert.equal(service.handles('oncall'), true);
});

test('the triggers section sets the thresholds: a critical incident unacknowledged for `critical` moves to the next step', async () => {
  const slowChain = [{ id: 'crit', name: 'Critical', steps: [{ notify: [{ person: 'ana' }], wait: '30m' }, { notify: [{ person: 'ben' }] }] }];
  const sooner = oncallConfigSchema.parse({ ...input, escalation_policies: slowChain, triggers: { unacknowledged: { critical: '2m' } } });
  const { service, pages, clock } = setUp(undefined, undefined, sooner);
  service.handle('oncall', firing);
  await settle(service);
  assert.deepEqual(pages.map((p) => p.person), ['ana']);
  clock.advance(2 * MINUTE + 1000);
  await settle(service);
  assert.deepEqual(pages.map((p) => p.person), ['ana', 'ben'], 'paged the next step at 2 minutes, not at the 30 minute wait');

  const defaults = setUp(undefined, undefined, oncallConfigSchema.parse({ ...input, escalation_policies: slowChain }));
  defaults.service.handle('oncall', firing);
  await settle(defaults.service);
  defaults.clock.advance(2 * MINUTE + 1000);
  await settle(defaults.service);
  assert.deepEqual(defaults.pages.map((p) => p.person), ['ana'], 'the default is 5 minutes');
});
