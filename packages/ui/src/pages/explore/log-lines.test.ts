import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogStream } from '../../api/client.ts';
import { formatLogTime, histogramQuery, linesOf, mergeLines, parseFields, pivotIds, pivotQuery, severityOf } from './log-lines.ts';

const streams: LogStream[] = [
  { stream: { service: 'api', pod: 'a' }, values: [['3000000000', '{"severity":"info","msg":"hi","request_id":"req-1"}'], ['1000000000', 'plain text']] },
  { stream: { service: 'api', pod: 'b', level: 'warn' }, values: [['2000000000', 'level from label']] },
];

test('lines from all streams are listed newest first with their JSON fields', () => {
  const lines = linesOf(streams);
  assert.deepEqual(lines.map((l) => l.line), ['{"severity":"info","msg":"hi","request_id":"req-1"}', 'level from label', 'plain text']);
  assert.deepEqual(lines[0].fields, { severity: 'info', msg: 'hi', request_id: 'req-1' });
  assert.deepEqual(lines[2].fields, {});
  assert.deepEqual(lines[1].labels, { service: 'api', pod: 'b', level: 'warn' });
});

test('severity comes from the JSON severity or level, else the labels, mapped to the styled levels', () => {
  assert.deepEqual(severityOf({}, { level: 'ERROR' }), { level: 'error', text: 'error' });
  assert.deepEqual(severityOf({ severity: 'fatal' }, {}), { level: 'critical', text: 'fatal' });
  assert.deepEqual(severityOf({ level: 'debug' }, { severity: 'warn' }), { level: 'warning', text: 'warn' });
  assert.equal(severityOf({}, { level: 'chatty' }), undefined);
  assert.equal(severityOf({}, {}), undefined);
});

test('nested JSON values are kept as JSON text; non-object JSON has no fields', () => {
  assert.deepEqual(parseFields('{"a":{"b":1},"n":2}'), { a: '{"b":1}', n: '2' });
  assert.deepEqual(parseFields('{"broken"'), {});
  assert.deepEqual(parseFields('[1,2]'), {});
});

test('request and trace ids come from the JSON, else the labels', () => {
  const [json] = linesOf(streams);
  assert.deepEqual(pivotIds(json), [{ name: 'request_id', value: 'req-1' }]);
  const labelled = linesOf([{ stream: { trace_id: 't1' }, values: [['1', '{"request_id":"r"}']] }])[0];
  assert.deepEqual(pivotIds(labelled), [{ name: 'request_id', value: 'r' }, { name: 'trace_id', value: 't1' }]);
});

test('the pivot selects every service and quotes the id', () => {
  assert.equal(pivotQuery('req-1'), '{service=~".+"} |= "req-1"');
  assert.equal(pivotQuery('a"b\\c'), '{service=~".+"} |= "a\\"b\\\\c"');
});

test('the histogram counts the log query per step', () => {
  assert.equal(histogramQuery(' {service="api"} |= "x" ', 60_000), 'sum(count_over_time({service="api"} |= "x" [60s]))');
  assert.equal(histogramQuery('{a="b"}', 200), 'sum(count_over_time({a="b"} [1s]))');
});

test('merging live lines keeps each line once, newest first, within the cap', () => {
  const lines = linesOf(streams);
  const live = linesOf([{ stream: { service: 'api', pod: 'a' }, values: [['4000000000', 'new'], ['3000000000', streams[0].values[0][1]]] }]);
  const merged = mergeLines(live, lines, 10);
  assert.deepEqual(merged.map((l) => l.line), ['new', streams[0].values[0][1], 'level from label', 'plain text']);
  assert.equal(mergeLines(live, lines, 2).length, 2);
});

test('times are shown to the millisecond', () => {
  assert.match(formatLogTime(1_796_027_319_597_000_001n), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.597$/);
});
