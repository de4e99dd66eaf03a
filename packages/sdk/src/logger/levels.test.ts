import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { createLogger } from './index.ts';
import { capture } from './test-capture.ts';

/** Sets environment variables for one test. */
function withEnv(t: TestContext, vars: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  t.after(() => apply(saved));
}

describe('line shape', () => {
  it('writes one JSON object per line with the normalised fields, for every level', () => {
    const { log, raw, lines } = capture({ service: 'checkout', env: 'production' });
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warning('w');
    log.error('e');
    log.critical('c');
    assert.ok(raw.every((line) => line.endsWith('}\n') && !line.slice(0, -1).includes('\n')));
    assert.deepEqual(
      lines().map((l) => [l.severity, l.level, l.msg]),
      [['DEBUG', 10, 't'], ['DEBUG', 20, 'd'], ['INFO', 30, 'i'], ['WARNING', 40, 'w'], ['ERROR', 50, 'e'], ['CRITICAL', 60, 'c']],
    );
    for (const line of lines()) {
      assert.equal(line.service, 'checkout');
      assert.equal(line.env, 'production');
      assert.equal(line.category, 'standard');
      assert.equal(typeof line.time, 'number');
      assert.ok(Math.abs((line.time as number) - Date.now()) < 60_000, 'time is epoch milliseconds');
      assert.equal(line.request_id, undefined, 'no request id outside a request context');
    }
  });

  it('puts severity first, then the pino level and time, then fields, then msg', () => {
    const { log, raw } = capture();
    log.info({ order_id: 'o1', status: 201, duration_ms: 12 }, 'order placed');
    assert.match(raw[0], /^\{"severity":"INFO","level":30,"time":\d+,"category":"standard","service":"checkout","env":"test","order_id":"o1","status":201,"duration_ms":12,"msg":"order placed"\}\n$/);
  });

  it('warn and fatal are aliases that log at warning and critical', () => {
    const { log, lines } = capture();
    log.warn('a');
    log.warning('b');
    log.fatal('c');
    log.critical('d');
    assert.deepEqual(lines().map((l) => [l.severity, l.level]), [['WARNING', 40], ['WARNING', 40], ['CRITICAL', 60], ['CRITICAL', 60]]);
  });

  it('flushes the destination after critical lines, as pino does for fatal', () => {
    let flushes = 0;
    const log = createLogger({ service: 's', level: 'info', format: 'json', destination: { write() {}, flushSync: () => void flushes++ } as never });
    log.error('not yet');
    log.critical('now');
    log.fatal('and now');
    assert.equal(flushes, 2);
  });

  it('filters below the level, whichever alias names it', () => {
    const { log, lines } = capture({ level: 'WARN' });
    assert.equal(log.level, 'warning');
    log.info('dropped');
    log.warn('kept');
    log.error('kept too');
    assert.deepEqual(lines().map((l) => l.msg), ['kept', 'kept too']);
    assert.equal(log.isLevelEnabled('warning'), true);
    assert.equal(log.isLevelEnabled('info'), false);
  });

  it('keeps levels, fields and helpers on child loggers', () => {
    const { log, lines } = capture();
    const child = log.child({ component: 'billing' }, { level: 'warning' });
    child.info('dropped');
    child.warn({ attempt: 2 }, 'retrying');
    child.child({ step: 'charge' }).critical('gave up');
    assert.deepEqual(lines().map((l) => [l.severity, l.component, l.step, l.msg]), [
      ['WARNING', 'billing', undefined, 'retrying'],
      ['CRITICAL', 'billing', 'charge', 'gave up'],
    ]);
  });

  it('writes category once: a child or the caller may set it', () => {
    const { log, raw, lines } = capture();
    const audit = log.child({ category: 'audit' });
    audit.info('from child');
    log.info({ category: 'security' }, 'from fields');
    audit.info({ category: 'security' }, 'fields win over the child');
    assert.deepEqual(lines().map((l) => l.category), ['audit', 'security', 'security']);
    for (const line of raw) assert.equal(line.match(/"category"/g)?.length, 1, line);
  });
});

describe('LOG_LEVEL and LOG_FORMAT', () => {
  it('takes the level from LOG_LEVEL when the option is not given, the option first', (t) => {
    withEnv(t, { LOG_LEVEL: 'error' });
    const fromEnv = capture({ level: undefined });
    fromEnv.log.warn('dropped');
    fromEnv.log.error('kept');
    assert.deepEqual(fromEnv.lines().map((l) => l.msg), ['kept']);
    assert.equal(capture({ level: 'debug' }).log.level, 'debug');
  });

  it('defaults to info, and warns and uses info for an unknown LOG_LEVEL', (t) => {
    withEnv(t, { LOG_LEVEL: undefined });
    assert.equal(capture({ level: undefined }).log.level, 'info');
    withEnv(t, { LOG_LEVEL: 'verbose' });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    t.after(() => process.off('warning', onWarning));
    assert.equal(capture({ level: undefined }).log.level, 'info');
    return new Promise<void>((resolve) => setImmediate(() => {
      assert.ok(warnings.some((m) => m.includes('LOG_LEVEL="verbose"')), warnings.join('\n'));
      resolve();
    }));
  });

  it('LOG_FORMAT=pretty writes human text, not JSON', (t) => {
    withEnv(t, { LOG_FORMAT: 'pretty' });
    const raw: string[] = [];
    const log = createLogger({ service: 'checkout', destination: { write: (s: string) => void raw.push(s) } });
    log.warn({ order_id: 'o1', email: 'a@example.com' }, 'slow upstream');
    const text = raw.join('');
    assert.throws(() => JSON.parse(text));
    assert.match(text, /WARNING/);
    assert.match(text, /slow upstream/);
    assert.match(text, /order_id: "o1"/);
    assert.ok(!text.includes('a@example.com'), 'pretty output is redacted too');
  });

  it('the format option wins over LOG_FORMAT; unknown LOG_FORMAT falls back to json', (t) => {
    withEnv(t, { LOG_FORMAT: 'pretty' });
    const json = capture({ format: 'json' });
    json.log.info('x');
    assert.equal(json.last().msg, 'x');
    withEnv(t, { LOG_FORMAT: 'xml' });
    const fallback = capture({ format: undefined });
    fallback.log.info('y');
    assert.equal(fallback.last().msg, 'y');
  });

  it('rejects bad options at construction, naming the option and the value', () => {
    const destination = { write() {} };
    assert.throws(() => createLogger({ service: '', destination }), /logger option service must be a non-empty string, got the string ""/);
    assert.throws(() => createLogger({ service: 's', level: 'loud', destination }), /logger option level must be one of .*got the string "loud"/);
    assert.throws(() => createLogger({ service: 's', format: 'xml' as 'json', destination }), /logger option format/);
    assert.throws(() => createLogger({ service: 's', destination: {} as never }), /logger option destination/);
    assert.throws(() => createLogger({ service: 's', colour: true } as never), /unknown logger option "colour"/);
    assert.throws(() => createLogger({ service: 's', redact: { extraFieldNames: [''] }, destination }), /redact option extraFieldNames\[0\]/);
  });
});
