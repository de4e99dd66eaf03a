/**
 * The part of Go's text/template that `line_format` needs most: plain text,
 * `{{.label}}` / `{{ .label }}`, `{{ __line__ }}` and the `{{-` / `-}}`
 * whitespace trims. Anything else (functions, pipelines, if/range) is
 * refused by name instead of being printed literally, so a user never gets
 * silently wrong lines.
 */
import { VigilError } from '../errors.ts';
import type { TemplatePart } from './ast.ts';

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

function unsupported(what: string): never {
  throw new VigilError('VIGIL_ERR_LOGQL_UNSUPPORTED', `unsupported in LogQL: ${what} (line_format supports {{.label}} and {{ __line__ }})`);
}

/** Reads one action's text, e.g. ".app", "__line__", ".msg | ToUpper". */
function parseAction(action: string, raw: string): TemplatePart | undefined {
  const field = /^\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(action);
  if (field) return { kind: 'label', name: field[1] };
  if (action === '__line__') return { kind: 'line' };
  if (action.startsWith('/*') && action.endsWith('*/')) return undefined;
  const words = action.split(/[\s|()]+/).filter(Boolean);
  const fn = words.find((w) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(w));
  if (fn && KEYWORDS.has(fn)) unsupported(`the line_format template action "${fn}"`);
  if (fn) unsupported(`the line_format template function "${fn}"`);
  return unsupported(`the line_format template expression "${raw}"`);
}

export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let pos = 0;
  let trimNext = false;
  const pushText = (t: string): void => {
    if (!t) return;
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += t;
    else parts.push({ kind: 'text', text: t });
  };
  while (pos <= text.length) {
    const open = text.indexOf('{{', pos);
    let chunk = open < 0 ? text.slice(pos) : text.slice(pos, open);
    if (trimNext) chunk = chunk.trimStart();
    if (open < 0) {
      pushText(chunk);
      break;
    }
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      throw new VigilError('VIGIL_ERR_LOGQL_PARSE', `line_format template: unclosed action "${text.slice(open, open + 30)}"`);
    }
    let inner = text.slice(open + 2, close);
    // Go's trim markers are "{{- " and " -}}"; the space is what tells them from a negative number.
    if (/^-\s/.test(inner)) {
      chunk = chunk.trimEnd();
      inner = inner.slice(1);
    }
    trimNext = /\s-$/.test(inner);
    if (trimNext) inner = inner.slice(0, -1);
    pushText(chunk);
    const part = parseAction(inner.trim(), text.slice(open, close + 2));
    if (part) parts.push(part);
    pos = close + 2;
  }
  return parts;
}

export function renderTemplate(parts: TemplatePart[], line: string, get: (name: string) => string | undefined): string {
  let out = '';
  for (const p of parts) {
    if (p.kind === 'text') out += p.text;
    else if (p.kind === 'line') out += line;
    else out += get(p.name) ?? '';
  }
  return out;
}
