import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogued } from './events.ts';
import { capture } from './test-capture.ts';

const kinds = (lines: Record<string, unknown>[]) => lines.map((l) => [l.event, l.category, l.severity]);

describe('event catalogue', () => {
  it('gives common events a consistent category and level', () => {
    const { log, lines } = capture();
    log.event('auth.login_failed', { ip: '10.0.0.1' });
    log.event('auth.blocked');
    log.event('webhook.signature_failed', { provider: 'stripe' });
    log.event('webhook.received', { provider: 'twilio' });
    log.event('audit.role_granted');
    log.event('payment.refunded');
    log.event('payment.failed');
    log.event('tenant.cross_access_attempt');
    log.event('cache.warmed');
    assert.deepEqual(kinds(lines()), [
      ['auth.login_failed', 'security', 'WARNING'],
      ['auth.blocked', 'security', 'WARNING'],
      ['webhook.signature_failed', 'security', 'WARNING'],
      ['webhook.received', 'standard', 'INFO'],
      ['audit.role_granted', 'audit', 'INFO'],
      ['payment.refunded', 'audit', 'INFO'],
      ['payment.failed', 'audit', 'WARNING'],
      ['tenant.cross_access_attempt', 'security', 'ERROR'],
      ['cache.warmed', 'standard', 'INFO'],
    ]);
  });

  it('looks up dotted prefixes, longest first', () => {
    assert.deepEqual(catalogued('payment.refund.failed'), { category: 'audit', level: 'info' });
    assert.deepEqual(catalogued('security.scan.found'), { category: 'security', level: 'warning' });
    assert.equal(catalogued('paymentx'), undefined);
    assert.equal(catalogued('.'), undefined);
  });

  it('writes the fields, the message (default: the name) and one category', () => {
    const { log, raw, last } = capture();
    log.event('webhook.received', { provider: 'stripe', msg: 'stripe webhook in' });
    assert.equal(last().msg, 'stripe webhook in');
    assert.equal(last().provider, 'stripe');
    log.event('webhook.received');
    assert.equal(last().msg, 'webhook.received');
    for (const line of raw) assert.equal(line.match(/"category"/g)?.length, 1, line);
  });

  it('lets a call override level and category, and ignores bad overrides', () => {
    const { log, lines } = capture();
    log.event('webhook.received', {}, { level: 'error', category: 'security' });
    log.event('webhook.received', { category: 'audit' });
    log.event('auth.blocked', {}, { level: 'loud' as 'info', category: 'secret' as 'audit' });
    assert.deepEqual(kinds(lines()), [
      ['webhook.received', 'security', 'ERROR'],
      ['webhook.received', 'audit', 'INFO'],
      ['auth.blocked', 'security', 'WARNING'],
    ]);
  });

  it('security() and audit() fix the category; the level is the catalogue\'s, else warning / info', () => {
    const { log, lines } = capture();
    log.security('auth.login_failed', { ip: '10.0.0.1' });
    log.security('scanner.detected');
    log.security('tenant.cross_access_attempt');
    log.audit('user.exported_data', { rows: 10 });
    log.audit('payment.failed');
    assert.deepEqual(kinds(lines()), [
      ['auth.login_failed', 'security', 'WARNING'],
      ['scanner.detected', 'security', 'WARNING'],
      ['tenant.cross_access_attempt', 'security', 'ERROR'],
      ['user.exported_data', 'audit', 'INFO'],
      ['payment.failed', 'audit', 'WARNING'],
    ]);
  });

  it('works on child loggers and respects their level', () => {
    const { log, lines } = capture();
    const child = log.child({ component: 'auth' }, { level: 'warning' });
    child.event('auth.login_succeeded');
    child.security('auth.login_failed');
    assert.deepEqual(lines().map((l) => [l.event, l.component]), [['auth.login_failed', 'auth']]);
  });

  it('redacts event fields like any other', () => {
    const { log, raw } = capture();
    log.security('auth.login_failed', { email: 'ann@example.com', password: 'hunter2' });
    assert.ok(!raw[0].includes('ann@example.com') && !raw[0].includes('hunter2'), raw[0]);
  });
});
