/**
 * The logger never throws into the application: bad input is handled and
 * the line is still written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTION_FAILED } from '../redact/index.ts';
import { createLogger } from './index.ts';
import { capture } from './test-capture.ts';

describe('never throws', () => {
  it('writes circular objects', () => {
    const { log, last } = capture();
    const order: Record<string, unknown> = { id: 'o1' };
    order.self = order;
    order.items = [{ order }];
    log.info({ order }, 'circular');
    assert.equal(last().msg, 'circular');
    assert.deepEqual((last().order as Record<string, unknown>).self, '[Circular]');
  });

  it('writes the line when a field cannot be read or serialised', () => {
    const { log, lines } = capture();
    log.info({ get broken() { throw new Error('getter'); } }, 'getter');
    log.info({ data: { toJSON() { throw new Error('toJSON'); } } }, 'toJSON');
    log.info(new Proxy({}, { ownKeys() { throw new Error('proxy'); } }), 'proxy');
    const child = log.child({}, { serializers: { user: () => { throw new Error('serializer'); } } });
    child.info({ user: { id: 1 }, kept: true }, 'serializer');
    const [getter, toJSON, proxy, serializer] = lines();
    assert.deepEqual([getter.msg, getter.log_error], ['getter', '[FIELDS UNREADABLE]']);
    assert.deepEqual([toJSON.msg, toJSON.data], ['toJSON', REDACTION_FAILED]);
    assert.deepEqual([proxy.msg, proxy.log_error], ['proxy', '[FIELDS UNREADABLE]']);
    assert.deepEqual([serializer.user, serializer.kept], ['[SERIALIZER FAILED]', true]);
  });

  it('writes a stand-in line when the message cannot be formatted', () => {
    const { log, last } = capture();
    log.info('value %s', { toString() { throw new Error('a@example.com'); } });
    assert.deepEqual([last().msg, last().log_error, last().severity], ['[LOG FAILED]', 'Error', 'INFO']);
    (log.info as (...a: unknown[]) => void)('%d', Symbol('s'));
    assert.equal(last().msg, '[LOG FAILED]');
  });

  it('accepts odd arguments: none, null, numbers, arrays, bigint, symbols, functions', () => {
    const { log, lines } = capture();
    const calls: unknown[][] = [[], [null], [undefined], [42], [[1, 2]], [{ n: 10n, s: Symbol('x'), f: () => 1 }, 'odd'], [{ a: 1 }, 123], ['%j', { a: 1 }]];
    for (const args of calls) (log.info as (...a: unknown[]) => void)(...args);
    assert.equal(lines().length, calls.length);
    assert.equal(lines()[5].n, 10);
  });

  it('survives a destination that throws (warns, drops the line)', () => {
    const log = createLogger({ service: 's', destination: { write() { throw new Error('disk full'); } } });
    assert.doesNotThrow(() => log.error('lost'));
    assert.doesNotThrow(() => log.event('auth.blocked'));
  });

  it('child() with bad input returns a working logger', () => {
    const { log, last } = capture();
    const child = log.child(null as never, { level: 'nonsense' });
    child.info('still logging');
    assert.equal(last().msg, 'still logging');
  });
});
