/**
 * Parses the `labels` text of a Loki protobuf stream, e.g.
 * `{job="api", level="info"}`: the Prometheus label-set syntax, with values
 * in Go string syntax ("…" or '…' with escapes, or `raw`).
 *
 * Only `=` is allowed (it is a label set, not a query), label names are
 * Prometheus identifiers, and a name may appear once. Whether the set may be
 * empty or contain reserved names is left to validation.
 */
import { VigilError } from '../../errors.ts';
import type { Labels } from '../model.ts';
import { setOwn } from '../own-property.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Sticky, so it matches exactly at lastIndex; safe to share as parsing is synchronous. */
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = new Set([' ', '\t', '\r', '\n']);

export function parseLabelSelector(text: string): Labels {
  return new SelectorParser(text).parse();
}

class SelectorParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): Labels {
    const labels: Labels = {};
    this.skipSpace();
    this.expect('{');
    this.skipSpace();
    while (this.peek() !== '}') {
      const at = this.pos;
      const name = this.name();
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      const value = this.string();
      if (Object.hasOwn(labels, name)) this.fail(`duplicate label name ${JSON.stringify(name)}`, at);
      setOwn(labels, name, value);
      this.skipSpace();
      if (this.peek() !== ',') break;
      this.pos++; // a trailing comma before '}' is allowed, as in PromQL
      this.skipSpace();
    }
    this.expect('}');
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected text after "}"');
    return labels;
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const found = NAME.exec(this.text);
    if (found === null) this.fail('expected a label name');
    this.pos = NAME.lastIndex;
    return found[0];
  }

  private string(): string {
    const quote = this.peek();
    if (quote === '`') return this.rawString();
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted label value');
    const start = ++this.pos;
    const end = this.text.indexOf(quote, start);
    // Fast path: no escapes, so the value is the text between the quotes.
    if (end !== -1 && !this.text.slice(start, end).includes('\\')) {
      this.checkNoNewline(start, end);
      this.pos = end + 1;
      return this.text.slice(start, end);
    }
    return this.escapedString(quote);
  }

  private rawString(): string {
    const start = ++this.pos;
    const end = this.text.indexOf('`', start);
    if (end === -1) this.fail('unterminated raw string', start - 1);
    this.pos = end + 1;
    return this.text.slice(start, end);
  }

  private escapedString(quote: string): string {
    const startQuote = this.pos - 1;
    let out = '';
    const bytes: number[] = []; // \x and octal escapes give bytes; runs of them are decoded as UTF-8
    for (;;) {
      if (this.pos >= this.text.length) this.fail('unterminated string', startQuote);
      const c = this.text[this.pos];
      if (c === '\\' && this.isByteEscape()) {
        bytes.push(this.byteEscape());
        continue;
      }
      out += this.flushBytes(bytes);
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c === '\n') this.fail('newline in string');
      if (c === '\\') {
        out += this.charEscape(quote);
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  private isByteEscape(): boolean {
    const next = this.text[this.pos + 1];
    return next === 'x' || (next >= '0' && next <= '7');
  }

  private flushBytes(bytes: number[]): string {
    if (bytes.length === 0) return '';
    const at = this.pos;
    try {
      return utf8.decode(Uint8Array.from(bytes));
    } catch {
      this.fail('escaped bytes are not valid UTF-8', at);
    } finally {
      bytes.length = 0;
    }
  }

  /** `\xHH` or `\OOO` (three octal digits, at most 255). */
  private byteEscape(): number {
    const at = this.pos;
    const hex = this.text[at + 1] === 'x';
    const digits = this.text.slice(at + (hex ? 2 : 1), at + 4); // both forms are 4 characters
    const ok = hex ? /^[0-9A-Fa-f]{2}$/.test(digits) : /^[0-7]{3}$/.test(digits);
    const value = parseInt(digits, hex ? 16 : 8);
    if (!ok || value > 255) this.fail('invalid byte escape', at);
    this.pos = at + 4;
    return value;
  }

  private charEscape(quote: string): string {
    const at = this.pos;
    const c = this.text[at + 1];
    this.pos = at + 2;
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) return simple;
    if (c === quote) return quote;
    if (c === 'u' || c === 'U') return this.unicodeEscape(at, c === 'u' ? 4 : 8);
    this.fail(`invalid escape "\\${c ?? ''}"`, at);
  }

  private unicodeEscape(at: number, n: number): string {
    const digits = this.text.slice(this.pos, this.pos + n);
    const cp = /^[0-9A-Fa-f]+$/.test(digits) && digits.length === n ? parseInt(digits, 16) : -1;
    if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) this.fail('invalid unicode escape', at);
    this.pos += n;
    return String.fromCodePoint(cp);
  }

  private checkNoNewline(start: number, end: number): void {
    const nl = this.text.indexOf('\n', start);
    if (nl !== -1 && nl < end) this.fail('newline in string', nl);
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private expect(c: string): void {
    if (this.peek() !== c) this.fail(`expected "${c}"`);
    this.pos++;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && SPACE.has(this.text[this.pos])) this.pos++;
  }

  private fail(what: string, at: number = this.pos): never {
    const shown = this.text.length > 200 ? `${this.text.slice(0, 200)}…` : this.text;
    throw new VigilError(
      'VIGIL_ERR_LABELS_INVALID',
      `invalid label set ${JSON.stringify(shown)}: ${what} at position ${at}`,
    );
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};
