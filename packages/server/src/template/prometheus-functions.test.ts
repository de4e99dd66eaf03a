import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertmanagerTitle, parseTemplate } from './index.ts';

/** Each case runs `{{ range . }}{{ fn . }}:{{ end }}` over the inputs, as Prometheus' template_test.go does. */
const rangeCases: [string, unknown[], string][] = [
  ['humanize', [0, 1, 1234567, 0.12], '0:1:1.235M:120m:'],
  ['humanize', [0.1, 0.0001, 0.12345, 60001], '100m:100u:123.5m:60k:'],
  ['humanize', [-1234567, 1e30, 1e-30, NaN, Infinity, -Infinity], '-1.235M:1e+06Y:1e-06y:NaN:+Inf:-Inf:'],
  ['humanize', ['1234567', '-0.5', '+Inf'], '1.235M:-500m:+Inf:'],
  ['humanize1024', [0, 1, 1048576, 0.12, 1536, -2048], '0:1:1Mi:0.12:1.5ki:-2ki:'],
  ['humanizeDuration', [0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99], '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:'],
  ['humanizeDuration', [0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345], '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:'],
  ['humanizeDuration', [NaN, Infinity], 'NaN:+Inf:'],
  ['humanizePercentage', [0, 0.1234567, 1, 1.234567], '0%:12.35%:100%:123.5%:'],
  [
    'humanizeTimestamp',
    [0, 1, 1234567890, 2147483647, 1435065584.128],
    '1970-01-01 00:00:00 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:2009-02-13 23:31:30 +0000 UTC:2038-01-19 03:14:07 +0000 UTC:2015-06-23 13:19:44.128 +0000 UTC:',
  ],
  ['title', ['aa bb CC', 'hello-world foo_bar'], 'Aa Bb CC:Hello-World Foo_bar:'],
  ['toUpper', ['aB'], 'AB:'],
  ['toLower', ['aB'], 'ab:'],
  ['stripPort', ['foo.example.com:12345', '[2001:0DB8::1]:12345', 'foo', '1:2:3'], 'foo.example.com:2001:0DB8::1:foo:1:2:3:'],
  [
    'stripDomain',
    ['foo.example.com', 'foo.example.com:12345', '192.168.0.1:12345', '[2001:0DB8::1]:12345', 'localhost'],
    'foo:foo:12345:192.168.0.1:12345:[2001:0DB8::1]:12345:localhost:',
  ],
  ['safeHtml', ['<b>'], '<b>:'],
];

for (const [fn, inputs, want] of rangeCases) {
  test(`${fn} ${JSON.stringify(inputs.map(String))}`, async () => {
    const t = parseTemplate(`{{ range . }}{{ ${fn} . }}:{{ end }}`);
    assert.equal(await t.execute(inputs), want);
  });
}

const singleCases: [string, string][] = [
  ['{{ match "a+" "baaac" }} {{ match "^a+$" "baaac" }}', 'true false'],
  ['{{ reReplaceAll "(a)b" "x$1" "ab cab" }}', 'xa cxa'],
  ['{{ reReplaceAll "(?P<host>[^:]+):(\\\\d+)" "${host} port $2" "web:80" }}', 'web port 80'],
  ['{{ reReplaceAll "a*" "X" "baaac" }}', 'XbXcX'],
  ['{{ reReplaceAll "x" "$$" "axb" }}', 'a$b'],
  ['{{ $a := args 1 "two" }}{{ $a.arg0 }} {{ $a.arg1 }}', '1 two'],
  ['{{ humanize 1234.5 }} {{ humanize 1234 }}', '1.234k 1.234k'],
];

for (const [source, want] of singleCases) {
  test(`prometheus function: ${source}`, async () => {
    assert.equal(await parseTemplate(source).execute({}), want);
  });
}

test('strvalue and label read a sample; value reads its number', async () => {
  const query = () => [{ labels: { __value__: 'text', job: 'api' }, value: 0.25 }];
  const t = parseTemplate('{{ with query "q" }}{{ . | first | strvalue }} {{ . | first | label "job" }} {{ . | first | value | humanizePercentage }}{{ end }}');
  assert.equal(await t.execute({}, { functions: { query } }), 'text api 25%');
});

test('Alertmanager functions: join, stringSlice, trimSpace, toJson, date, tz', async () => {
  const t = parseTemplate(
    '{{ join ", " .Names }}|{{ stringSlice "a" "b" | join "-" }}|{{ trimSpace "  x " }}|{{ toJson .Labels }}|{{ date "2006-01-02T15:04" .At }}|{{ .At | tz "America/New_York" | date "Jan _2 3:04PM MST" }}',
  );
  const out = await t.execute({ Names: ['a', 'b'], Labels: { job: 'api' }, At: '2024-07-04T16:05:00Z' });
  assert.equal(out, 'a, b|a-b|x|{"job":"api"}|2024-07-04T16:05|Jul  4 12:05PM EDT');
});

test('Alertmanager title lower-cases the rest of each word when passed as an override', async () => {
  const t = parseTemplate('{{ title "hELLO wORLD" }}');
  assert.equal(await t.execute({}), 'HELLO WORLD');
  assert.equal(await t.execute({}, { functions: { title: alertmanagerTitle } }), 'Hello World');
});
