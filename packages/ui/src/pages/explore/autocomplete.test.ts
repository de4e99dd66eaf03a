import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyCompletion, completionContext, rankCandidates } from './autocomplete.ts';

const at = (text: string, language: 'promql' | 'logql' = 'promql') => {
  const cursor = text.indexOf('|');
  return completionContext(text.replace('|', ''), cursor, language);
};

test('a word outside a selector completes a metric name', () => {
  assert.deepEqual(at('sum(rate(http_re|'), { kind: 'metric', prefix: 'http_re', start: 9 });
  assert.deepEqual(at('node_cpu|'), { kind: 'metric', prefix: 'node_cpu', start: 0 });
});

test('durations, strings and empty words get no metric suggestions', () => {
  assert.equal(at('rate(x[5m|'), undefined);
  assert.equal(at('x offset 5m|'), undefined);
  assert.equal(at('sum(|'), undefined);
  assert.equal(at('label_replace(x, "ds|'), undefined);
});

test('inside a selector, names after { or , are labels of that metric', () => {
  assert.deepEqual(at('up{|'), { kind: 'label', prefix: '', start: 3, metric: 'up' });
  assert.deepEqual(at('up{job="a", ins|}'), { kind: 'label', prefix: 'ins', start: 12, metric: 'up' });
  assert.equal(at('up{job=|'), undefined);
});

test('inside a quoted matcher value, values of that label are offered', () => {
  assert.deepEqual(at('up{job=~"ap|"}'), { kind: 'value', prefix: 'ap', start: 9, label: 'job', metric: 'up' });
  assert.deepEqual(at('{service="|', 'logql'), { kind: 'value', prefix: '', start: 10, label: 'service', metric: undefined });
});

test('grouping clauses complete label names', () => {
  assert.deepEqual(at('sum by (jo|) (up)'), { kind: 'label', prefix: 'jo', start: 8, metric: undefined });
  assert.deepEqual(at('sum without (a, |'), { kind: 'label', prefix: '', start: 16, metric: undefined });
});

test('LogQL only completes inside the stream selector', () => {
  assert.deepEqual(at('{ser|', 'logql'), { kind: 'label', prefix: 'ser', start: 1, metric: undefined });
  assert.equal(at('{service="api"} |= "err|', 'logql'), undefined);
  assert.equal(at('{service="api"} | json | lev|', 'logql'), undefined);
});

test('accepting a metric replaces the whole word under the cursor', () => {
  const query = 'rate(http_re_total[5m])';
  const context = completionContext(query, 12, 'promql')!;
  assert.deepEqual(applyCompletion(query, 12, context, 'http_requests_total'), { query: 'rate(http_requests_total[5m])', cursor: 24 });
});

test('accepting a label opens its value; accepting a value closes the quote', () => {
  const label = applyCompletion('up{jo', 5, completionContext('up{jo', 5, 'promql')!, 'job');
  assert.deepEqual(label, { query: 'up{job="', cursor: 8 });
  const value = applyCompletion(label.query, label.cursor, completionContext(label.query, label.cursor, 'promql')!, 'a"b');
  assert.deepEqual(value, { query: 'up{job="a\\"b"', cursor: 13 });
});

test('accepting a value replaces what was already between the quotes', () => {
  const query = '{service="ap"}';
  const context = completionContext(query, 11, 'logql')!;
  assert.deepEqual(applyCompletion(query, 11, context, 'api'), { query: '{service="api"}', cursor: 14 });
});

test('a label in a grouping clause gets no operator', () => {
  const query = 'sum by (jo) (up)';
  assert.deepEqual(applyCompletion(query, 10, completionContext(query, 10, 'promql')!, 'job'), { query: 'sum by (job) (up)', cursor: 11 });
});

test('candidates: prefix matches first, then substring matches, case-insensitively', () => {
  assert.deepEqual(rankCandidates(['go_gc', 'http_requests', 'up', 'process_http', 'HTTP_x'], 'http'), ['http_requests', 'HTTP_x', 'process_http']);
  assert.deepEqual(rankCandidates(['up', 'up'], ''), ['up']);
  assert.deepEqual(rankCandidates(['up', 'upper'], 'up'), ['upper']);
  assert.equal(rankCandidates(Array.from({ length: 80 }, (_, i) => `m${i}`), 'm').length, 50);
});
