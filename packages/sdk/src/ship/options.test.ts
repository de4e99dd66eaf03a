import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultShipOptions, resolveShipOptions, type ShipOptions } from './options.ts';

const base: ShipOptions = { url: 'http://vigil:3100', labels: { service: 'api' } };

test('a base URL gets the Loki push path; a full path is kept', () => {
  assert.equal(resolveShipOptions(base).pushUrl, 'http://vigil:3100/loki/api/v1/push');
  assert.equal(resolveShipOptions({ ...base, url: 'https://gw.example/logs/loki/api/v1/push' }).pushUrl, 'https://gw.example/logs/loki/api/v1/push');
});

test('defaults are filled in and the result is frozen', () => {
  const resolved = resolveShipOptions({ ...base, batchBytes: undefined });
  assert.equal(resolved.batchBytes, defaultShipOptions.batchBytes);
  assert.equal(resolved.gzip, true);
  assert.equal(resolved.levelLabel, 'level');
  assert.ok(Object.isFrozen(resolved) && Object.isFrozen(resolved.labels) && Object.isFrozen(defaultShipOptions));
  assert.deepEqual(resolveShipOptions({ ...base, tenant: 'acme', headers: { 'X-A': '1' } }).headers, { 'X-A': '1', 'X-Scope-OrgID': 'acme' });
});

test('a bad option fails at creation with a TypeError naming it and what it got', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ url: 'vigil:3100' }, /option url must be an http\(s\) URL.*got "vigil:3100"/],
    [{ url: 'ftp://x' }, /option url/],
    [{ labels: {} }, /option labels must be at least one label/],
    [{ labels: { 'service-name': 'x' } }, /option labels\.service-name must be a label name/],
    [{ labels: { service: 3 } }, /option labels\.service must be a non-empty string; got 3/],
    [{ levelLabel: 'lvl-x' }, /option levelLabel/],
    [{ labels: { service: 'a', level: 'info' } }, /levelLabel.*labels\.level is fixed/],
    [{ tenant: 'a|b' }, /option tenant/],
    [{ batchBytes: 0 }, /option batchBytes must be a positive integer; got 0/],
    [{ flushIntervalMs: 1.5 }, /option flushIntervalMs/],
    [{ maxRetries: -1 }, /option maxRetries must be an integer ≥ 0; got -1/],
    [{ batchBytes: 8 * 1024 * 1024 }, /batchBytes must be at most half of maxBufferBytes/],
    [{ minBackoffMs: 60_000 }, /minBackoffMs must be at most maxBackoffMs/],
    [{ gzip: 'yes' }, /option gzip must be true or false/],
    [{ batchbytes: 10 }, /unknown option batchbytes/],
  ];
  for (const [patch, message] of cases) {
    assert.throws(() => resolveShipOptions({ ...base, ...patch } as ShipOptions), (err: Error) => err instanceof TypeError && message.test(err.message), JSON.stringify(patch));
  }
});

test('a header value is never shown in an error: it may be a credential', () => {
  assert.throws(
    () => resolveShipOptions({ ...base, headers: { Authorization: { secret: 's3cr3t' } as unknown as string } }),
    (err: Error) => /headers\.Authorization must be a string; got object/.test(err.message) && !err.message.includes('s3cr3t'),
  );
});
