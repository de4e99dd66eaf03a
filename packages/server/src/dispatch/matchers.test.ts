import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isVigilError } from '../errors.ts';
import { compileMatchers, formatMatchers, matchersFromLegacy, parseMatcher, parseMatchers, type Matcher } from './matchers.ts';

const cases: [string, Matcher[]][] = [
  ['', []],
  ['{}', []],
  ['{a="b"}', [{ name: 'a', op: '=', value: 'b' }]],
  ['{a="b", c=~"d.*", e!="f", g!~"h"}', [
    { name: 'a', op: '=', value: 'b' },
    { name: 'c', op: '=~', value: 'd.*' },
    { name: 'e', op: '!=', value: 'f' },
    { name: 'g', op: '!~', value: 'h' },
  ]],
  ['foo=bar', [{ name: 'foo', op: '=', value: 'bar' }]],
  ['foo = bar , baz!=qux', [{ name: 'foo', op: '=', value: 'bar' }, { name: 'baz', op: '!=', value: 'qux' }]],
  ['{foo="bar",}', [{ name: 'foo', op: '=', value: 'bar' }]],
  ['a="with \\"quote\\" and \\\\ and \\n"', [{ name: 'a', op: '=', value: 'with "quote" and \\ and \n' }]],
  ['a="comma, inside", b="}"', [{ name: 'a', op: '=', value: 'comma, inside' }, { name: 'b', op: '=', value: '}' }]],
  ['a="\\u00e9\\x41"', [{ name: 'a', op: '=', value: 'éA' }]],
  ['a=""', [{ name: 'a', op: '=', value: '' }]],
  ['"quoted name"="v"', [{ name: 'quoted name', op: '=', value: 'v' }]],
];

for (const [text, expected] of cases) {
  test(`parseMatchers(${JSON.stringify(text)})`, () => {
    assert.deepEqual(parseMatchers(text), expected);
  });
}

const bad: [string, RegExp][] = [
  ['{a="b"', /expected "}"/],
  ['a', /expected one of =/],
  ['a=="b"', /quote|quoted/],
  ['a="unterminated', /unterminated/],
  ['a=~"(unclosed"', /a=~"\(unclosed"/],
  ['a="b" c="d"', /unexpected "c"/],
  ['=b', /expected a label name/],
  ['a="\\q"', /unknown escape/],
];

for (const [text, message] of bad) {
  test(`parseMatchers rejects ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseMatchers(text), (err) => isVigilError(err) && err.code === 'VIGIL_ERR_ALERTMANAGER_CONFIG' && message.test(err.message));
  });
}

test('errors carry the code the caller asks for', () => {
  assert.throws(() => parseMatchers('{a', 'VIGIL_ERR_SILENCE_INVALID'), (err) => isVigilError(err) && err.code === 'VIGIL_ERR_SILENCE_INVALID');
  assert.throws(() => parseMatcher('a=~"(x"', 'VIGIL_ERR_SILENCE_INVALID'), (err) => isVigilError(err) && err.code === 'VIGIL_ERR_SILENCE_INVALID');
});

test('parseMatcher takes exactly one', () => {
  assert.deepEqual(parseMatcher('severity=~"critical|page"'), { name: 'severity', op: '=~', value: 'critical|page' });
  assert.throws(() => parseMatcher('a=b, c=d'), /after the matcher/);
});

test('compileMatchers anchors regexes and treats a missing label as ""', () => {
  const match = compileMatchers(parseMatchers('{job=~"api|web", env!="dev", team!~"x.*"}'));
  assert.equal(match({ job: 'api', env: 'prod' }), true);
  assert.equal(match({ job: 'api-2', env: 'prod' }), false, 'anchored: api-2 is not api');
  assert.equal(match({ job: 'web', env: 'dev' }), false);
  assert.equal(match({ job: 'web', team: 'xy' }), false);
  assert.equal(compileMatchers(parseMatchers('missing=""'))({}), true);
  assert.equal(compileMatchers(parseMatchers('missing=~".*"'))({}), true);
  assert.equal(compileMatchers(parseMatchers('missing!=""'))({}), false);
});

test('matchersFromLegacy converts match and match_re and checks regexes', () => {
  assert.deepEqual(matchersFromLegacy({ a: 'b' }, { c: 'd|e' }), [{ name: 'a', op: '=', value: 'b' }, { name: 'c', op: '=~', value: 'd|e' }]);
  assert.deepEqual(matchersFromLegacy(), []);
  assert.throws(() => matchersFromLegacy(undefined, { c: '(' }), /matcher c=~"\("/);
});

test('formatMatchers writes Alertmanager strings', () => {
  assert.equal(formatMatchers(parseMatchers('severity=critical, x=~"a\\"b"')), '{severity="critical",x=~"a\\"b"}');
});

test('a label name that is also an Object.prototype member reads as missing', () => {
  const matches = compileMatchers(parseMatchers('toString!=""'));
  assert.equal(matches({ alertname: 'A' }), false);
  assert.equal(matches({ toString: 'x' }), true);
});
