import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromSilenceMatcher, matcherText, matchesLabels, parseMatcherList, parseMatcherText, toSilenceMatcher, type MatcherRow } from './matchers.ts';

test('matcher text round-trips, quotes and escapes included', () => {
  const rows: MatcherRow[] = [
    { name: 'alertname', op: '=', value: 'Disk "Full"' },
    { name: 'job', op: '!=', value: 'a\\b' },
    { name: 'team', op: '=~', value: 'db|cache' },
    { name: 'env', op: '!~', value: '' },
  ];
  for (const row of rows) assert.deepEqual(parseMatcherText(matcherText(row)), row);
  assert.equal(matcherText(rows[0]), 'alertname="Disk \\"Full\\""');
});

test('unquoted values and spaces around the operator are read', () => {
  assert.deepEqual(parseMatcherText(' severity = critical '), { name: 'severity', op: '=', value: 'critical' });
  assert.equal(parseMatcherText('1bad="x"'), undefined);
  assert.equal(parseMatcherText('no operator'), undefined);
});

test('a list in braces is split on commas outside quotes', () => {
  assert.deepEqual(parseMatcherList('{a="x,y", b=~"z"}'), [
    { name: 'a', op: '=', value: 'x,y' },
    { name: 'b', op: '=~', value: 'z' },
  ]);
  assert.deepEqual(parseMatcherList(''), []);
  assert.equal(parseMatcherList('a="x", nonsense'), undefined);
});

test('rows convert to and from the silences API shape', () => {
  const ops = ['=', '!=', '=~', '!~'] as const;
  for (const op of ops) {
    const row: MatcherRow = { name: 'a', op, value: 'v' };
    assert.deepEqual(fromSilenceMatcher(toSilenceMatcher(row)), row);
  }
  assert.deepEqual(toSilenceMatcher({ name: ' a ', op: '!~', value: 'v' }), { name: 'a', value: 'v', isRegex: true, isEqual: false });
});

test('labels match as Alertmanager matches: anchored regexes, missing labels as empty', () => {
  const labels = { alertname: 'DiskFull', team: 'db' };
  assert.ok(matchesLabels(labels, [{ name: 'team', op: '=~', value: 'd.' }]));
  assert.ok(!matchesLabels(labels, [{ name: 'team', op: '=~', value: 'd' }]));
  assert.ok(matchesLabels(labels, [{ name: 'missing', op: '=', value: '' }]));
  assert.ok(matchesLabels(labels, [{ name: 'team', op: '!=', value: 'web' }]));
  assert.ok(!matchesLabels(labels, [{ name: 'alertname', op: '!~', value: 'Disk.*' }]));
  assert.ok(!matchesLabels(labels, [{ name: 'team', op: '=~', value: '((' }]), 'a bad regex matches nothing');
});
