/**
 * A log query's pipeline (`|= "x" | json | status >= 500 | line_format …`)
 * compiled once into a function applied to every line. Semantics follow
 * Loki's: labels are looked up in parsed labels, then stream labels, then
 * the line's fields; parsed names that clash with either get `_extracted`;
 * a parser or numeric filter that fails marks the line with `__error__`
 * instead of dropping it, so `| __error__=""` can filter it.
 */
import type { Labels } from '../ingest/model.ts';
import type { LabelFilter, LineFilterStage, Stage } from './ast.ts';
import { flattenJson, JsonSyntaxError, jsonValueText, lookupJsonPath, readJsonObject, sanitizeKey } from './json-parser.ts';
import { getLabel, setLabel } from './labels.ts';
import { parseBytes, parseGoDuration, parseGoFloat } from './literals.ts';
import { readLogfmt } from './logfmt-parser.ts';
import { compileMatcher } from './matchers.ts';
import { compileRegex } from './regex.ts';
import { renderTemplate } from './template.ts';

export const ERROR_LABEL = '__error__';
export const ERROR_DETAILS_LABEL = '__error_details__';

export interface PipelineOutput {
  line: string;
  /** Labels added by parsers, including __error__ / __error_details__. */
  parsed: Labels;
}

/** Returns undefined when the line is filtered out. */
export type Pipeline = (line: string, stream: Labels, fields: Labels) => PipelineOutput | undefined;

class Entry {
  parsed: Labels | undefined;
  constructor(
    public line: string,
    readonly stream: Labels,
    readonly fields: Labels,
  ) {}

  get(name: string): string | undefined {
    return (this.parsed && getLabel(this.parsed, name)) ?? getLabel(this.stream, name) ?? getLabel(this.fields, name);
  }

  hasError(): boolean {
    return this.parsed !== undefined && getLabel(this.parsed, ERROR_LABEL) !== undefined;
  }

  /** A label from a parser. An empty value means no label, as in Prometheus label sets. */
  setParsed(name: string, value: string): void {
    if (!name) return;
    const key = getLabel(this.stream, name) !== undefined || getLabel(this.fields, name) !== undefined ? name + '_extracted' : name;
    this.parsed ??= {};
    if (value === '') delete this.parsed[key];
    else setLabel(this.parsed, key, value);
  }

  setError(kind: string, details: string): void {
    this.parsed ??= {};
    this.parsed[ERROR_LABEL] = kind;
    this.parsed[ERROR_DETAILS_LABEL] = details;
  }
}

type StageFn = (e: Entry) => boolean;

function lineFilter(stage: LineFilterStage): StageFn {
  const { op, values } = stage;
  if (op === '|=' || op === '!=') {
    const want = op === '|=';
    if (values.length === 1) {
      const v = values[0];
      return (e) => e.line.includes(v) === want;
    }
    return (e) => values.some((v) => e.line.includes(v)) === want;
  }
  const res = values.map((v) => compileRegex(v, false));
  const want = op === '|~';
  return (e) => res.some((re) => re.test(e.line)) === want;
}

function labelFilter(filter: LabelFilter): StageFn {
  switch (filter.kind) {
    case 'and': {
      const l = labelFilter(filter.left);
      const r = labelFilter(filter.right);
      // Both sides run, as in Loki, so an error found on the right is still recorded.
      return (e) => {
        const a = l(e);
        const b = r(e);
        return a && b;
      };
    }
    case 'or': {
      const l = labelFilter(filter.left);
      const r = labelFilter(filter.right);
      return (e) => l(e) || r(e);
    }
    case 'match': {
      const test = compileMatcher(filter);
      return (e) => test(e.get(filter.name) ?? '');
    }
    case 'compare': {
      const { name, op, value, unit } = filter;
      const read = unit === 'number' ? parseGoFloat : unit === 'duration' ? parseGoDuration : parseBytes;
      const cmp = comparator(op);
      return (e) => {
        // Once a line has an error only string matchers may drop it (Loki).
        if (e.hasError()) return true;
        const raw = e.get(name);
        if (raw === undefined) return false;
        const v = read(raw);
        if (v === undefined) {
          e.setError('LabelFilterErr', `cannot read label ${name}="${raw}" as a ${unit}`);
          return true;
        }
        return cmp(v, value);
      };
    }
  }
}

export function comparator(op: string): (a: number, b: number) => boolean {
  switch (op) {
    case '==': return (a, b) => a === b;
    case '!=': return (a, b) => a !== b;
    case '>': return (a, b) => a > b;
    case '>=': return (a, b) => a >= b;
    case '<': return (a, b) => a < b;
    default: return (a, b) => a <= b;
  }
}

function stageFn(stage: Stage): StageFn {
  switch (stage.kind) {
    case 'line_filter':
      return lineFilter(stage);
    case 'label_filter':
      return labelFilter(stage.filter);
    case 'line_format': {
      const parts = stage.template;
      return (e) => {
        e.line = renderTemplate(parts, e.line, (n) => e.get(n));
        return true;
      };
    }
    case 'logfmt': {
      const wanted = new Map(stage.extractions.map((x) => [x.key, x.label]));
      const { strict } = stage;
      return (e) => {
        const err = readLogfmt(
          e.line,
          (key, value) => {
            if (wanted.size === 0) e.setParsed(sanitizeKey(key, true), value);
            else if (wanted.has(key)) e.setParsed(wanted.get(key)!, value);
          },
          strict,
        );
        if (err) e.setError('LogfmtParserErr', err);
        return true;
      };
    }
    case 'json': {
      const { extractions } = stage;
      return (e) => {
        let root;
        try {
          root = readJsonObject(e.line);
        } catch (err) {
          if (!(err instanceof JsonSyntaxError)) throw err;
          e.setError('JSONParserErr', err.message);
          return true;
        }
        if (extractions.length === 0) {
          flattenJson(root, e.line, (name, value) => e.setParsed(name, value));
        } else {
          for (const x of extractions) {
            const node = lookupJsonPath(root, x.path);
            e.setParsed(x.label, node ? jsonValueText(node, e.line) : '');
          }
        }
        return true;
      };
    }
  }
}

const NO_LABELS: Labels = Object.freeze({}) as Labels;

export function compilePipeline(stages: Stage[]): Pipeline {
  const fns = stages.map(stageFn);
  return (line, stream, fields) => {
    const e = new Entry(line, stream, fields);
    for (const fn of fns) if (!fn(e)) return undefined;
    return { line: e.line, parsed: e.parsed ?? NO_LABELS };
  };
}

/**
 * Substrings every result line contains, for LogSource.scan's `contains`
 * hint: single-value `|=` filters that run before any line_format (after
 * it, the line being tested is not the stored one).
 */
export function containsHints(stages: Stage[]): string[] {
  const out: string[] = [];
  for (const s of stages) {
    if (s.kind === 'line_format') break;
    if (s.kind === 'line_filter' && s.op === '|=' && s.values.length === 1 && s.values[0] !== '') out.push(s.values[0]);
  }
  return out;
}

/** True when the pipeline only keeps or drops lines: no parser, label filter or rewrite. */
export function isContainsOnly(stages: Stage[]): boolean {
  return stages.every((s) => s.kind === 'line_filter' && s.op === '|=' && s.values.length === 1);
}
