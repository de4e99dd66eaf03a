import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goQuote, parseBytes, parseGoDuration, parseGoFloat, parseQueryDuration, unquoteGoString } from './literals.ts';

describe('unquoteGoString', () => {
  it('handles Go escapes, raw strings and byte escapes as UTF-8', () => {
    assert.deepEqual(unquoteGoString('"a\\tb\\n\\"\\\\"'), { value: 'a\tb\n"\\' });
    assert.deepEqual(unquoteGoString('"\\xc3\\xa9\\u00e9\\U0001F600\\101"'), { value: 'éé😀A' });
    assert.deepEqual(unquoteGoString('`\\d+\r`'), { value: '\\d+' });
  });
  it('refuses escapes Go refuses', () => {
    for (const bad of ['"\\d"', '"\\\'"', '"\\x1"', '"\\400"', '"\\uD800"']) assert.ok('error' in unquoteGoString(bad), bad);
  });
  it('keeps bytes that are not UTF-8 when asked, for goQuote to name', () => {
    assert.deepEqual(unquoteGoString('"a\\xc5z"'), { value: 'a\ufffdz' });
    const kept = unquoteGoString('"a\\xc5z\\xe2\\x82\\xac\\xe2\\x82"', true);
    assert.deepEqual(kept, { value: 'a\udcc5z€\udce2\udc82' });
    assert.equal(goQuote('value' in kept ? kept.value : ''), '"a\\xc5z€\\xe2\\x82"');
    assert.equal(goQuote('a\\udcc5 "q"'), '"a\\\\udcc5 \\"q\\""');
  });
});

describe('durations', () => {
  it('query durations accept Go and Prometheus units', () => {
    assert.equal(parseQueryDuration('5m'), 300_000_000_000n);
    assert.equal(parseQueryDuration('1h30m'), 5_400_000_000_000n);
    assert.equal(parseQueryDuration('1.5s'), 1_500_000_000n);
    assert.equal(parseQueryDuration('250ms'), 250_000_000n);
    assert.equal(parseQueryDuration('2d'), 172_800_000_000_000n);
    assert.equal(parseQueryDuration('1w'), 604_800_000_000_000n);
    assert.equal(parseQueryDuration('10µs'), 10_000n);
    assert.equal(parseQueryDuration('5'), undefined);
    assert.equal(parseQueryDuration('5x'), undefined);
  });
  it('label values follow time.ParseDuration', () => {
    assert.equal(parseGoDuration('1.5s'), 1.5e9);
    assert.equal(parseGoDuration('-2m'), -120e9);
    assert.equal(parseGoDuration('0'), 0);
    assert.equal(parseGoDuration('1.5'), undefined);
    assert.equal(parseGoDuration('1d'), undefined);
    assert.equal(parseGoDuration(''), undefined);
  });
});

describe('parseBytes and parseGoFloat', () => {
  it('reads humanized sizes', () => {
    assert.equal(parseBytes('20KB'), 20_000);
    assert.equal(parseBytes('20kib'), 20_480);
    assert.equal(parseBytes('1.5 MiB'), 1.5 * 1024 * 1024);
    assert.equal(parseBytes('1,024'), 1024);
    assert.equal(parseBytes('12'), 12);
    assert.equal(parseBytes('12 parsecs'), undefined);
  });
  it('reads floats as Go does, not as Number()', () => {
    assert.equal(parseGoFloat('1e3'), 1000);
    assert.equal(parseGoFloat('-.5'), -0.5);
    assert.equal(parseGoFloat('+Inf'), Infinity);
    assert.ok(Number.isNaN(parseGoFloat('NaN')));
    for (const bad of ['', ' 1', '0x10', '1_000', 'abc']) assert.equal(parseGoFloat(bad), undefined, bad);
  });
});
