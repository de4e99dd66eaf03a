import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate, type ExecuteOptions, type TemplateOptions } from './index.ts';

interface Case {
  source: string;
  dot?: unknown;
  want: string;
  exec?: ExecuteOptions;
  parse?: TemplateOptions;
}

/** Outputs as Go's text/template gives them (with missingkey=zero, as Prometheus and Alertmanager set it). */
const cases: Record<string, Case> = {
  'plain text': { source: 'hello', want: 'hello' },
  'trim markers eat spaces and newlines': { source: 'a \n {{- 1 -}} \n b', want: 'a1b' },
  'a right trim marker does not eat the character after it': { source: '{{ 1 -}}b{{ 2  -}}\n c{{- /* x */ -}}d', want: '1b2cd' },
  'comment with trims': { source: 'x\n  {{- /* note */ -}}\n  y', want: 'xy' },
  'comment alone': { source: 'a{{/* c */}}b', want: 'ab' },
  'a minus without space is a number, not a trim': { source: 'a {{-3}}', want: 'a -3' },
  'double-quoted string with Go escapes': { source: '{{ "a\\tb\\u00e9\\x41" }}', want: 'a\tbéA' },
  'raw string keeps backslashes': { source: '{{ `a\\n` }}', want: 'a\\n' },
  'literals: bool, float, hex, char, exponent': { source: "{{ true }} {{ 1.5 }} {{ 0x1F }} {{ 'a' }} {{ 1e3 }}", want: 'true 1.5 31 97 1000' },
  'field chain': { source: '{{ .Labels.instance }}', dot: { Labels: { instance: 'h:1' } }, want: 'h:1' },
  'declare and assign': { source: '{{ $x := .a }}{{ $x }}{{ $x = "z" }}{{ $x }}', dot: { a: 'y' }, want: 'yz' },
  '$ is the root inside with': { source: '{{ with .a }}{{ $.b }}{{ . }}{{ end }}', dot: { a: 'A', b: 'B' }, want: 'BA' },
  'assignment reaches the outer variable; declarations end with the block': {
    source: '{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $x := 3 }}{{ $x }}{{ end }}{{ $x }}',
    want: '32',
  },
  'pipeline passes the value as the last argument': { source: '{{ "abc" | toUpper | printf "%s!" }}', want: 'ABC!' },
  'parenthesised arguments': { source: '{{ printf "%d-%s" (len .l) (index .l 1) }}', dot: { l: ['a', 'b'] }, want: '2-b' },
  'field of a parenthesised value': { source: '{{ (index .l 0).name }}', dot: { l: [{ name: 'n' }] }, want: 'n' },
  'if / else if / else': {
    source: '{{ range .l }}{{ if eq . "a" }}A{{ else if eq . "b" }}B{{ else }}?{{ end }}{{ end }}',
    dot: { l: ['a', 'b', 'c'] },
    want: 'AB?',
  },
  'Go truthiness': {
    source: '{{ if "" }}a{{ else }}b{{ end }}{{ if 0 }}a{{ else }}b{{ end }}{{ if .e }}a{{ else }}b{{ end }}{{ if .m }}a{{ else }}b{{ end }}{{ if .n }}a{{ else }}b{{ end }}{{ if .l }}a{{ end }}',
    dot: { e: [], m: {}, n: null, l: [0] },
    want: 'bbbbba',
  },
  'range over a slice': { source: '{{ range .l }}[{{ . }}]{{ else }}none{{ end }}', dot: { l: ['a', 'b'] }, want: '[a][b]' },
  'range else when empty': { source: '{{ range .l }}[{{ . }}]{{ else }}none{{ end }}', dot: { l: [] }, want: 'none' },
  'range over a map in key order with key and value': {
    source: '{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}',
    dot: { zone: 'eu', app: 'api', job: 'x' },
    want: 'app=api;job=x;zone=eu;',
  },
  'range index is an int': { source: '{{ range $i, $v := .l }}{{ $i }}:{{ $v }} {{ end }}', dot: { l: ['a', 'b'] }, want: '0:a 1:b ' },
  'one range variable is the element': { source: '{{ range $v := .l }}{{ $v }}{{ end }}', dot: { l: ['a', 'b'] }, want: 'ab' },
  'break and continue': {
    source: '{{ range .l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}',
    dot: { l: [1, 2, 3, 4, 5] },
    want: '13',
  },
  'range over an int': { source: '{{ range 3 }}{{ . }}{{ end }}', want: '012' },
  'with else on a missing key': { source: '{{ with .missing }}x{{ else }}empty{{ end }}', dot: {}, want: 'empty' },
  'with sets dot': { source: '{{ with .a.b }}<{{ . }}>{{ end }}', dot: { a: { b: 'B' } }, want: '<B>' },
  'else with': { source: '{{ with .a }}a{{ else with .b }}{{ . }}{{ end }}', dot: { b: 'B' }, want: 'B' },
  'define, template and block': {
    source: '{{ define "T" }}<{{ . }}>{{ end }}{{ template "T" .a }}|{{ block "B" . }}default{{ end }}',
    dot: { a: 'A' },
    want: '<A>|default',
  },
  'template without a pipeline has no dot': { source: '{{ define "T" }}{{ . }}{{ end }}{{ template "T" }}', want: '<no value>' },
  'eq with several arguments': { source: '{{ eq .x "a" "b" }} {{ eq .x "c" }}', dot: { x: 'b' }, want: 'true false' },
  'and/or return the deciding argument': { source: '{{ and 1 0 2 }} {{ or 0 "" "x" }} {{ and 1 2 }} [{{ or 0 "" }}]', want: '0 x 2 []' },
  'or does not evaluate past a true argument': { source: '{{ or .a (index .l 5) }}', dot: { a: 'set', l: [] }, want: 'set' },
  'not and comparisons': { source: '{{ not true }} {{ lt 1 2 }} {{ ge "b" "a" }} {{ ne 1 2 }} {{ gt $.v 100 }}', dot: { v: 100.5 }, want: 'false true true true true' },
  'len counts bytes of strings': { source: '{{ len "héllo" }} {{ len .l }} {{ len .m }}', dot: { l: [1, 2], m: { a: 1 } }, want: '6 2 1' },
  'index into maps and nested slices': { source: '{{ index .m "k" }} {{ index .n 0 1 }} [{{ index .m "none" }}]', dot: { m: { k: 'v' }, n: [[1, 2]] }, want: 'v 2 []' },
  'slice strings and slices': { source: '{{ slice "abcdef" 1 3 }} {{ slice .l 1 }}', dot: { l: ['a', 'b', 'c'] }, want: 'bc [b c]' },
  'print and println': { source: '{{ print "a" 1 2 "b" }}|{{ println 1 "x" }}', want: 'a1 2b|1 x\n' },
  'html, js and urlquery escaping': {
    source: '{{ html "<a href=\\"x\\">&" }} {{ js "it\'s <b>" }} {{ urlquery "a b&c=d/é" }}',
    want: "&lt;a href=&#34;x&#34;&gt;&amp; it\\'s \\u003Cb\\u003E a+b%26c%3Dd%2F%C3%A9",
  },
  'a missing label prints empty (missingkey=zero)': { source: '[{{ .Labels.nope }}]', dot: { Labels: {} }, want: '[]' },
  'a missing label prints <no value> with missingKey default': {
    source: '[{{ .Labels.nope }}]',
    dot: { Labels: {} },
    parse: { missingKey: 'default' },
    want: '[<no value>]',
  },
  'a field of nil prints <no value>': { source: '{{ .a.b }}', dot: {}, want: '<no value>' },
  'Prometheus alert variables': {
    source: '{{ $labels.instance }} of {{ $labels.job }} is at {{ $value }} ({{ $value | humanize }})',
    exec: { vars: { labels: { instance: 'db:9100', job: 'node' }, value: 1234567 } },
    want: 'db:9100 of node is at 1.234567e+06 (1.235M)',
  },
  'a function-valued property is called as a method': {
    source: '{{ len .Alerts.Firing }}/{{ len .Alerts }}',
    dot: { Alerts: Object.assign([{}, {}, {}], { Firing: () => [{}], Resolved: () => [] }) },
    want: '1/3',
  },
  'a method takes arguments and the piped value': {
    source: '{{ .Greet "x" }} {{ "y" | .Greet }}',
    dot: { Greet: (name: unknown) => `hi ${String(name)}` },
    want: 'hi x hi y',
  },
  'a class getter and method are visible, Object.prototype is not': {
    source: '{{ .Name }} {{ .Shout }} [{{ .constructor }}] [{{ .toString }}]',
    dot: new (class {
      get Name() {
        return 'n';
      }
      Shout() {
        return 'N!';
      }
    })(),
    want: 'n N! [] []',
  },
  'time.Time methods on a Date': {
    source: '{{ .T.Format "2006-01-02 15:04:05 MST" }} {{ .T }} {{ .T.Unix }}',
    dot: { T: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 60)) },
    want: '2024-01-02 03:04:05 UTC 2024-01-02 03:04:05.06 +0000 UTC 1704164645',
  },
  'variables given by the caller, with or without $': { source: '{{ $a }}{{ $b }}', exec: { vars: { a: 1n, $b: 'x' } }, want: '1x' },
  // From Go's text/template exec_test.go.
  'go: and/or tables': { source: '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}|{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', want: 'false 0 0 1|0 1 true 1' },
  'go: print nil and printf %04x': { source: '{{print nil}} {{print 1 2 3}} {{printf "%04x" 127}} {{"aaa"|printf}}', want: '<nil> 1 2 3 007f aaa' },
  'go: shadowing in nested with': { source: '{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}', dot: { I: 17n }, want: '17,true' },
  'go: field of a function result': { source: '{{(args 1 2).arg1}}-{{(args 3).arg0}}', want: '2-3' },
  'go: with prints slices and maps': { source: '{{with .SI}}{{.}}{{end}} {{with .M}}{{.}}{{end}}', dot: { SI: [3n, 4n, 5n], M: { one: 1n } }, want: '[3 4 5] map[one:1]' },
  'go: or as if': { source: '{{or .SI "slice is empty"}}', dot: { SI: [] }, want: 'slice is empty' },
  'go: declare in range': { source: '{{range $x := .PSI}}<{{$foo:=$x}}{{$x}}>{{end}}', dot: { PSI: [21n, 22n, 23n] }, want: '<21><22><23>' },
  'caller functions override builtins': { source: '{{ toUpper "a" }}', exec: { functions: { toUpper: () => 'mine' } }, want: 'mine' },
};

for (const [name, c] of Object.entries(cases)) {
  test(`template: ${name}`, async () => {
    const template = parseTemplate(c.source, { name, ...c.parse });
    assert.equal(await template.execute(c.dot ?? {}, c.exec), c.want);
  });
}

test('query may return a Promise; first/value/humanize and sortByLabel work on its samples', async () => {
  const asked: unknown[] = [];
  const query = async (expr: unknown) => {
    asked.push(expr);
    await new Promise((resolve) => setImmediate(resolve));
    return [
      { labels: { instance: 'b' }, value: 21 },
      { labels: { instance: 'a' }, value: 1234567 },
    ];
  };
  const one = parseTemplate('{{ with query "up" }}{{ . | first | value | humanize }}{{ end }}');
  assert.equal(await one.execute({}, { functions: { query } }), '21');
  const all = parseTemplate('{{ range query "up" | sortByLabel "instance" }}{{ .Labels.instance }}={{ .Value }} {{ label "instance" . }} {{ end }}');
  assert.equal(await all.execute({}, { functions: { query } }), 'a=1.234567e+06 a b=21 b ');
  assert.deepEqual(asked, ['up', 'up']);
});

test('an empty query result makes with take its else branch', async () => {
  const t = parseTemplate('{{ with query "x" }}{{ . | first | value }}{{ else }}no data{{ end }}');
  assert.equal(await t.execute({}, { functions: { query: () => Promise.resolve([]) } }), 'no data');
});

test('a receiver field calls templates from included files; later definitions win', async () => {
  const defaults = parseTemplate('{{ define "slack.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}', { name: 'default.tmpl' });
  const custom = parseTemplate('{{ define "slack.title" }}custom {{ .Status }}{{ end }}', { name: 'custom.tmpl' });
  const data = { Status: 'firing', CommonLabels: { alertname: 'HighLatency' } };
  assert.deepEqual(defaults.definedNames, ['slack.title']);
  const field = parseTemplate('{{ template "slack.title" . }}', { name: 'receiver slack title', include: [defaults] });
  assert.equal(await field.execute(data), '[FIRING] HighLatency');
  const overridden = parseTemplate('{{ template "slack.title" . }}', { include: [defaults, custom] });
  assert.equal(await overridden.execute(data), 'custom firing');
});

test('an empty later definition does not hide a real one', async () => {
  const real = parseTemplate('{{ define "t" }}real{{ end }}');
  const empty = parseTemplate('{{ define "t" }}  {{ end }}');
  const field = parseTemplate('{{ template "t" }}', { include: [real, empty] });
  assert.equal(await field.execute({}), 'real');
});

test('recursive templates work within the depth limit', async () => {
  const t = parseTemplate('{{ define "count" }}{{ if . }}{{ len . }}{{ template "count" slice . 1 }}{{ end }}{{ end }}{{ template "count" .l }}');
  assert.equal(await t.execute({ l: ['a', 'b', 'c'] }), '321');
});

test('non-enumerable methods (Alertmanager KV) are callable but invisible to range, len and printing', async () => {
  const labels = { job: 'api', alertname: 'Down' };
  const kv = Object.defineProperties(
    { ...labels },
    {
      Names: { value: () => Object.keys(labels).sort() },
      Remove: { value: (names: string[]) => Object.fromEntries(Object.entries(labels).filter(([k]) => !names.includes(k))) },
    },
  );
  const t = parseTemplate('{{ len . }} {{ . }} {{ range $k, $v := . }}{{ $k }};{{ end }} {{ join "," .Names }} {{ .Remove (stringSlice "job") }}');
  assert.equal(await t.execute(kv), '2 map[alertname:Down job:api] alertname;job; alertname,job map[alertname:Down]');
});
