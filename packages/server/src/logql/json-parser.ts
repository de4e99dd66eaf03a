/**
 * The `json` stage's reader. A small hand-written JSON reader rather than
 * JSON.parse because Loki keeps numbers as written ("1.0", big ids stay
 * exact) and gives nested objects as their original text; both need the
 * source span of each value.
 */
import type { JsonPath } from './ast.ts';

export type JsonNode =
  | { t: 'object'; entries: [string, JsonNode][]; start: number; end: number }
  | { t: 'array'; items: JsonNode[]; start: number; end: number }
  | { t: 'string'; value: string; start: number; end: number }
  /** number, true, false, null: read from the source span. */
  | { t: 'literal'; start: number; end: number };

export class JsonSyntaxError extends Error {}

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const CONTROL = /[\u0000-\u001f]/;

class Reader {
  pos = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new JsonSyntaxError(`${what} at offset ${this.pos}`);
  }

  ws(): void {
    for (;;) {
      const c = this.s.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
      this.pos++;
    }
  }

  value(depth: number): JsonNode {
    if (depth > 200) this.fail('nesting too deep');
    this.ws();
    const start = this.pos;
    const c = this.s[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return { t: 'string', value: this.string(), start, end: this.pos };
    LITERAL.lastIndex = this.pos;
    if (!LITERAL.test(this.s)) this.fail('unexpected character');
    this.pos = LITERAL.lastIndex;
    return { t: 'literal', start, end: this.pos };
  }

  object(depth: number): JsonNode {
    const start = this.pos++;
    const entries: [string, JsonNode][] = [];
    this.ws();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return { t: 'object', entries, start, end: this.pos };
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail('expected a key');
      const key = this.string();
      this.ws();
      if (this.s[this.pos++] !== ':') this.fail('expected ":"');
      entries.push([key, this.value(depth + 1)]);
      this.ws();
      const c = this.s[this.pos++];
      if (c === '}') return { t: 'object', entries, start, end: this.pos };
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }

  array(depth: number): JsonNode {
    const start = this.pos++;
    const items: JsonNode[] = [];
    this.ws();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return { t: 'array', items, start, end: this.pos };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.pos++];
      if (c === ']') return { t: 'array', items, start, end: this.pos };
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }

  string(): string {
    const start = this.pos;
    // Find the closing quote: one not preceded by an odd number of backslashes.
    let end = this.s.indexOf('"', start + 1);
    for (;;) {
      if (end < 0) this.fail('unterminated string');
      let k = end - 1;
      while (this.s.charCodeAt(k) === 92) k--;
      if ((end - 1 - k) % 2 === 0) break;
      end = this.s.indexOf('"', end + 1);
    }
    this.pos = end + 1;
    const raw = this.s.slice(start, end + 1);
    if (CONTROL.test(raw)) this.fail('control character in string');
    if (!raw.includes('\\')) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return this.fail('invalid escape in string');
    }
  }
}

/** Reads a whole line; anything but a single object is an error, as in Loki. */
export function readJsonObject(line: string): JsonNode {
  const r = new Reader(line);
  r.ws();
  if (line[r.pos] !== '{') r.fail('expecting a JSON object');
  const node = r.value(0);
  r.ws();
  if (r.pos !== line.length) r.fail('unexpected text after the object');
  return node;
}

/** The text a scalar becomes as a label value; objects and arrays keep their JSON text. */
export function jsonValueText(node: JsonNode, line: string): string {
  if (node.t === 'string') return node.value;
  const raw = line.slice(node.start, node.end);
  return raw === 'null' ? '' : raw;
}

/** Loki's label-name cleaning: trim, anything outside [A-Za-z0-9_] becomes `_`, a leading digit gets `_`. */
export function sanitizeKey(key: string, first: boolean): string {
  const k = key.trim().replace(/[^A-Za-z0-9_]/g, '_');
  return first && /^[0-9]/.test(k) ? '_' + k : k;
}

/** `json` without parameters: every scalar under an object, nested keys joined with `_`; arrays are skipped. */
export function flattenJson(node: JsonNode, line: string, emit: (name: string, value: string) => void, prefix = ''): void {
  if (node.t !== 'object') return;
  for (const [key, value] of node.entries) {
    const name = prefix ? `${prefix}_${sanitizeKey(key, false)}` : sanitizeKey(key, true);
    if (!name) continue;
    if (value.t === 'object') flattenJson(value, line, emit, name);
    else if (value.t !== 'array') emit(name, jsonValueText(value, line));
  }
}

export function lookupJsonPath(node: JsonNode, path: JsonPath): JsonNode | undefined {
  let cur: JsonNode | undefined = node;
  for (const seg of path) {
    if (!cur) return undefined;
    if (typeof seg === 'number') {
      cur = cur.t === 'array' ? cur.items[seg] : undefined;
    } else if (cur.t === 'object') {
      let found: JsonNode | undefined;
      // Last duplicate key wins, like the flattening above.
      for (const [k, v] of cur.entries) if (k === seg) found = v;
      cur = found;
    } else {
      cur = undefined;
    }
  }
  return cur;
}

/** `a.b[0]["c.d"]` into ['a', 'b', 0, 'c.d']; undefined when malformed. */
export function parseJsonPath(text: string): JsonPath | undefined {
  const path: JsonPath = [];
  const re = /\.?([^.[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || (m[1] !== undefined && pos === 0 && text[0] === '.')) return undefined;
    if (m[1] !== undefined) path.push(m[1]);
    else if (m[2] !== undefined) path.push(Number(m[2]));
    else {
      try {
        path.push(JSON.parse(`"${m[3]}"`) as string);
      } catch {
        return undefined;
      }
    }
    pos = re.lastIndex;
  }
  return path.length ? path : undefined;
}
