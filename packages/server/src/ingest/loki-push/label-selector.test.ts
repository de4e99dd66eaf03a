import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError } from '../../errors.ts';
import { parseLabelSelector } from './label-selector.ts';

function invalid(text: RegExp) {
  return (err: unknown) => {
    assert.ok(isVigilError(err), String(err));
    assert.equal(err.code, 'VIGIL_ERR_LABELS_INVALID');
    assert.match(err.message, text);
    return true;
  };
}

describe('parseLabelSelector', () => {
  it('parses a label set', () => {
    assert.deepEqual(parseLabelSelector('{job="api", level="info"}'), { job: 'api', level: 'info' });
    assert.deepEqual(parseLabelSelector(' { job = "api" ,level="info", } '), { job: 'api', level: 'info' });
    assert.deepEqual(parseLabelSelector('{}'), {});
    assert.deepEqual(parseLabelSelector('{_a1="", B="x"}'), { _a1: '', B: 'x' });
  });

  it('decodes Go string escapes', () => {
    assert.deepEqual(parseLabelSelector(String.raw`{a="q\"b\\c\n\t"}`), { a: 'q"b\\c\n\t' });
    assert.deepEqual(parseLabelSelector(String.raw`{a="\u00e9\U0001F600\x41\101"}`), { a: 'é😀AA' });
    assert.deepEqual(parseLabelSelector(String.raw`{a="\xc3\xa9!"}`), { a: 'é!' });
    assert.deepEqual(parseLabelSelector(String.raw`{a='it\'s', b=` + '`raw\\n`}'), { a: "it's", b: 'raw\\n' });
    assert.deepEqual(parseLabelSelector('{a="ünï ✓"}'), { a: 'ünï ✓' });
  });

  it('keeps a "__proto__" label as data', () => {
    const labels = parseLabelSelector('{__proto__="x"}');
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.deepEqual(Object.entries(labels), [['__proto__', 'x']]);
  });

  it('names the bad text', () => {
    assert.throws(() => parseLabelSelector('job="api"'), invalid(/"job=\\"api\\"".*expected "\{" at position 0/));
    assert.throws(() => parseLabelSelector('{job="api"'), invalid(/expected "}"/));
    assert.throws(() => parseLabelSelector('{job=~"api"}'), invalid(/expected a quoted label value at position 5/));
    assert.throws(() => parseLabelSelector('{job!="api"}'), invalid(/expected "="/));
    assert.throws(() => parseLabelSelector('{job=api}'), invalid(/quoted label value/));
    assert.throws(() => parseLabelSelector('{1job="a"}'), invalid(/label name/));
    assert.throws(() => parseLabelSelector('{service.name="a"}'), invalid(/expected "="/));
    assert.throws(() => parseLabelSelector('{a="1", a="2"}'), invalid(/duplicate label name "a"/));
    assert.throws(() => parseLabelSelector('{a="x"} extra'), invalid(/after "}"/));
    assert.throws(() => parseLabelSelector(''), invalid(/expected "\{"/));
    assert.throws(() => parseLabelSelector('{a="unterminated}'), invalid(/unterminated string/));
    assert.throws(() => parseLabelSelector('{a="line\nbreak"}'), invalid(/newline/));
    assert.throws(() => parseLabelSelector(String.raw`{a="\q"}`), invalid(/invalid escape/));
    assert.throws(() => parseLabelSelector(String.raw`{a="\xff"}`), invalid(/not valid UTF-8/));
    assert.throws(() => parseLabelSelector(String.raw`{a="\uD800"}`), invalid(/unicode escape/));
    assert.throws(() => parseLabelSelector(String.raw`{a="it\'s"}`), invalid(/invalid escape/));
  });
});
