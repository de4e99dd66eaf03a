import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError } from '../errors.ts';
import { compileRegex, compileSafeRegex } from './regex.ts';

function refused(pattern: string, message: RegExp): void {
  assert.throws(
    () => compileRegex(pattern, true),
    (err) => isVigilError(err) && err.code === 'VIGIL_ERR_LOGQL_PARSE' && message.test(err.message),
    `expected ${pattern} to be refused with ${message}`,
  );
}

describe('compileRegex: RE2 meaning', () => {
  const cases: [pattern: string, anchored: boolean, matches: string[], misses: string[]][] = [
    ['ab', true, ['ab'], ['abc', 'xab']],
    ['ab', false, ['xaby'], ['a b']],
    ['(?i)error', false, ['an ERROR here'], ['err']],
    ['(?s)a.c', true, ['a\nc'], []],
    // RE2's `.` excludes only \n; JavaScript's also excludes \r.
    ['a.c', true, ['a\rc', 'abc'], ['a\nc']],
    // RE2's \s is ASCII whitespace only.
    ['\\s', true, [' ', '\t'], ['\u00a0']],
    ['(?P<word>a)b', true, ['ab'], []],
    ['[[:alpha:]]+', true, ['abC'], ['a1']],
    ['[[:digit:][:upper:]]+', true, ['A1'], ['a']],
    ['\\pL+', true, ['héllo'], ['a1']],
    ['\\p{Greek}', true, ['α'], ['a']],
    ['\\Qa.b\\E', true, ['a.b'], ['axb']],
    ['a\\z', false, ['ba'], ['ab']],
    ['\\Aa', false, ['ab'], ['ba']],
    ['a{', true, ['a{'], []],
    ['\\-\\#\\:', true, ['-#:'], []],
    ['a]', true, ['a]'], []],
    ['[]a]+', true, [']a]'], ['b']],
    ['[^]a]', true, ['b'], [']', 'a']],
    ['\\x{41}\\x42\\101', true, ['ABA'], []],
    ['[\\d-]+', true, ['1-2'], ['a']],
    ['(?m)^b$', false, ['a\nb\nc'], []],
    // Anchoring still means the whole value under (?m).
    ['(?m)b', true, ['b'], ['a\nb']],
    ['x{2,3}', true, ['xx', 'xxx'], ['x', 'xxxx']],
    ['(ab)+', true, ['abab'], ['aba']],
    ['([0-9]{1,3}\\.){3}[0-9]{1,3}', true, ['10.0.0.1'], ['10.0.0']],
  ];
  for (const [pattern, anchored, matches, misses] of cases) {
    it(`${pattern} (${anchored ? 'anchored' : 'search'})`, () => {
      const re = compileRegex(pattern, anchored);
      for (const m of matches) assert.ok(re.test(m), `${pattern} should match ${JSON.stringify(m)}`);
      for (const m of misses) assert.ok(!re.test(m), `${pattern} should not match ${JSON.stringify(m)}`);
    });
  }

  it('compileSafeRegex names the anchoring', () => {
    assert.ok(compileSafeRegex('a|b', { anchored: true }).test('b'));
    assert.ok(!compileSafeRegex('a|b', { anchored: true }).test('ab'));
    assert.ok(compileSafeRegex('a|b', { anchored: false }).test('xbx'));
  });
});

describe('compileRegex: refusals', () => {
  it('refuses nested quantifiers that can backtrack exponentially', () => {
    for (const p of ['(a+)+', '(a*)*', '(?:a|b+)*', '((a+))+', '(\\w+\\s?)+$', '(a{1,200}){2}', '([0-9]+\\.){3}']) {
      refused(p, /repeated group contains an unbounded repeat.*exponential/);
    }
  });

  it('allows a single bounded repeat of a group with an unbounded repeat inside', () => {
    assert.ok(compileRegex('(a+)?b', true).test('aab'));
  });

  it('refuses backreferences and lookaround, which RE2 does not have', () => {
    refused('(a)\\1', /backreferences/);
    refused('(?P<x>a)(?P=x)', /backreferences/);
    refused('(?=x)', /lookahead and lookbehind/);
    refused('(?<!x)y', /lookahead and lookbehind/);
  });

  it('caps the pattern length', () => {
    refused('x'.repeat(1001), /1001 characters long; the limit is 1000/);
    assert.ok(compileRegex('x'.repeat(1000), true));
  });

  it('refuses what neither RE2 nor JavaScript can compile, naming the pattern', () => {
    refused('[a', /invalid regex "\[a": missing closing \]/);
    refused('(a', /missing closing \)/);
    refused(')', /unexpected \)/);
    refused('a**', /nested repetition/);
    refused('*a', /missing argument/);
    refused('\\y', /invalid escape sequence \\y/);
    refused('x{1001}', /exceeds 1000/);
    refused('\\p{NotAScript}', /unknown Unicode class/);
    refused('(?U)a', /flag "U"/);
  });

  it('refuses malformed flag groups', () => {
    refused('(?)a', /invalid or unsupported group syntax/);
    refused('(?i-)a', /invalid flags/);
    refused('a(?x:b)', /flag "x"/);
    refused('a(?i)*', /missing or invalid argument to repetition operator \*/);
  });

  it('keeps the backtracking guard inside flag groups', () => {
    refused('(?i:(a+))+', /repeated group contains an unbounded repeat/);
    refused('((?i)a+)+', /repeated group contains an unbounded repeat/);
  });
});

describe('compileRegex: flags in the middle of a pattern', () => {
  const cases: [pattern: string, matches: string[], misses: string[]][] = [
    ['(?i:PRO).*', ['production', 'PROD', 'Prod'], ['xpro']],
    ['.*(?i:tion)', ['producTION'], ['tio']],
    ['((?i)PRO).*', ['production', 'pRo'], ['pr']],
    // (?i) lasts until its group ends, across alternatives, and no further.
    ['a((?i)b|c)d', ['aBd', 'aCd'], ['aBD', 'ABd']],
    ['a(?i)b|c', ['aB', 'C'], ['AB']],
    ['(?i:(?-i:a)b)', ['aB'], ['AB']],
    // A leading (?i) that is turned off later is folded letter by letter, not the RegExp's i flag.
    ['(?i)a(?-i:b)c', ['AbC', 'abc'], ['ABc']],
    ['(?i)a(?-i)b', ['Ab'], ['AB']],
    // Classes gain the other case; negated ones lose it.
    ['(?i:[a-c]+)x', ['aBCx'], ['aBCX', 'dx']],
    ['(?i:[^a])', ['b', 'B'], ['a', 'A']],
    ['(?i:[[:upper:]])', ['a', 'A'], ['1']],
    ['(?i:[k])', ['K', '\u212a'], []],
    ['(?i:\\x41\\Qb.\\E)', ['aB.'], ['aBx']],
    ['(?i:é)', ['É'], ['e']],
    ['(?i:\\d\\.)x', ['1.x'], ['1.X']],
    // (?s) and (?m) in a group change only that group's . ^ $.
    ['a(?s:.)b', ['a\nb'], []],
    ['a.b', [], ['a\nb']],
    ['x\n(?m:^y$)\nz', ['x\ny\nz'], []],
    ['(?m)x$(?-m:\\n$)', ['x\n'], []],
  ];
  for (const [pattern, matches, misses] of cases) {
    it(pattern, () => {
      const re = compileRegex(pattern, true);
      for (const m of matches) assert.ok(re.test(m), `${pattern} should match ${JSON.stringify(m)}`);
      for (const m of misses) assert.ok(!re.test(m), `${pattern} should not match ${JSON.stringify(m)}`);
    });
  }

  it('gives a wide range under (?i) the variants of its ASCII letters even past the budget', () => {
    const started = performance.now();
    const re = compileRegex('(?i:[Z-\\x{10ffff}])', true);
    assert.ok(performance.now() - started < 500);
    assert.ok(re.test('A') && re.test('z'));
  });
});
