/**
 * Go RE2 syntax into a JavaScript (u-flag) pattern with the same meaning,
 * checking on the way what RE2 refuses and what could backtrack
 * exponentially in V8. Used by regex.ts, which adds anchoring and caching.
 */
import { caseVariants, FOLD_RANGE_BUDGET, rangeVariants } from './re2-case-fold.ts';

/** RE2 refuses repeat counts above 1000. */
const MAX_REPEAT = 1000;
/** An inner repeat above this many is treated like an unbounded one for the nesting check. */
const LARGE_REPEAT = 100;
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');
const REPEAT = /^\{(\d+)(?:(,)(\d*))?\}/;
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7f', blank: '\\t ', cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

export class RegexSyntaxError extends Error {}

interface Flags { i: boolean; m: boolean; s: boolean }

interface Piece {
  src: string;
  /** Holds a repeat without an upper bound (or with a large one). */
  unbounded: boolean;
  /** A group, the only atom whose repetition can nest repeats. */
  group: boolean;
  /** Can carry a quantifier (not an anchor). */
  repeatable: boolean;
}

const LEADING_FLAGS = /^\(\?([a-zA-Z]+)\)/;

class Translator {
  private i = 0;
  /** Flags of the whole pattern, given to the JavaScript RegExp. */
  readonly flags: Flags = { i: false, m: false, s: false };
  /** Flags where the translation is, changed by `(?i)` or `(?i:` until the enclosing group ends. */
  private scope: Flags = { ...this.flags };
  private readonly foldBudget = { left: FOLD_RANGE_BUDGET };
  constructor(private readonly re: string) {}

  translate(): string {
    this.leadingFlags();
    // A leading (?i) turned off later cannot be the RegExp's i flag: letters are folded instead.
    if (this.flags.i && /\(\?[a-zA-Z]*-[a-zA-Z]*i/.test(this.re)) this.flags.i = false;
    const body = this.alternation();
    if (this.i < this.re.length) throw new RegexSyntaxError('unexpected ) without a matching (');
    return body.src;
  }

  private fail(msg: string): never {
    throw new RegexSyntaxError(msg);
  }

  /** (?i), (?s), (?m) and combinations at the very start become the RegExp's flags. */
  private leadingFlags(): void {
    for (let m = LEADING_FLAGS.exec(this.re.slice(this.i)); m !== null; m = LEADING_FLAGS.exec(this.re.slice(this.i))) {
      this.scope = this.scopedFlags(m[1]);
      this.i += m[0].length;
    }
    Object.assign(this.flags, this.scope);
  }

  private alternation(): Piece {
    const branches: string[] = [];
    let unbounded = false;
    for (;;) {
      const seq = this.sequence();
      branches.push(seq.src);
      unbounded ||= seq.unbounded;
      if (this.re[this.i] !== '|') break;
      this.i++;
    }
    return { src: branches.join('|'), unbounded, group: false, repeatable: true };
  }

  private sequence(): Piece {
    let src = '';
    let unbounded = false;
    while (this.i < this.re.length && this.re[this.i] !== '|' && this.re[this.i] !== ')') {
      const atom = this.atom();
      const piece = this.quantified(atom);
      src += piece.src;
      unbounded ||= piece.unbounded;
    }
    return { src, unbounded, group: false, repeatable: true };
  }

  private quantified(atom: Piece): Piece {
    const q = this.quantifier();
    if (!q) return atom;
    if (!atom.repeatable) this.fail(`missing or invalid argument to repetition operator ${q.text}`);
    if (this.quantifier()) this.fail(`invalid nested repetition operator after ${q.text}`);
    if (atom.group && atom.unbounded && q.max > 1) {
      this.fail(
        `a repeated group contains an unbounded repeat (like "(a+)+" or "(a*)*"), which can take exponential time; rewrite it without the nested repetition`,
      );
    }
    return {
      src: atom.src + q.text,
      unbounded: atom.unbounded || q.max > LARGE_REPEAT,
      group: false,
      repeatable: false,
    };
  }

  private quantifier(): { text: string; max: number } | undefined {
    const c = this.re[this.i];
    let text: string;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      text = c;
      max = c === '?' ? 1 : Infinity;
      this.i++;
    } else if (c === '{') {
      const m = REPEAT.exec(this.re.slice(this.i));
      if (!m) return undefined;
      const min = Number(m[1]);
      max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) this.fail(`repeat count in ${m[0]} exceeds ${MAX_REPEAT}`);
      if (max < min) this.fail(`invalid repeat count ${m[0]}`);
      text = m[0];
      this.i += m[0].length;
    } else {
      return undefined;
    }
    if (this.re[this.i] === '?') {
      text += '?';
      this.i++;
    }
    return { text, max };
  }

  private atom(): Piece {
    const c = this.re[this.i];
    const plain = (src: string, repeatable = true): Piece => ({ src, unbounded: false, group: false, repeatable });
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return plain(this.charClass());
      case '\\':
        return this.escape();
      case '.':
        this.i++;
        return plain(!this.scope.s ? '[^\\n]' : this.flags.s ? '.' : '[\\s\\S]');
      case '^':
      case '$':
        this.i++;
        return plain(this.anchor(c), false);
      case '*':
      case '+':
      case '?':
        return this.fail(`missing argument to repetition operator ${c}`);
      case '{':
        if (REPEAT.test(this.re.slice(this.i))) this.fail('missing argument to repetition operator {');
        this.i++;
        return plain('\\{');
      default: {
        const cp = this.re.codePointAt(this.i)!;
        this.i += cp > 0xffff ? 2 : 1;
        return plain(this.literal(cp));
      }
    }
  }

  /** ^ and $ where the scope's (?m) differs from the RegExp's m flag. */
  private anchor(c: '^' | '$'): string {
    if (this.scope.m === this.flags.m) return c;
    if (c === '^') return this.scope.m ? '(?<![^\\n])' : '(?<![\\s\\S])';
    return this.scope.m ? '(?![^\\n])' : '(?![\\s\\S])';
  }

  /** True where case is ignored by a scoped (?i) that the RegExp's i flag does not cover. */
  private get folding(): boolean {
    return this.scope.i && !this.flags.i;
  }

  /**
   * One literal code point, as the class of its case variants where case is
   * ignored; one written as an escape (\x41, \101, \.) stays escaped.
   */
  private literal(cp: number, escaped = false): string {
    const variants = this.folding ? caseVariants(cp) : [cp];
    if (variants.length > 1) return `[${variants.map(codePointEscape).join('')}]`;
    const ch = String.fromCodePoint(cp);
    return escaped ? codePointEscape(cp) : JS_SYNTAX.has(ch) ? '\\' + ch : ch;
  }

  /** `(?flags)` or `(?flags:`: the flags after it, from the current scope. */
  private scopedFlags(spec: string): Flags {
    const next = { ...this.scope };
    const parts = spec.split('-');
    if (parts.length > 2 || parts[1] === '') this.fail(`invalid flags (?${spec})`);
    const [on, off = ''] = parts;
    for (const [letters, value] of [[on, true], [off, false]] as const) {
      for (const f of letters) {
        if (f !== 'i' && f !== 'm' && f !== 's') this.fail(`the flag "${f}" in (?${spec}) is not supported`);
        next[f] = value;
      }
    }
    return next;
  }

  private group(): Piece {
    const rest = this.re.slice(this.i);
    const outer = this.scope;
    let open = '(';
    let consumed = 1;
    const flagged = /^\(\?([a-zA-Z-]*)([:)])/.exec(rest);
    if (flagged && flagged[0] !== '(?)') {
      this.scope = this.scopedFlags(flagged[1]);
      this.i += flagged[0].length;
      // `(?i)` changes the flags until the enclosing group ends; it matches nothing itself.
      if (flagged[2] === ')') return { src: '', unbounded: false, group: false, repeatable: false };
      open = '(?:';
      consumed = 0;
    } else if (/^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.test(rest)) {
      open = '(?<' + /<([^>]*)>/.exec(rest)![1] + '>';
      consumed = rest.startsWith('(?P<') ? open.length + 1 : open.length;
    } else if (/^\(\?(=|!|<=|<!)/.test(rest)) this.fail('lookahead and lookbehind are not supported (RE2 has none)');
    else if (rest.startsWith('(?P=')) this.fail('backreferences are not supported (RE2 has none)');
    else if (rest.startsWith('(?')) this.fail(`invalid or unsupported group syntax "${rest.slice(0, 4)}"`);
    this.i += consumed;
    const inner = this.alternation();
    if (this.re[this.i] !== ')') this.fail('missing closing )');
    this.i++;
    this.scope = outer;
    return { src: open + inner.src + ')', unbounded: inner.unbounded, group: true, repeatable: true };
  }

  /** One escape outside a class. */
  private escape(): Piece {
    const plain = (src: string, repeatable = true): Piece => ({ src, unbounded: false, group: false, repeatable });
    const c = this.re[this.i + 1];
    if (c === undefined) this.fail('trailing backslash');
    if (c === 'Q') {
      const end = this.re.indexOf('\\E', this.i + 2);
      const text = this.re.slice(this.i + 2, end < 0 ? undefined : end);
      this.i = end < 0 ? this.re.length : end + 2;
      return plain([...text].map((ch) => this.literal(ch.codePointAt(0)!)).join('') || '(?:)');
    }
    this.i += 2;
    switch (c) {
      case 'd': case 'D': case 'w': case 'W':
        return plain('\\' + c);
      case 's':
        return plain('[\\t\\n\\f\\r ]');
      case 'S':
        return plain('[^\\t\\n\\f\\r ]');
      case 'b': case 'B':
        return plain('\\' + c, false);
      case 'A':
        return plain('(?<![\\s\\S])', false);
      case 'z':
        return plain('(?![\\s\\S])', false);
      case 'p': case 'P':
        return plain(this.unicodeClass(c === 'P', false));
      case 'C':
        return this.fail('\\C (any byte) is not supported');
      default:
        return plain(this.literal(this.charEscape(c), true));
    }
  }

  /** Escapes that stand for one character; `c` is the character after the backslash (already consumed). */
  private charEscape(c: string): number {
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (c in simple) return simple[c];
    if (c === 'x') {
      const m = /^\{([0-9a-fA-F]{1,6})\}|^([0-9a-fA-F]{2})/.exec(this.re.slice(this.i));
      if (!m) this.fail('invalid \\x escape');
      this.i += m[0].length;
      const cp = parseInt(m[1] ?? m[2], 16);
      if (cp > 0x10ffff) this.fail('invalid \\x escape');
      return cp;
    }
    if (c >= '1' && c <= '9' && !/[0-7]/.test(this.re[this.i] ?? '')) {
      this.fail(`backreferences like \\${c} are not supported (RE2 has none)`);
    }
    if (c >= '0' && c <= '7') {
      const m = /^[0-7]{0,2}/.exec(this.re.slice(this.i))!;
      this.i += m[0].length;
      return parseInt(c + m[0], 8);
    }
    if (c === 'k') this.fail('backreferences are not supported (RE2 has none)');
    if (/[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(c)) return c.charCodeAt(0);
    return this.fail(`invalid escape sequence \\${c}`);
  }

  /** \pL, \p{Greek}, \p{^Greek}, \PL; the `p`/`P` is consumed. */
  private unicodeClass(negated: boolean, inClass: boolean): string {
    let name: string;
    if (this.re[this.i] === '{') {
      const end = this.re.indexOf('}', this.i);
      if (end < 0) this.fail('missing } in \\p{…}');
      name = this.re.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = this.re[this.i] ?? '';
      this.i++;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (name === 'Any') {
      if (inClass && negated) this.fail('\\P{Any} inside a class is not supported');
      if (inClass) return '\\u{0}-\\u{10ffff}';
      return negated ? '[^\\s\\S]' : '[\\s\\S]';
    }
    const prop = /^[A-Z][a-z&]?$/.test(name) ? name : `Script=${name}`;
    const src = `\\${negated ? 'P' : 'p'}{${prop}}`;
    try {
      new RegExp(src, 'u');
    } catch {
      this.fail(`unknown Unicode class ${name}`);
    }
    return src;
  }

  private charClass(): string {
    this.i++;
    let out = '[';
    if (this.re[this.i] === '^') {
      out += '^';
      this.i++;
    }
    let first = true;
    for (;;) {
      if (this.i >= this.re.length) this.fail('missing closing ]');
      const c = this.re[this.i];
      if (c === ']' && !first) break;
      first = false;
      const item = this.classItem();
      if (typeof item === 'number' && this.re[this.i] === '-' && this.re[this.i + 1] !== ']' && this.i + 1 < this.re.length) {
        this.i++;
        const hi = this.classItem();
        if (typeof hi !== 'number' || hi < item) this.fail('invalid character class range');
        out += `${codePointEscape(item)}-${codePointEscape(hi)}`;
        if (this.folding) out += rangeVariants(item, hi, this.foldBudget).map(codePointEscape).join('');
      } else if (typeof item === 'number') {
        out += (this.folding ? caseVariants(item) : [item]).map(codePointEscape).join('');
      } else {
        out += item;
      }
    }
    this.i++;
    return out + ']';
  }

  /** One class member: a code point, or class text such as \d or a-z from [:lower:]. */
  private classItem(): number | string {
    const rest = this.re.slice(this.i);
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest);
    if (posix) {
      if (!(posix[2] in POSIX)) this.fail(`unknown POSIX class [:${posix[2]}:]`);
      if (posix[1]) this.fail(`negated POSIX class [:^${posix[2]}:] is not supported`);
      this.i += posix[0].length;
      const oneCase = posix[2] === 'lower' || posix[2] === 'upper';
      return this.folding && oneCase ? POSIX.alpha : POSIX[posix[2]];
    }
    if (rest[0] === '\\') {
      const c = rest[1];
      if (c === undefined) this.fail('trailing backslash');
      this.i += 2;
      if ('dDwWS'.includes(c)) return '\\' + c;
      if (c === 's') return '\\t\\n\\f\\r ';
      if (c === 'p' || c === 'P') return this.unicodeClass(c === 'P', true);
      return this.charEscape(c);
    }
    const cp = rest.codePointAt(0)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

function codePointEscape(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return /^[A-Za-z0-9_]$/.test(ch) ? ch : `\\u{${cp.toString(16)}}`;
}

/** The JavaScript source and flags for an RE2 pattern; throws RegexSyntaxError. */
export function translateRe2(pattern: string): { body: string; flags: { i: boolean; m: boolean; s: boolean } } {
  const t = new Translator(pattern);
  const body = t.translate();
  return { body, flags: t.flags };
}
