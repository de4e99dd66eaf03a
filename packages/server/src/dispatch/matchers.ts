/**
 * Alertmanager's label matchers: `{a="b", c=~"d.*"}`, the same without
 * braces, and unquoted values (`foo=bar`) as amtool and routes accept them.
 * Regex values go through compileRegex, anchored, so user input never
 * reaches the engine unchecked.
 */
import { VigilError, type ErrorCode } from '../errors.ts';
import { compileRegex } from '../logql/regex.ts';
import type { LabelSet } from './model.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

const DEFAULT_CODE: ErrorCode = 'VIGIL_ERR_ALERTMANAGER_CONFIG';
const MAX_MATCHERS_TEXT = 10_000;
/** Characters that end an unquoted name or value. */
const SPECIAL = new Set(['{', '}', '=', '!', '~', ',', '"', "'", '`']);

/** Parses a list: `{a="b",c!~"x|y"}`, `a=b, c!=d`, or "" (no matchers). */
export function parseMatchers(text: string, code: ErrorCode = DEFAULT_CODE): Matcher[] {
  if (text.length > MAX_MATCHERS_TEXT) throw new VigilError(code, `matchers are ${text.length} characters long; the limit is ${MAX_MATCHERS_TEXT}`);
  const reader = new Reader(text, code);
  reader.skipSpace();
  const braced = reader.eat('{');
  const matchers: Matcher[] = [];
  for (;;) {
    reader.skipSpace();
    if (reader.done() || (braced && reader.peek() === '}')) break;
    matchers.push(readMatcher(reader, code));
    reader.skipSpace();
    if (!reader.eat(',')) break;
  }
  reader.skipSpace();
  if (braced && !reader.eat('}')) reader.fail('expected "}" to close the matchers');
  reader.skipSpace();
  if (!reader.done()) reader.fail(`unexpected "${reader.peek()}"`);
  return matchers;
}

/** Parses exactly one matcher, e.g. `severity=~"critical|page"`. */
export function parseMatcher(text: string, code: ErrorCode = DEFAULT_CODE): Matcher {
  const reader = new Reader(text, code);
  reader.skipSpace();
  const matcher = readMatcher(reader, code);
  reader.skipSpace();
  if (!reader.done()) reader.fail(`unexpected "${reader.peek()}" after the matcher`);
  return matcher;
}

/** Route/inhibit legacy maps: `match` (equality) and `match_re` (anchored regex). */
export function matchersFromLegacy(match?: Record<string, string>, matchRe?: Record<string, string>, code: ErrorCode = DEFAULT_CODE): Matcher[] {
  const equal = Object.entries(match ?? {}).map(([name, value]): Matcher => ({ name, op: '=', value }));
  const regex = Object.entries(matchRe ?? {}).map(([name, value]): Matcher => {
    const matcher: Matcher = { name, op: '=~', value };
    checkRegex(matcher, code);
    return matcher;
  });
  return [...equal, ...regex];
}

/** A predicate over label sets; a missing label is matched as "" as Alertmanager does. */
export function compileMatchers(matchers: readonly Matcher[]): (labels: LabelSet) => boolean {
  const tests = matchers.map(compileOne);
  return (labels) => tests.every((test) => test(labels));
}

function compileOne(m: Matcher): (labels: LabelSet) => boolean {
  const valueOf = (labels: LabelSet) => (Object.hasOwn(labels, m.name) ? labels[m.name] : '');
  switch (m.op) {
    case '=':
      return (labels) => valueOf(labels) === m.value;
    case '!=':
      return (labels) => valueOf(labels) !== m.value;
    case '=~': {
      const re = compileRegex(m.value, true);
      return (labels) => re.test(valueOf(labels));
    }
    case '!~': {
      const re = compileRegex(m.value, true);
      return (labels) => !re.test(valueOf(labels));
    }
  }
}

/** Alertmanager's Matcher.String(): name, operator, Go-quoted value. */
export function formatMatcher(m: Matcher): string {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(m.name) ? m.name : goQuote(m.name);
  return `${name}${m.op}${goQuote(m.value)}`;
}

/** Alertmanager's Matchers.String(): `{a="b",c=~"d"}`. */
export function formatMatchers(ms: readonly Matcher[]): string {
  return `{${ms.map(formatMatcher).join(',')}}`;
}

/** Alertmanager's MatchType order. */
const OP_ORDER: MatchOp[] = ['=', '!=', '=~', '!~'];

/** Sorted as Alertmanager sorts route matchers (by name, then value, then operator), which route keys depend on. */
export function sortMatchers(ms: readonly Matcher[]): Matcher[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...ms].sort((a, b) => cmp(a.name, b.name) || cmp(a.value, b.value) || OP_ORDER.indexOf(a.op) - OP_ORDER.indexOf(b.op));
}

/** Go's strconv.Quote for the characters label values hold in practice. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

function readMatcher(reader: Reader, code: ErrorCode): Matcher {
  const start = reader.pos;
  const name = reader.peek() === '"' ? reader.quoted() : reader.bare();
  if (name === '') reader.fail('expected a label name');
  reader.skipSpace();
  const op = reader.op();
  reader.skipSpace();
  const value = reader.peek() === '"' ? reader.quoted() : reader.bareValue();
  const matcher: Matcher = { name, op, value };
  if (op === '=~' || op === '!~') checkRegex(matcher, code, reader.text.slice(start, reader.pos));
  return matcher;
}

function checkRegex(m: Matcher, code: ErrorCode, shown = formatMatcher(m)): void {
  try {
    compileRegex(m.value, true);
  } catch (err) {
    throw new VigilError(code, `matcher ${shown}: ${(err as Error).message}`, { cause: err });
  }
}

const GO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

class Reader {
  pos = 0;
  constructor(
    readonly text: string,
    private readonly code: ErrorCode,
  ) {}

  done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  eat(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  skipSpace(): void {
    while (/\s/.test(this.peek()) && !this.done()) this.pos++;
  }

  fail(problem: string): never {
    throw new VigilError(this.code, `invalid matchers ${JSON.stringify(this.text)}: ${problem} at character ${this.pos + 1}`);
  }

  op(): MatchOp {
    for (const op of ['=~', '!~', '!=', '='] as const) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return this.fail('expected one of =, !=, =~, !~');
  }

  /** An unquoted label name. */
  bare(): string {
    const start = this.pos;
    while (!this.done() && !SPECIAL.has(this.peek()) && !/\s/.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** An unquoted value: everything up to the next comma or closing brace, trimmed. */
  bareValue(): string {
    const start = this.pos;
    while (!this.done() && this.peek() !== ',' && this.peek() !== '}') {
      if (this.peek() === '"') this.fail('a value with a quote must be quoted as a whole');
      this.pos++;
    }
    return this.text.slice(start, this.pos).trim();
  }

  /** A double-quoted string with Go escapes. */
  quoted(): string {
    this.pos++;
    let out = '';
    for (;;) {
      if (this.done()) this.fail('unterminated quoted string');
      const ch = this.text[this.pos++];
      if (ch === '"') return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      out += this.escape();
    }
  }

  private escape(): string {
    const ch = this.text[this.pos++] ?? '';
    if (ch in GO_ESCAPES) return GO_ESCAPES[ch];
    const hexLength = ch === 'x' ? 2 : ch === 'u' ? 4 : ch === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = this.text.slice(this.pos, this.pos + hexLength);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== hexLength) this.fail(`bad \\${ch} escape`);
      this.pos += hexLength;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) this.fail(`bad \\${ch} escape`);
      return String.fromCodePoint(code);
    }
    if (/[0-7]/.test(ch)) {
      const octal = ch + this.text.slice(this.pos, this.pos + 2);
      if (!/^[0-7]{3}$/.test(octal)) this.fail('bad octal escape');
      this.pos += 2;
      return String.fromCharCode(parseInt(octal, 8));
    }
    return this.fail(`unknown escape \\${ch}`);
  }
}
