import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { globalSchema, receiverSchema } from '../../notify/index.ts';
import { sampleNotification } from '../../notify/testing.ts';
import { oncallConfigSchema } from '../../oncall/config.ts';
import { OncallService } from '../../oncall/service.ts';
import { FakeClock } from '../../testing/fake-clock.ts';
import { registerOncallApi } from './oncall.ts';

const config = oncallConfigSchema.parse({
  people: [
    { id: 'ana', name: 'Ana', phone: '+14155550101', time_zone: 'UTC' },
    { id: 'ben', name: 'Ben', time_zone: 'UTC' },
  ],
  schedules: [{ id: 'primary', name: 'Primary', time_zone: 'UTC', layers: [{ name: 'all', participants: ['ana'], start: '2026-01-01T00:00:00Z', rotation: { length: '1w' } }] }],
  escalation_policies: [{ id: 'crit', name: 'Critical', steps: [{ notify: [{ schedule: 'primary' }], wait: '5m' }, { notify: [{ person: 'ben' }] }] }],
  sms: { account_sid: 'AC1', auth_token: 'sms-token', from: '+15550100' },
});

async function setUp(t: TestContext) {
  const clock = new FakeClock(Date.parse('2026-11-30T09:00:00Z'));
  const oncall = new OncallService({
    config,
    db: new Database(':memory:'),
    clock,
    registry: new Registry(),
    logger: pino({ level: 'silent' }),
    ledger: () => [],
    pager: { page: async () => ({ ok: true }) },
  });
  oncall.useReceivers([receiverSchema.parse({ name: 'oncall', oncall_configs: [{ policy: 'crit' }] })]);
  oncall.start({ externalURL: 'http://vigil.test', global: globalSchema.parse({}), notifier: { send: async () => [] } });
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  registerOncallApi(app, { oncall, now: () => clock.now(), maxBodyBytes: 1_000_000 });
  await app.ready();
  t.after(() => app.close());
  oncall.handle('oncall', sampleNotification({ receiver: 'oncall' }));
  const post = (url: string, body?: unknown) =>
    app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: body === undefined ? '' : JSON.stringify(body) });
  return { app, oncall, post, id: oncall.incidents.list()[0].id };
}

test('incidents list and detail, with RFC 3339 times', async (t) => {
  const { app, oncall, id } = await setUp(t);
  await oncall.tick();
  const list = (await app.inject(`/vigil/api/v1/incidents`)).json();
  assert.equal(list.status, 'success');
  assert.deepEqual(list.data.map((i: { id: string; state: string }) => [i.id, i.state]), [[id, 'triggered']]);
  assert.equal(list.data[0].createdAt, '2026-11-30T09:00:00.000Z');

  const detail = (await app.inject(`/vigil/api/v1/incidents/${id}`)).json().data;
  assert.equal(detail.incident.summary, 'p99 latency above 1s');
  assert.equal(detail.alerts.length, 2);
  assert.equal(detail.timeline[0].action, 'triggered');
  assert.equal(detail.timeline[0].at, '2026-11-30T09:00:00.000Z');
  assert.deepEqual(detail.pages.map((p: { person: string; status: string }) => [p.person, p.status]), [['ana', 'sent']]);
});

test('unknown ids and bad parameters are JSON errors', async (t) => {
  const { app, post, id } = await setUp(t);
  const missing = await app.inject('/vigil/api/v1/incidents/999');
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json(), { status: 'error', code: 'VIGIL_ERR_NOT_FOUND', error: 'incident "999" not found' });
  assert.equal((await post('/vigil/api/v1/incidents/999/acknowledge', {})).statusCode, 404);
  assert.match((await app.inject('/vigil/api/v1/incidents?state=closed')).json().error, /invalid parameter "state"/);
  assert.match((await post(`/vigil/api/v1/incidents/${id}/snooze`, { minutes: 'ten' })).json().error, /minutes: give a number/);
  assert.match((await post(`/vigil/api/v1/incidents/${id}/reassign`, { person: 'zed' })).json().error, /no person "zed"/);
  assert.match((await post(`/vigil/api/v1/incidents/${id}/severity`, { severity: 'urgent' })).json().error, /"urgent" is not one of/);
  const notJson = await app.inject({ method: 'POST', url: `/vigil/api/v1/incidents/${id}/acknowledge`, payload: '{' });
  assert.equal(notJson.statusCode, 400);
  assert.equal(notJson.json().status, 'error');
});

test('acknowledge, unacknowledge, snooze, reassign, severity and resolve change the incident and name who did it', async (t) => {
  const { post, oncall, id } = await setUp(t);
  const url = `/vigil/api/v1/incidents/${id}`;
  const ack = (await post(`${url}/acknowledge`, { by: 'ana', via: 'ui' })).json().data;
  assert.deepEqual([ack.state, ack.acknowledgedBy], ['acknowledged', 'ana']);
  assert.equal((await post(`${url}/unacknowledge`)).json().data.state, 'triggered');
  const snoozed = (await post(`${url}/snooze`, { minutes: 30 })).json().data;
  assert.deepEqual([snoozed.state, snoozed.ackUntil], ['acknowledged', '2026-11-30T09:30:00.000Z']);
  assert.equal((await post(`${url}/reassign`, { person: 'ben' })).json().data.assignee, 'ben');
  assert.equal((await post(`${url}/severity`, { severity: 'low' })).json().data.severity, 'low');
  const resolved = (await post(`${url}/resolve`, { by: 'ben', via: 'cli' })).json().data;
  assert.deepEqual([resolved.state, resolved.resolvedBy], ['resolved', 'ben']);
  const changes = oncall.incidents.timeline(id).filter((e) => e.via !== 'auto').map((e) => `${e.action} ${e.actor} ${e.via}`);
  assert.deepEqual(changes, ['acknowledged ana ui', 'unacknowledged api api', 'acknowledged api api', 'snoozed api api', 'reassigned api api', 'severity-changed api api', 'resolved ben cli']);
});

test('acknowledge-all acknowledges every triggered incident', async (t) => {
  const { post, oncall } = await setUp(t);
  oncall.handle('oncall', sampleNotification({ receiver: 'oncall', groupKey: 'other' }));
  assert.deepEqual((await post('/vigil/api/v1/incidents/acknowledge-all', { by: 'ana' })).json(), { status: 'success', data: { acknowledged: 2 } });
  assert.equal(oncall.incidents.list({ states: ['triggered'] }).length, 0);
});

test('the record is markdown', async (t) => {
  const { app, id } = await setUp(t);
  const record = await app.inject(`/vigil/api/v1/incidents/${id}/record`);
  assert.equal(record.statusCode, 200);
  assert.match(record.headers['content-type'] as string, /^text\/markdown/);
  assert.match(record.body, /p99 latency above 1s/);
});

test('on call: now and two weeks of shifts by default', async (t) => {
  const { app } = await setUp(t);
  const [primary] = (await app.inject('/vigil/api/v1/oncall')).json().data;
  assert.deepEqual(primary.now, { person: { id: 'ana', name: 'Ana' }, layer: 'all' });
  assert.deepEqual(primary.shifts, [{ person: { id: 'ana', name: 'Ana' }, layer: 'all', start: '2026-11-30T09:00:00.000Z', end: '2026-12-14T09:00:00.000Z' }]);
  const ranged = (await app.inject('/vigil/api/v1/oncall?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z')).json().data[0];
  assert.equal(ranged.shifts[0].end, '2026-12-02T00:00:00.000Z');
  assert.equal((await app.inject('/vigil/api/v1/oncall?from=yesterday')).statusCode, 400);
});

test('an action link: GET shows a button and changes nothing, POST acknowledges, a tampered token is a 400 page', async (t) => {
  const { app, oncall, id } = await setUp(t);
  const link = oncall.link(id, 'ana', 'ack').replace('http://vigil.test', '');
  const page = await app.inject(link);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<form method="post" action="\/vigil\/oncall\/action\?token=[^"]+"><button type="submit">Acknowledge as ana<\/button>/);
  assert.equal(oncall.incidents.get(id)!.state, 'triggered');

  const done = await app.inject({ method: 'POST', url: link });
  assert.match(done.body, new RegExp(`Incident ${id} acknowledged.`));
  assert.equal(oncall.incidents.get(id)!.acknowledgedBy, 'ana');

  const token = new URLSearchParams(link.split('?')[1]).get('token')!;
  const viaForm = await app.inject({ method: 'POST', url: '/vigil/oncall/action', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}` });
  assert.match(viaForm.body, /already acknowledged by ana/);

  // the second-to-last character: the last one of a base64url signature has unused low bits
  const tampered = await app.inject({ method: 'POST', url: link.replace(/.(.)$/, (m, last: string) => (m[0] === 'A' ? 'B' : 'A') + last) });
  assert.equal(tampered.statusCode, 400);
  assert.match(tampered.headers['content-type'] as string, /^text\/html/);
  assert.match(tampered.body, /This link is not valid/);
  const missing = await app.inject({ method: 'POST', url: '/vigil/oncall/action' });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /missing parameter &#34;token&#34;/);
});

test('the SMS webhook answers TwiML to a signed reply and 403 to an unsigned one', async (t) => {
  const { app, oncall, id } = await setUp(t);
  const form = { From: '+14155550101', Body: `ACK ${id}` };
  const data = 'http://vigil.test/vigil/api/v1/oncall/sms' + Object.keys(form).sort().map((k) => k + form[k as keyof typeof form]).join('');
  const signature = createHmac('sha1', 'sms-token').update(data).digest('base64');
  const send = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/vigil/api/v1/oncall/sms', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(form).toString() });

  assert.equal((await send({})).statusCode, 403);
  assert.equal(oncall.incidents.get(id)!.state, 'triggered');
  const reply = await send({ 'x-twilio-signature': signature });
  assert.equal(reply.statusCode, 200);
  assert.equal(reply.body, `<?xml version="1.0" encoding="UTF-8"?><Response><Message>Incident ${id} acknowledged.</Message></Response>`);
});

test('escalate pages the next step now and names who asked; with no step left it is refused', async (t) => {
  const { post, oncall, id } = await setUp(t);
  const url = `/vigil/api/v1/incidents/${id}/escalate`;
  const escalated = await post(url, { by: 'ana', via: 'ui' });
  assert.equal(escalated.statusCode, 200);
  assert.deepEqual([escalated.json().data.state, escalated.json().data.escalation.position], ['triggered', 2]);
  const entry = oncall.incidents.timeline(id).find((e) => e.action === 'escalated');
  assert.deepEqual([entry?.actor, entry?.via], ['ana', 'ui']);

  const refused = await post(url, {});
  assert.equal(refused.statusCode, 400);
  assert.match(refused.json().error, /no further step to escalate to in policy "crit"/);
  assert.equal((await post('/vigil/api/v1/incidents/999/escalate')).statusCode, 404);
});

test('noise marks and unmarks; the incident JSON says noise true or false', async (t) => {
  const { app, post, id } = await setUp(t);
  const url = `/vigil/api/v1/incidents/${id}`;
  assert.equal((await app.inject(url)).json().data.incident.noise, false);
  const marked = (await post(`${url}/noise`, { noise: true, by: 'ana', via: 'ui' })).json().data;
  assert.deepEqual([marked.noise, marked.state], [true, 'triggered']);
  assert.equal((await app.inject('/vigil/api/v1/incidents')).json().data[0].noise, true);
  assert.equal((await post(`${url}/noise`, { noise: false })).json().data.noise, false);
  assert.match((await post(`${url}/noise`, { noise: 'yes' })).json().error, /noise: give true or false, got "yes"/);
  assert.equal((await post(`${url}/noise`, {})).statusCode, 400);
});
