/**
 * Splits a Go text/template source into tokens, as text/template/parse's
 * lexer does: text between actions, and inside `{{ }}` the words, fields,
 * variables, literals and punctuation. Trim markers (`{{- ` and ` -}}`) are
 * applied here to the neighbouring text, and comments are dropped.
 */

export type TokenType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'space'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  type: TokenType;
  value: string;
  line: number;
}

export class LexError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const SPACE = /[ \t\r\n]/;
const ALNUM = /[\p{L}\p{N}_]/u;
const TRIM_CHARS = /[ \t\r\n]+$/;

function isTrimMarker(source: string, at: number): boolean {
  return source[at] === '-' && SPACE.test(source[at + 1] ?? '');
}

/** Reads the whole source; throws LexError with the line of the problem. */
export function lex(source: string): Token[] {
  return new Lexer(source).run();
}

class Lexer {
  private pos = 0;
  private line = 1;
  private parenDepth = 0;
  private readonly tokens: Token[] = [];

  constructor(private readonly source: string) {}

  run(): Token[] {
    let trimLeading = false;
    while (this.pos < this.source.length) {
      const open = this.source.indexOf('{{', this.pos);
      const end = open < 0 ? this.source.length : open;
      let text = this.source.slice(this.pos, end);
      if (trimLeading) text = text.replace(/^[ \t\r\n]+/, '');
      const trimmed = open >= 0 && isTrimMarker(this.source, open + 2);
      if (trimmed) text = text.replace(TRIM_CHARS, '');
      if (text) this.emit('text', text);
      this.advanceTo(end);
      if (open < 0) break;
      trimLeading = this.action(trimmed);
    }
    this.emit('eof', '');
    return this.tokens;
  }

  private emit(type: TokenType, value: string, line = this.line): void {
    this.tokens.push({ type, value, line });
  }

  private advanceTo(end: number): void {
    for (let i = this.pos; i < end; i++) if (this.source[i] === '\n') this.line++;
    this.pos = end;
  }

  private fail(message: string): never {
    throw new LexError(message, this.line);
  }

  /** Lexes one `{{ … }}`; returns whether it ended with a ` -}}` trim marker. */
  private action(trimmed: boolean): boolean {
    this.advanceTo(this.pos + 2 + (trimmed ? 2 : 0));
    const afterComment = this.comment();
    if (afterComment !== undefined) return afterComment;
    this.emit('leftDelim', '{{');
    this.parenDepth = 0;
    for (;;) {
      const rightTrim = this.atRightDelim();
      if (rightTrim !== undefined) {
        if (this.parenDepth > 0) this.fail('unclosed left paren');
        this.emit('rightDelim', '}}');
        this.advanceTo(this.pos + (rightTrim ? 3 : 2));
        return rightTrim;
      }
      if (this.pos >= this.source.length) this.fail('unclosed action');
      this.insideAction();
    }
  }

  /** Returns true for ` -}}` (stepping over its space), false for `}}`, undefined when not at a right delimiter. */
  private atRightDelim(): boolean | undefined {
    const s = this.source;
    if (SPACE.test(s[this.pos] ?? '') && s.startsWith('-}}', this.pos + 1)) {
      this.advanceTo(this.pos + 1);
      return true;
    }
    return s.startsWith('}}', this.pos) ? false : undefined;
  }

  /** Skips `/* … *\/` when the action is only a comment; returns its trim flag. */
  private comment(): boolean | undefined {
    if (!this.source.startsWith('/*', this.pos)) return undefined;
    const close = this.source.indexOf('*/', this.pos + 2);
    if (close < 0) this.fail('unclosed comment');
    this.advanceTo(close + 2);
    const rightTrim = this.atRightDelim();
    if (rightTrim === undefined) this.fail('comment ends before closing delimiter');
    this.advanceTo(this.pos + (rightTrim ? 3 : 2));
    return rightTrim;
  }

  private insideAction(): void {
    const s = this.source;
    const ch = s[this.pos];
    if (SPACE.test(ch)) return this.space();
    if (ch === '"') return this.quoted('"', 'string', 'unterminated quoted string');
    if (ch === '`') return this.quoted('`', 'rawString', 'unterminated raw quoted string');
    if (ch === "'") return this.quoted("'", 'char', 'unterminated character constant');
    if (ch === '$') return this.word('variable');
    if (ch === '.' && !/[0-9]/.test(s[this.pos + 1] ?? '')) return this.dotOrField();
    if (ch === '+' || ch === '-' || ch === '.' || /[0-9]/.test(ch)) return this.number();
    if (ALNUM.test(ch)) return this.identifier();
    return this.punctuation(ch);
  }

  private punctuation(ch: string): void {
    const simple: Record<string, TokenType> = { '|': 'pipe', ',': 'comma', '=': 'assign' };
    if (simple[ch]) {
      this.emit(simple[ch], ch);
      return this.advanceTo(this.pos + 1);
    }
    if (ch === ':') {
      if (this.source[this.pos + 1] !== '=') this.fail('expected :=');
      this.emit('declare', ':=');
      return this.advanceTo(this.pos + 2);
    }
    if (ch === '(') this.parenDepth++;
    if (ch === ')' && --this.parenDepth < 0) this.fail('unexpected right paren');
    if (ch === '(' || ch === ')') {
      this.emit(ch === '(' ? 'leftParen' : 'rightParen', ch);
      return this.advanceTo(this.pos + 1);
    }
    this.fail(`unrecognized character in action: ${describeRune(ch)}`);
  }

  /** A run of spaces, leaving the last one when it starts a ` -}}` trim marker. */
  private space(): void {
    let end = this.pos;
    while (end < this.source.length && SPACE.test(this.source[end])) end++;
    if (this.source.startsWith('-}}', end)) end--;
    if (end === this.pos) return;
    this.emit('space', this.source.slice(this.pos, end));
    this.advanceTo(end);
  }

  private quoted(quote: string, type: TokenType, unterminated: string): void {
    const s = this.source;
    let i = this.pos + 1;
    for (; i < s.length && s[i] !== quote; i++) {
      if (quote !== '`' && s[i] === '\\') i++;
      else if (quote !== '`' && s[i] === '\n') break;
    }
    if (i >= s.length || s[i] !== quote) this.fail(unterminated);
    this.emit(type, s.slice(this.pos, i + 1));
    this.advanceTo(i + 1);
  }

  private word(type: TokenType): void {
    let end = this.pos + 1;
    while (end < this.source.length && ALNUM.test(this.source[end])) end++;
    this.emit(type, this.source.slice(this.pos, end));
    this.advanceTo(end);
    this.checkTerminator();
  }

  private dotOrField(): void {
    if (ALNUM.test(this.source[this.pos + 1] ?? '')) return this.word('field');
    this.emit('dot', '.');
    this.advanceTo(this.pos + 1);
    this.checkTerminator();
  }

  private identifier(): void {
    const m = /[\p{L}\p{N}_]+/uy;
    m.lastIndex = this.pos;
    const word = m.exec(this.source)![0];
    const type: TokenType = KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier';
    this.emit(type, word);
    this.advanceTo(this.pos + word.length);
    this.checkTerminator();
  }

  private number(): void {
    const m = /[+-]?(0[xX][0-9a-fA-F_]+|0[oObB][0-7_]+|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)/y;
    m.lastIndex = this.pos;
    const text = m.exec(this.source)![0];
    if (!/[0-9]/.test(text) || ALNUM.test(this.source[this.pos + text.length] ?? '')) {
      const bad = /[^\s|)}]*/y;
      bad.lastIndex = this.pos;
      this.fail(`bad number syntax: ${JSON.stringify(bad.exec(this.source)![0])}`);
    }
    this.emit('number', text);
    this.advanceTo(this.pos + text.length);
  }

  /** After a word, Go requires a space, punctuation or the end of the action. */
  private checkTerminator(): void {
    const ch = this.source[this.pos];
    if (ch === undefined || SPACE.test(ch) || '.,|:)(='.includes(ch) || this.source.startsWith('}}', this.pos)) return;
    this.fail(`bad character ${describeRune(ch)}`);
  }
}

/** Go's %#U: U+003F '?'. */
function describeRune(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`;
}
