import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, defaultConfig, parseConfigText } from './index.ts';

test('no file at all gives every default', () => {
  const config = defaultConfig();
  assert.equal(config.server.listen, '127.0.0.1:9700');
  assert.equal(config.server.data_dir, './data');
  assert.equal(config.retention.standard, 30 * 86_400_000);
  assert.equal(config.retention.security, 90 * 86_400_000);
  assert.equal(config.redaction.enabled, true);
  assert.ok(Object.isFrozen(config.server));
});

test('${VAR} is taken from the environment and $${VAR} stays literal', () => {
  const config = parseConfigText('server:\n  data_dir: ${DIR}/vigil\nredaction:\n  extra_fields: ["$${NOT_A_VAR}"]\n', {
    DIR: '/srv',
  });
  assert.equal(config.server.data_dir, '/srv/vigil');
  assert.deepEqual(config.redaction.extra_fields, ['${NOT_A_VAR}']);
});

test('every problem is listed as path.to.field: what is wrong', () => {
  const yaml = [
    'server:',
    '  listen: 9700',
    '  max_body_bytes: -1',
    'limits:',
    '  max_lables_per_stream: 3',
    'retention:',
    '  audit: 3 months',
    'redaction:',
    '  disable_patterns: [email, fax]',
    '  extra_patterns: [{ name: x, regex: "(" }]',
    'query:',
    '  workers: ${MISSING}',
  ].join('\n');
  try {
    parseConfigText(yaml, {});
    assert.fail('should have thrown');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    const text = err.problems.join('\n');
    for (const expected of [
      'server.listen: use HOST:PORT',
      'server.max_body_bytes:',
      'limits.max_lables_per_stream: unknown key',
      'retention.audit: "3 months" is not a duration',
      'redaction.disable_patterns.1:',
      'redaction.extra_patterns.0.regex: not a valid regular expression',
      'query.workers: environment variable MISSING is not set',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in:\n${text}`);
    }
  }
});

test('YAML that does not parse names the line', () => {
  assert.throws(() => parseConfigText('server:\n  listen: [unclosed\n'), /not valid YAML at line/);
});
