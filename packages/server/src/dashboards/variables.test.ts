import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_VALUE, escapeValue, substitute } from './variables.ts';

test('$name and ${name} are replaced; unknown names are left as written', () => {
  assert.equal(substitute('up{job=~"$job", env=~"${env}x"} $1 $other', { job: 'api', env: 'prod' }), 'up{job=~"api", env=~"prodx"} $1 $other');
});

test('All becomes .* and builtins go in as they are', () => {
  assert.equal(substitute('rate(x{job=~"$job"}[$__range])', { job: ALL_VALUE }, { __range: '3600s' }), 'rate(x{job=~".*"}[3600s])');
});

test('values are regex-escaped, then escaped for a double-quoted string', () => {
  assert.equal(escapeValue('a.b'), 'a\\\\.b');
  assert.equal(escapeValue('say "hi"'), 'say \\"hi\\"');
  assert.equal(substitute('{x=~"$v"}', { v: '(eu)' }), '{x=~"\\\\(eu\\\\)"}');
});
