/**
 * Alertmanager matchers as the pages handle them: rows in the silence
 * editor, `name="value"` text in URLs and filter params, and the
 * `{name, value, isRegex, isEqual}` shape of the silences API.
 */
import type { SilenceMatcher } from '../../api/client.ts';

export type MatcherOp = '=' | '!=' | '=~' | '!~';
export const OPERATORS: MatcherOp[] = ['=', '!=', '=~', '!~'];

export interface MatcherRow {
  name: string;
  op: MatcherOp;
  value: string;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/** The value is double-quoted with JSON escapes, which Alertmanager's matcher parser reads back. */
export function matcherText(row: MatcherRow): string {
  return `${row.name}${row.op}${JSON.stringify(row.value)}`;
}

export function parseMatcherText(text: string): MatcherRow | undefined {
  const match = MATCHER.exec(text);
  if (!match) return undefined;
  return { name: match[1], op: match[2] as MatcherOp, value: unquote(match[3]) };
}

/** `{a="x", b=~"y"}` or `a="x"` → rows; undefined when any part is not a matcher. */
export function parseMatcherList(text: string): MatcherRow[] | undefined {
  const inner = text.trim().replace(/^\{([\s\S]*)\}$/, '$1');
  const parts = splitOutsideQuotes(inner).filter((part) => part.trim() !== '');
  const rows = parts.map(parseMatcherText);
  return rows.every((row) => row !== undefined) ? (rows as MatcherRow[]) : undefined;
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && quoted) {
      current += char + (text[++i] ?? '');
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

function unquote(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  try {
    return JSON.parse(text) as string;
  } catch {
    return text.slice(1, -1);
  }
}

export function toSilenceMatcher(row: MatcherRow): SilenceMatcher {
  return { name: row.name.trim(), value: row.value, isRegex: row.op.endsWith('~'), isEqual: !row.op.startsWith('!') };
}

export function fromSilenceMatcher(matcher: SilenceMatcher): MatcherRow {
  const op = `${matcher.isEqual === false ? '!' : '='}${matcher.isRegex ? '~' : matcher.isEqual === false ? '=' : ''}` as MatcherOp;
  return { name: matcher.name, op, value: matcher.value };
}

/**
 * For lists the server does not filter (the rules' pending alerts). Regexes
 * run in the user's own browser on their own input, anchored as
 * Alertmanager anchors them; one that does not compile matches nothing.
 */
export function matchesLabels(labels: Record<string, string>, rows: MatcherRow[]): boolean {
  return rows.every((row) => {
    const value = labels[row.name] ?? '';
    const equal = row.op.endsWith('~') ? regexMatches(row.value, value) : value === row.value;
    return row.op.startsWith('!') ? !equal : equal;
  });
}

function regexMatches(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}
