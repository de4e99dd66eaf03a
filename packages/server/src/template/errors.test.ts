import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isVigilError } from '../errors.ts';
import { DEFAULT_TEMPLATE_LIMITS, parseTemplate, type TemplateOptions } from './index.ts';

function parseError(source: string, options: TemplateOptions = {}): string {
  try {
    parseTemplate(source, { name: 'r', ...options });
  } catch (err) {
    assert.ok(isVigilError(err), `expected a VigilError, got ${String(err)}`);
    assert.equal(err.code, 'VIGIL_ERR_TEMPLATE');
    return err.message;
  }
  return assert.fail(`expected ${JSON.stringify(source)} not to parse`);
}

async function execError(
  source: string,
  dot: unknown = {},
  functions: Record<string, (...args: unknown[]) => unknown> = {},
  options: TemplateOptions = {},
): Promise<string> {
  const template = parseTemplate(source, { name: 'r', ...options });
  try {
    await template.execute(dot, { functions });
  } catch (err) {
    assert.ok(isVigilError(err), `expected a VigilError, got ${String(err)}`);
    assert.equal(err.code, 'VIGIL_ERR_TEMPLATE');
    return err.message;
  }
  return assert.fail(`expected ${JSON.stringify(source)} to fail`);
}

const parseCases: [string, string, TemplateOptions?][] = [
  ['{{ humanise $value }}', 'template r:1: function "humanise" not defined'],
  ['a\n\n{{ .x | hmm }}', 'template r:3: function "hmm" not defined'],
  ['{{ if .a }}x', 'template r:1: unexpected EOF'],
  ['{{ end }}', 'template r:1: unexpected {{end}}'],
  ['{{ else }}', 'template r:1: unexpected {{else}}'],
  ['{{ .a | 3 }}', 'template r:1: non executable command in pipeline stage 2'],
  ['{{ .a | }}', 'template r:1: missing command after "|"'],
  ['{{ }}', 'template r:1: missing value for command'],
  ['{{ "abc }}', 'template r:1: unterminated quoted string'],
  ['{{ .a ', 'template r:1: unclosed action'],
  ['{{ .a }', "template r:1: unrecognized character in action: U+007D '}'"],
  ['{{/* x }}', 'template r:1: unclosed comment'],
  ['{{/* x */ .a }}', 'template r:1: comment ends before closing delimiter'],
  ['{{ 3x }}', 'template r:1: bad number syntax: "3x"'],
  ['{{ break }}', 'template r:1: {{break}} outside {{range}}'],
  ['{{ template .x }}', 'template r:1: unexpected ".x" in template clause'],
  ['{{ define "a" }}x{{ end }}{{ define "a" }}y{{ end }}', 'template r:1: multiple definition of template "a"'],
  ['{{ if true }}{{ define "a" }}{{ end }}{{ end }}', 'template r:1: unexpected <define> in command'],
  ['{{ (.a }}', 'template r:1: unclosed left paren'],
  ['{{ $labels.x }} {{ $lables.x }}', 'template r:1: undefined variable "$lables"', { variables: ['labels', 'value'] }],
  ['{{ if $x := 1 }}{{ end }}{{ $x }}', 'template r:1: undefined variable "$x"', { variables: [] }],
  ['{{ "\\q" }}', 'template r:1: invalid syntax in "\\q"'],
  ['{{ 1 ? }}', "template r:1: unrecognized character in action: U+003F '?'"],
  ['{{ .a! }}', "template r:1: bad character U+0021 '!'"],
];

for (const [source, want, options] of parseCases) {
  test(`parse error: ${JSON.stringify(source)}`, () => {
    assert.equal(parseError(source, options), want);
  });
}

test('deep nesting is refused at parse time instead of overflowing the stack', () => {
  assert.match(parseError('{{ ' + '('.repeat(500) + '1' + ')'.repeat(500) + ' }}'), /nests deeper than 100 levels/);
});

test('functions named in options parse; they run when execute() supplies them', async () => {
  const t = parseTemplate('{{ myFn 2 }}', { functions: ['myFn'] });
  assert.equal(await t.execute({}, { functions: { myFn: (n) => `got ${String(n)}` } }), 'got 2');
  await assert.rejects(t.execute({}), /template template:1: function "myFn" not defined/);
});

const execCases: [string, unknown, string][] = [
  ['{{ index .l 5 }}', { l: [] }, 'template r:1: error calling index: index out of range: 5'],
  ['{{ nil }}', {}, 'template r:1: nil is not a command'],
  ['{{ .a.b }}', { a: 'str' }, "template r:1: can't evaluate field b in type string"],
  ['{{ .l.x }}', { l: [] }, "template r:1: can't evaluate field x in type []interface {}"],
  ['{{ .a 1 }}', { a: 'v' }, 'template r:1: a is not a method but has arguments'],
  ['{{ 1 2 }}', {}, "template r:1: can't give argument to non-function 1"],
  ['x\n{{ template "nope" }}', {}, 'template r:2: no such template "nope"'],
  ['{{ humanize "abc" }}', {}, 'template r:1: error calling humanize: strconv.ParseFloat: parsing "abc": invalid syntax'],
  ['{{ len 3 }}', {}, 'template r:1: error calling len: len of type int'],
  ['{{ humanize 1 2 }}', {}, 'template r:1: wrong number of args for humanize: want 1 got 2'],
  ['{{ eq "a" 1 }}', {}, 'template r:1: error calling eq: incompatible types for comparison'],
  ['{{ lt .m .m }}', { m: {} }, 'template r:1: error calling lt: invalid type for comparison'],
  ['{{ range "abc" }}{{ end }}', {}, "template r:1: range can't iterate over abc"],
  ['{{ match "(a" "b" }}', {}, 'template r:1: error calling match: invalid regex "(a": '],
  ['{{ define "inner" }}\n\n{{ index . 1 }}{{ end }}{{ template "inner" .l }}', { l: [] }, 'template inner:3: error calling index: index out of range: 1'],
  ['{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', {}, `template r:1: exceeded maximum template depth (${DEFAULT_TEMPLATE_LIMITS.maxCallDepth})`],
];

for (const [source, dot, want] of execCases) {
  test(`execution error: ${JSON.stringify(source)}`, async () => {
    const message = await execError(source, dot);
    assert.ok(message.startsWith(want), `${message} should start with ${want}`);
  });
}

test('query errors and empty results reject with the function named', async () => {
  const failing = () => Promise.reject(new Error('storage down'));
  assert.equal(await execError('{{ query "up" }}', {}, { query: failing }), 'template r:1: error calling query: storage down');
  const empty = () => Promise.resolve([]);
  assert.equal(await execError('{{ query "up" | first | value }}', {}, { query: empty }), 'template r:1: error calling first: first() called on vector with no elements');
});

test('a query that returns something other than samples is an execution error', async () => {
  assert.equal(
    await execError('{{ query "up" }}', {}, { query: () => 'nope' }),
    'template r:1: error calling query: query returned string, not a list of samples',
  );
});

test('output is capped', async () => {
  const big = 'x'.repeat(100_000);
  const message = await execError('{{ range .l }}{{ $.big }}{{ end }}', { big, l: Array.from({ length: 20 }, () => 1) });
  assert.equal(message, `template r:1: template output exceeds ${DEFAULT_TEMPLATE_LIMITS.maxOutput} characters`);
});

test('work is capped even when nothing is printed', async () => {
  const l = Array.from({ length: 100 }, () => 1);
  const source = '{{ range .l }}{{ range $.l }}{{ range $.l }}{{ end }}{{ end }}{{ end }}';
  const message = await execError(source, { l }, {}, { limits: { maxSteps: 5000 } });
  assert.equal(message, 'template r:1: template ran more than 5000 steps');
});

test('undefined variables fail at execution when the parse did not know them', async () => {
  assert.equal(await execError('{{ $labels.instance }}'), 'template r:1: undefined variable: $labels');
});

test('missingKey "error" refuses a missing map key', async () => {
  const message = await execError('{{ .Labels.nope }}', { Labels: {} }, {}, { missingKey: 'error' });
  assert.equal(message, 'template r:1: map has no entry for key "nope"');
});

test('include takes only templates made by parseTemplate', () => {
  const fake = { name: 'x', definedNames: [], execute: async () => '' };
  assert.throws(() => parseTemplate('x', { include: [fake] }), /include\[0\] was not made by parseTemplate/);
});
