import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { sampleNotification, testNotifier } from '../testing.ts';

interface Received {
  mail: ParsedMail;
  envelope: { from: string; to: string[] };
  user?: string;
}

async function smtpServer(options: { auth?: boolean; rejectWith?: number } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      if (auth.username === 'am' && auth.password === 'pw') callback(null, { user: auth.username });
      else callback(new Error('bad credentials'));
    },
    onData(stream, session, callback) {
      if (options.rejectWith) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('mailbox unavailable'), { responseCode: options.rejectWith })));
        return;
      }
      simpleParser(stream).then((mail) => {
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        received.push({ mail, envelope, user: session.user as string | undefined });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { smarthost: `127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('email: subject, text and HTML list the alerts, sent through the global smarthost', async (t) => {
  const smtp = await smtpServer();
  t.after(() => smtp.close());
  const { notifier } = testNotifier([{ name: 'mail', email_configs: [{ to: 'oncall@example.org', headers: { 'X-Team': 'api' } }] }], {
    smtp_smarthost: smtp.smarthost,
    smtp_from: 'vigil@example.org',
    smtp_require_tls: false,
  });
  const results = await notifier.send('mail', sampleNotification());

  assert.deepEqual(results, [{ integration: 'email[0]', ok: true, attempts: 1 }]);
  const [{ mail, envelope }] = smtp.received;
  assert.deepEqual(envelope, { from: 'vigil@example.org', to: ['oncall@example.org'] });
  assert.equal(mail.subject, '[FIRING:2] HighLatency (api critical)');
  assert.equal(mail.headers.get('x-team'), 'api');
  assert.match(mail.text ?? '', /instance = a:1/);
  assert.match(mail.text ?? '', /summary = p99 latency above 1s/);
  assert.match(mail.text ?? '', /Runbook: https:\/\/runbooks.test\/latency/);
  const html = String(mail.html);
  assert.match(html, /<h2>\[FIRING:2\] HighLatency \(api critical\)<\/h2>/);
  assert.match(html, /<td>instance<\/td><td>b:1<\/td>/);
  assert.match(html, /<a href="https:\/\/runbooks.test\/latency">Runbook<\/a>/);
});

test('email: the integration’s own smarthost, auth and plain-text subject header', async (t) => {
  const smtp = await smtpServer({ auth: true });
  t.after(() => smtp.close());
  const { notifier } = testNotifier([
    {
      name: 'mail',
      email_configs: [
        {
          to: 'a@example.org, b@example.org',
          from: 'am@example.org',
          smarthost: smtp.smarthost,
          require_tls: false,
          auth_username: 'am',
          auth_password: 'pw',
          headers: { Subject: 'Latency alert' },
        },
      ],
    },
  ]);
  const results = await notifier.send('mail', sampleNotification());
  assert.equal(results[0].ok, true, results[0].error);
  assert.equal(smtp.received[0].user, 'am');
  assert.deepEqual(smtp.received[0].envelope.to, ['a@example.org', 'b@example.org']);
  assert.equal(smtp.received[0].mail.subject, 'Latency alert');
});

test('email: a permanent SMTP rejection (5xx) is not retried; a transient one (4xx) is', async (t) => {
  const permanent = await smtpServer({ rejectWith: 550 });
  const transient = await smtpServer({ rejectWith: 451 });
  t.after(() => Promise.all([permanent.close(), transient.close()]));
  const config = (smarthost: string) => ({ name: 'mail', email_configs: [{ to: 'a@example.org', from: 'v@example.org', smarthost, require_tls: false }] });
  const [rejected] = await testNotifier([config(permanent.smarthost)]).notifier.send('mail', sampleNotification());
  assert.equal(rejected.ok, false);
  assert.equal(rejected.attempts, 1);
  assert.match(rejected.error ?? '', /mailbox unavailable/);
  const [deferred] = await testNotifier([config(transient.smarthost)], {}, { maxAttempts: 2 }).notifier.send('mail', sampleNotification());
  assert.equal(deferred.ok, false);
  assert.equal(deferred.attempts, 2);
});

test('email: no smarthost anywhere is a config error at build time', () => {
  assert.throws(
    () => testNotifier([{ name: 'mail', email_configs: [{ to: 'a@example.org' }] }], { smtp_from: 'v@example.org' }),
    /no smarthost or global.smtp_smarthost is set/,
  );
});

test('email: a server that never greets times out', async (t) => {
  const silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => silent.close(resolve)));
  const smarthost = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const receiver = { name: 'mail', email_configs: [{ to: 'a@example.org', from: 'v@example.org', smarthost, require_tls: false }] };
  const [result] = await testNotifier([receiver], {}, { timeoutMs: 30, maxAttempts: 1 }).notifier.send('mail', sampleNotification());
  assert.equal(result.ok, false);
  assert.match(result.error ?? '', /email: .*(in time|timeout)/i);
});
