/**
 * What to suggest at the cursor of a PromQL or LogQL query, and how to put an
 * accepted suggestion into the query. Pure text logic, so it is tested
 * without a browser; the editor and the API calls live elsewhere.
 */
export type QueryLanguage = 'promql' | 'logql';

export interface CompletionContext {
  kind: 'metric' | 'label' | 'value';
  /** What the user has typed of the token so far. */
  prefix: string;
  /** Where that token starts in the query. */
  start: number;
  /** For `value`: the label whose values to offer. */
  label?: string;
  /** The metric the selector belongs to (`up{…}`), to narrow label values. */
  metric?: string;
}

interface ScanState {
  /** Index of the `{` the cursor is inside, or -1. */
  brace: number;
  /** Index of the opening quote of the string the cursor is inside, or -1. */
  quote: number;
  inRange: boolean;
}

function scan(before: string): ScanState {
  const state: ScanState = { brace: -1, quote: -1, inRange: false };
  let quoteChar = '';
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (state.quote >= 0) {
      if (c === '\\' && quoteChar !== '`') i++;
      else if (c === quoteChar) state.quote = -1;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') [state.quote, quoteChar] = [i, c];
    else if (c === '{') state.brace = i;
    else if (c === '}') state.brace = -1;
    else if (c === '[') state.inRange = true;
    else if (c === ']') state.inRange = false;
  }
  return state;
}

const labelBeforeOperator = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*$/;
const metricBeforeBrace = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*$/;
const grouping = /\b(by|without|on|ignoring|group_left|group_right)\s*\(([a-zA-Z0-9_,\s]*)$/;

export function completionContext(query: string, cursor: number, language: QueryLanguage): CompletionContext | undefined {
  const before = query.slice(0, cursor);
  const { brace, quote, inRange } = scan(before);
  if (quote >= 0) return brace >= 0 ? valueContext(before, brace, quote) : undefined;
  if (inRange) return undefined;
  if (brace >= 0) return labelContext(before, before.slice(brace + 1), metricOf(before, brace));
  if (language === 'logql') return undefined;
  const group = grouping.exec(before);
  if (group) return labelContext(before, group[2]);
  const token = /[a-zA-Z_:][a-zA-Z0-9_:]*$/.exec(before);
  // A token right after a digit is a duration or number (`5m`), not a metric.
  if (!token || /[0-9.]$/.test(before.slice(0, token.index))) return undefined;
  return { kind: 'metric', prefix: token[0], start: token.index };
}

function metricOf(before: string, brace: number): string | undefined {
  return metricBeforeBrace.exec(before.slice(0, brace))?.[1];
}

function valueContext(before: string, brace: number, quote: number): CompletionContext | undefined {
  const operator = labelBeforeOperator.exec(before.slice(brace + 1, quote));
  if (!operator) return undefined;
  return { kind: 'value', prefix: before.slice(quote + 1), start: quote + 1, label: operator[1], metric: metricOf(before, brace) };
}

/** A label name is expected right after `{`, `(` or a `,` of a label list. */
function labelContext(before: string, list: string, metric?: string): CompletionContext | undefined {
  const token = /[a-zA-Z_][a-zA-Z0-9_]*$/.exec(list)?.[0] ?? '';
  const lead = list.slice(0, list.length - token.length).trimEnd();
  if (lead !== '' && !lead.endsWith(',')) return undefined;
  return { kind: 'label', prefix: token, start: before.length - token.length, metric };
}

/** Puts `value` in place of the token being completed; gives the new query and cursor. */
export function applyCompletion(query: string, cursor: number, context: CompletionContext, value: string): { query: string; cursor: number } {
  const rest = query.slice(cursor);
  let end = cursor;
  let insert = value;
  if (context.kind === 'value') {
    const closed = /^(?:[^"\\\n]|\\.)*"/.exec(rest);
    if (closed) end += closed[0].length;
    insert = `${value.replace(/[\\"]/g, '\\$&')}"`;
  } else {
    end += /^[a-zA-Z0-9_:]*/.exec(rest)![0].length;
    // A new label gets its `="` so that its values are offered next.
    if (context.kind === 'label' && !/^\s*[=!]/.test(query.slice(end)) && !grouping.test(query.slice(0, context.start))) insert += '="';
  }
  const next = query.slice(0, context.start) + insert + query.slice(end);
  return { query: next, cursor: context.start + insert.length };
}

/** Candidates starting with the prefix first, then those containing it; never the token already typed in full. */
export function rankCandidates(candidates: string[], prefix: string, max = 50): string[] {
  const wanted = prefix.toLowerCase();
  const unique = [...new Set(candidates)].filter((c) => c !== prefix);
  const starts = unique.filter((c) => c.toLowerCase().startsWith(wanted));
  const contains = unique.filter((c) => !c.toLowerCase().startsWith(wanted) && c.toLowerCase().includes(wanted));
  return [...starts, ...contains].slice(0, max);
}
