/**
 * On-call end to end, against `vigil start` processes and a local
 * Twilio-shaped server that records every SMS.
 *
 * Timeline of the main test (rule every 1 s, group_wait 0 s, waits 3 s):
 *   0        vector(1) > 0 fires → incident opens → the first responder's SMS
 *   +3 s     nobody acknowledged → the backup's SMS
 *   …        the backup follows the acknowledge link (GET shows a button, POST acknowledges)
 *   +3 s …   no further SMS (the policy repeats once, so an unacknowledged incident would page again)
 *   reload   vector(0) > 0: the alert resolves → the incident resolves
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getJson, vigilSession } from './alerting-kit.ts';
import { eventually, removeDir, tempDir } from './vigil-process.ts';

const ACCOUNT = 'AC0123456789';
const TOKEN = 'twilio-auth-token';
const FROM = '+15550100';
const FIRST = '+15550001';
const BACKUP = '+15550002';
const WAIT_MS = 3_000;

interface Sms {
  at: number;
  to: string;
  body: string;
}

/** Twilio's Messages API, as far as Vigil uses it: basic auth with the account and token, form fields To, From, Body. */
async function startTwilio(t: TestContext): Promise<{ url: string; messages: Sms[]; rejected: string[] }> {
  const messages: Sms[] = [];
  const rejected: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const auth = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`;
      const problem =
        request.url !== `/2010-04-01/Accounts/${ACCOUNT}/Messages.json` ? `path ${request.url}` :
        request.headers.authorization !== auth ? 'authorization' :
        form.get('From') !== FROM ? `From ${form.get('From')}` :
        !form.get('To') || !form.get('Body') ? 'To or Body missing' : undefined;
      if (problem) {
        rejected.push(problem);
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message: problem }));
        return;
      }
      messages.push({ at: Date.now(), to: form.get('To')!, body: form.get('Body')! });
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${messages.length}`, status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, messages, rejected };
}

function configYaml(twilioUrl: string, repeat: number, waitMs: number): string {
  const schedule = (id: string, person: string) =>
    `    - { id: ${id}, name: ${id}, time_zone: UTC, layers: [{ name: always, participants: [${person}], start: '2020-01-06T00:00:00Z', rotation: { length: 1w } }] }`;
  return [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'rules: { pack: false }',
    'rule_files: [rules.yml]',
    'oncall:',
    '  people:',
    `    - { id: first, name: First Responder, phone: '${FIRST}', time_zone: UTC }`,
    `    - { id: backup, name: Backup, phone: '${BACKUP}', time_zone: UTC }`,
    '  schedules:',
    schedule('primary', 'first'),
    schedule('secondary', 'backup'),
    '  escalation_policies:',
    '    - id: critical',
    '      name: Critical',
    `      repeat: ${repeat}`,
    '      steps:',
    `        - { notify: [{ schedule: primary }], wait: ${waitMs / 1000}s }`,
    `        - { notify: [{ schedule: secondary }], wait: ${waitMs / 1000}s }`,
    `  sms: { account_sid: ${ACCOUNT}, auth_token: ${TOKEN}, from: '${FROM}', api_url: '${twilioUrl}' }`,
    'alertmanager:',
    '  route:',
    '    receiver: default',
    '    group_wait: 0s',
    '    group_interval: 1s',
    '    repeat_interval: 1h',
    `    routes: [{ matchers: ['severity="critical"'], receiver: oncall }]`,
    '  receivers:',
    '    - name: default',
    '    - name: oncall',
    '      oncall_configs: [{ policy: critical }]',
    '',
  ].join('\n');
}

function writeRule(dir: string, expr: string): void {
  const rule = [
    'groups:',
    '  - name: oncall',
    '    interval: 1s',
    '    rules:',
    '      - alert: CheckoutDown',
    `        expr: ${expr}`,
    '        for: 0s',
    '        labels: { severity: critical }',
    '        annotations: { summary: Checkout is down }',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'rules.yml'), rule);
}

/** A Vigil on its own data dir with the rule firing, and the Twilio server it pages through. */
async function setUp(t: TestContext, repeat: number, waitMs = WAIT_MS) {
  const twilio = await startTwilio(t);
  const dir = tempDir('vigil-oncall-');
  writeRule(dir, 'vector(1) > 0');
  const session = vigilSession(t, configYaml(twilio.url, repeat, waitMs), dir);
  return { twilio, dir, session, vigil: await session.start() };
}

function smsTo(messages: Sms[], phone: string): Sms[] {
  return messages.filter((m) => m.to === phone);
}

async function firstSmsTo(messages: Sms[], phone: string, timeoutMs: number): Promise<Sms> {
  return eventually(async () => {
    const sms = smsTo(messages, phone)[0];
    assert.ok(sms, `no SMS to ${phone} yet`);
    return sms;
  }, timeoutMs);
}

function incidentIdIn(sms: Sms): string {
  const id = /incident #(\d+)/.exec(sms.body)?.[1];
  assert.ok(id, `no incident id in "${sms.body}"`);
  return id;
}

async function incident(url: string, id: string): Promise<any> {
  return (await getJson(`${url}/vigil/api/v1/incidents/${id}`)).data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bin = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

test('an unacknowledged incident climbs to the backup, the link acknowledges it, and it resolves with the alert', { timeout: 90_000 }, async (t) => {
  const { twilio, dir, vigil } = await setUp(t, 1);

  const first = await firstSmsTo(twilio.messages, FIRST, 15_000);
  const id = incidentIdIn(first);
  assert.match(first.body, /CRITICAL incident #\d+: Checkout is down/);
  assert.match(first.body, /Acknowledge: http:\/\/\S+\/vigil\/oncall\/action\?token=/);
  assert.match(first.body, /Resolve: http:\/\/\S+\/vigil\/oncall\/action\?token=/);

  const backup = await firstSmsTo(twilio.messages, BACKUP, WAIT_MS + 5_000);
  const waited = backup.at - first.at;
  assert.ok(waited >= WAIT_MS - 100 && waited <= WAIT_MS + 2_000, `the backup was paged ${waited} ms after the first responder, not after the ${WAIT_MS} ms wait`);
  assert.equal(smsTo(twilio.messages, FIRST).length, 1, 'the first responder was paged again before the chain repeated');

  const link = /Acknowledge: (\S+)/.exec(backup.body)![1];
  const page = await fetch(link);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<form method="post"/);
  assert.equal((await incident(vigil.url, id)).incident.state, 'triggered', 'GET of the link must not acknowledge');
  const acknowledged = await fetch(link, { method: 'POST' });
  assert.equal(acknowledged.status, 200);
  assert.match(await acknowledged.text(), new RegExp(`Incident ${id} acknowledged`));

  const tampered = await fetch(link.replace(/token=(.)/, (_, c: string) => `token=${c === 'A' ? 'B' : 'A'}`), { method: 'POST' });
  assert.equal(tampered.status, 400);
  assert.match(await tampered.text(), /not valid/);

  const sentBefore = twilio.messages.length;
  await sleep(2 * WAIT_MS + 1_000);
  assert.equal(twilio.messages.length, sentBefore, 'an SMS went out after the acknowledgement');
  assert.deepEqual(twilio.rejected, []);

  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'incident', 'list', '--url', vigil.url]);
  const row = stdout.split('\n').find((line) => line.startsWith(`${id}\t`));
  assert.ok(row, `vigil incident list does not show incident ${id}:\n${stdout}`);
  assert.match(row, /\tacknowledged\tcritical\t.*\tbackup\tCheckout is down$/);

  writeRule(dir, 'vector(0) > 0');
  const reload = await fetch(`${vigil.url}/-/reload`, { method: 'POST' });
  assert.equal(reload.status, 200);
  const resolved = await eventually(async () => {
    const detail = await incident(vigil.url, id);
    assert.equal(detail.incident.state, 'resolved');
    return detail;
  }, 15_000);

  const steps = resolved.timeline
    .filter((e: any) => ['triggered', 'paged', 'acknowledged', 'alert-resolved', 'resolved'].includes(e.action))
    .map((e: any) => (e.action === 'paged' ? `paged ${e.detail.person}` : e.action === 'acknowledged' ? `acknowledged by ${e.actor} via ${e.via}` : e.action));
  assert.deepEqual(steps, ['triggered', 'paged first', 'paged backup', 'acknowledged by backup via link', 'alert-resolved', 'resolved']);
  const times = resolved.timeline.map((e: any) => Date.parse(e.at));
  assert.deepEqual(times, [...times].sort((a: number, b: number) => a - b), 'timeline times are not in order');
  assert.deepEqual(resolved.pages.map((p: any) => [p.person, p.status]), [['first', 'sent'], ['backup', 'sent']]);
});

/** Twilio's signature: base64 HMAC-SHA1 over the URL and the sorted form fields. */
function twilioSignature(url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((key) => key + params[key]).join('');
  return createHmac('sha1', TOKEN).update(data).digest('base64');
}

async function postSms(vigilUrl: string, params: Record<string, string>, signature: string): Promise<Response> {
  return fetch(`${vigilUrl}/vigil/api/v1/oncall/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}

test('an SMS reply "ACK <id>" with a valid Twilio signature acknowledges; a bad signature changes nothing', { timeout: 60_000 }, async (t) => {
  const { twilio, vigil } = await setUp(t, 0);
  const id = incidentIdIn(await firstSmsTo(twilio.messages, FIRST, 15_000));
  const params = { From: FIRST, To: FROM, Body: `ACK ${id}`, MessageSid: 'SM1' };
  const url = `${vigil.url}/vigil/api/v1/oncall/sms`;

  const forged = await postSms(vigil.url, params, createHmac('sha1', 'not-the-token').update(url).digest('base64'));
  assert.equal(forged.status, 403);
  const altered = await postSms(vigil.url, { ...params, From: BACKUP }, twilioSignature(url, params));
  assert.equal(altered.status, 403);
  assert.equal((await incident(vigil.url, id)).incident.state, 'triggered');

  const reply = await postSms(vigil.url, params, twilioSignature(url, params));
  assert.equal(reply.status, 200);
  assert.match(reply.headers.get('content-type') ?? '', /xml/);
  assert.match(await reply.text(), new RegExp(`<Response><Message>Incident ${id} acknowledged.</Message></Response>`));
  const detail = await incident(vigil.url, id);
  assert.equal(detail.incident.state, 'acknowledged');
  assert.equal(detail.incident.acknowledgedBy, 'first');
  assert.ok(detail.timeline.some((e: any) => e.action === 'acknowledged' && e.via === 'sms' && e.actor === 'first'));

  const bare = { From: FIRST, To: FROM, Body: 'resolve', MessageSid: 'SM2' };
  const resolved = await postSms(vigil.url, bare, twilioSignature(url, bare));
  assert.match(await resolved.text(), new RegExp(`Incident ${id} resolved.`), '"RESOLVE" alone means the incident last paged to that phone');
  assert.equal((await incident(vigil.url, id)).incident.state, 'resolved');
});

test('a restart in the middle of an escalation pages the backup once, on time, and the first responder only once', { timeout: 60_000 }, async (t) => {
  // Long enough that Vigil is back before the backup is due: the wait continues across the restart.
  const waitMs = 10_000;
  const { twilio, session, vigil } = await setUp(t, 0, waitMs);
  const first = await firstSmsTo(twilio.messages, FIRST, 15_000);
  await vigil.stop();
  const stoppedAt = Date.now();
  assert.equal(smsTo(twilio.messages, BACKUP).length, 0, 'the backup was paged before the wait was over');
  const again = await session.start();
  const downMs = Date.now() - stoppedAt;
  t.diagnostic(`Vigil was down for ${downMs} ms`);
  assert.ok(Date.now() - first.at < waitMs, 'the restart took longer than the wait; the test shows nothing');

  const backup = await firstSmsTo(twilio.messages, BACKUP, waitMs + 5_000);
  const waited = backup.at - first.at;
  assert.ok(waited >= waitMs - 100 && waited <= waitMs + 2_000, `the backup was paged ${waited} ms after the first responder, not after the ${waitMs} ms wait`);
  await sleep(3_000);
  assert.equal(smsTo(twilio.messages, FIRST).length, 1, 'the first responder was paged twice');
  assert.equal(smsTo(twilio.messages, BACKUP).length, 1, 'the backup was paged twice');
  const id = incidentIdIn(first);
  assert.deepEqual((await incident(again.url, id)).pages.map((p: any) => [p.person, p.status]), [['first', 'sent'], ['backup', 'sent']]);
  const open = (await getJson(`${again.url}/vigil/api/v1/incidents`)).data;
  assert.deepEqual(open.map((i: any) => i.id), [id], 'the restart opened a second incident');

  const vigilCli = (...args: string[]) => promisify(execFile)(process.execPath, [bin, 'incident', ...args, '--url', again.url, '--by', 'ops']);
  assert.equal((await vigilCli('ack', id)).stdout, `incident ${id} is acknowledged\n`);
  assert.equal((await vigilCli('resolve', id)).stdout, `incident ${id} is resolved\n`);
  assert.equal((await incident(again.url, id)).incident.resolvedBy, 'ops');
  await assert.rejects(vigilCli('ack', '999'), /the server answered 404: incident "999" not found/);
});

const THIRD = '+15550003';

/** The same config with a third person, paged by a third step. */
function withThirdStep(yaml: string): string {
  return yaml
    .replace('  schedules:', `    - { id: third, name: Third, phone: '${THIRD}', time_zone: UTC }\n  schedules:`)
    .replace(/( {8}- \{ notify: \[\{ schedule: secondary \}\].*\n)/, `$1        - { notify: [{ person: third }] }\n`);
}

test('escalate now, noise, and a reload of the oncall section that keeps the open incident where it was', { timeout: 60_000 }, async (t) => {
  const { twilio, dir, vigil } = await setUp(t, 0, 60_000);
  const id = incidentIdIn(await firstSmsTo(twilio.messages, FIRST, 15_000));
  const vigilCli = (...args: string[]) => promisify(execFile)(process.execPath, [bin, 'incident', ...args, '--url', vigil.url, '--by', 'ops']);
  const post = (path: string, body: unknown) => fetch(`${vigil.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  // Not a minute's wait: the backup is paged at once.
  assert.equal((await vigilCli('escalate', id)).stdout, `incident ${id} is triggered\n`);
  await firstSmsTo(twilio.messages, BACKUP, 5_000);
  const escalated = (await incident(vigil.url, id)).timeline.find((e: any) => e.action === 'escalated');
  assert.deepEqual([escalated.actor, escalated.via], ['ops', 'cli']);

  const marked = await (await post(`/vigil/api/v1/incidents/${id}/noise`, { noise: true, by: 'ops', via: 'api' })).json();
  assert.equal(marked.data.noise, true);

  const configPath = join(dir, 'vigil.yaml');
  const original = configYaml(twilio.url, 0, 60_000);
  writeFileSync(configPath, original.replace("time_zone: UTC }\n    - { id: backup", "time_zone: Mars/Olympus }\n    - { id: backup"));
  const bad = await fetch(`${vigil.url}/-/reload`, { method: 'POST' });
  assert.notEqual(bad.status, 200, 'a bad oncall section must refuse the reload');
  assert.match(await bad.text(), /Mars\/Olympus/);

  writeFileSync(configPath, original.replace('    - id: critical', '    - id: renamed').replace('{ policy: critical }', '{ policy: renamed }'));
  const orphaning = await fetch(`${vigil.url}/-/reload`, { method: 'POST' });
  assert.notEqual(orphaning.status, 200);
  assert.match(await orphaning.text(), new RegExp(`policy \\\\?"critical\\\\?" is still used by open incident\\(s\\) #${id}`));

  writeFileSync(configPath, withThirdStep(original));
  assert.equal((await fetch(`${vigil.url}/-/reload`, { method: 'POST' })).status, 200);
  const after = await incident(vigil.url, id);
  assert.deepEqual([after.incident.state, after.incident.escalation.position, after.incident.noise], ['triggered', 2, true]);
  await vigilCli('escalate', id);
  await firstSmsTo(twilio.messages, THIRD, 5_000);
  assert.equal(smsTo(twilio.messages, FIRST).length, 1);
  assert.equal(smsTo(twilio.messages, BACKUP).length, 1);
});

test('vigil check config refuses an on-call receiver whose policy does not exist', async () => {
  const dir = tempDir('vigil-oncall-check-');
  writeRule(dir, 'vector(1) > 0');
  writeFileSync(join(dir, 'vigil.yaml'), configYaml('http://127.0.0.1:9', 0, WAIT_MS).replace('oncall_configs: [{ policy: critical }]', 'oncall_configs: [{ policy: missing }]'));
  const check = promisify(execFile)(process.execPath, [bin, 'check', 'config', join(dir, 'vigil.yaml')]);
  await assert.rejects(check, (err: { code: number; stderr: string }) => {
    assert.equal(err.code, 1);
    assert.match(err.stderr, /receiver "oncall": oncall_configs policy "missing" is not in oncall.escalation_policies/);
    return true;
  });
  removeDir(dir);
});
