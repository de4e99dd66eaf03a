import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat, formatValue, goQuote, sprint, sprintf, sprintln } from './go-format.ts';

test("formatValue prints float64 as Go's %v: shortest digits, exponent form below 1e-4 and from 1e6", () => {
  const cases: [number, string][] = [
    [0.5, '0.5'],
    [1e21, '1e+21'],
    [1e20, '1e+20'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [1e6, '1e+06'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [2.5e-7, '2.5e-07'],
    [100, '100'],
    [1 / 3, '0.3333333333333333'],
    [-0, '-0'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [0, '0'],
  ];
  for (const [input, want] of cases) assert.equal(formatValue(input), want, `formatValue(${input})`);
});

test('formatValue prints Go ints, nil, missing values, slices and maps', () => {
  assert.equal(formatValue(3n), '3');
  assert.equal(formatValue(null), '<nil>');
  assert.equal(formatValue(undefined), '<no value>');
  assert.equal(formatValue([1n, 'a', 0.5]), '[1 a 0.5]');
  assert.equal(formatValue({ b: 'x', a: 1n }), 'map[a:1 b:x]');
  assert.equal(formatValue(true), 'true');
});

test('formatFloat rounds half to even on the exact binary value, as strconv does', () => {
  const cases: [number, 'f' | 'e' | 'g', number, string][] = [
    [2.675, 'f', 2, '2.67'],
    [0.125, 'f', 2, '0.12'],
    [0.375, 'f', 2, '0.38'],
    [0.5, 'f', 0, '0'],
    [1.5, 'f', 0, '2'],
    [2.5, 'f', 0, '2'],
    [1234567, 'g', 4, '1.235e+06'],
    [12345, 'g', 4, '1.234e+04'],
    [0.12345, 'g', 4, '0.1235'],
    [1, 'g', 4, '1'],
    [100, 'g', 4, '100'],
    [0, 'g', 4, '0'],
    [123456.789, 'e', 6, '1.234568e+05'],
    [9.9999, 'f', 2, '10.00'],
    [-1.005, 'f', 2, '-1.00'],
    [1e-7, 'f', 3, '0.000'],
  ];
  for (const [x, verb, precision, want] of cases) assert.equal(formatFloat(x, verb, precision), want, `${x} %.${precision}${verb}`);
});

test('sprintf handles the verbs, widths and flags templates use', () => {
  const cases: [string, unknown[], string][] = [
    ['%.2f', [3.14159], '3.14'],
    ['%5.1f|', [3.14159], '  3.1|'],
    ['%f', [1.5], '1.500000'],
    ['%d items', [42n], '42 items'],
    ['%-5d|', [42n], '42   |'],
    ['%05d', [42n], '00042'],
    ['%+d', [5n], '+5'],
    ['%s is %v', ['x', 0.5], 'x is 0.5'],
    ['%q', ['a\nb"'], '"a\\nb\\""'],
    ['%x %X', ['hi', 255n], '6869 FF'],
    ['%t', [true], 'true'],
    ['100%%', [], '100%'],
    ['%d', ['x'], '%!d(string=x)'],
    ['%s', [5n], '%!s(int=5)'],
    ['%s', [null], '%!s(<nil>)'],
    ['%d %d', [1n], '1 %!d(MISSING)'],
    ['%d', [1n, 3n], '1%!(EXTRA int=3)'],
    ['%v', [[1n, 2n]], '[1 2]'],
    ['%.3s', ['abcdef'], 'abc'],
    ['%g', [1e21], '1e+21'],
    ['%.1f%%', [99.95], '100.0%'],
  ];
  for (const [format, args, want] of cases) assert.equal(sprintf(format, args), want, format);
});

test('sprintf prints whole JS numbers with %d, since a caller cannot pass a Go int', () => {
  assert.equal(sprintf('%d', [3]), '3');
  assert.equal(sprintf('%d', [1.5]), '%!d(float64=1.5)');
});

test('sprint spaces operands only when neither is a string; sprintln always', () => {
  assert.equal(sprint(['a', 1n, 2n, 'b']), 'a1 2b');
  assert.equal(sprintln(['a', 1n, 2n, 'b']), 'a 1 2 b\n');
});

test('goQuote escapes like strconv.Quote', () => {
  assert.equal(goQuote('a\tb\x01é'), '"a\\tb\\x01é"');
});
