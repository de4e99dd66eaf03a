/**
 * Lezer nodes of a log query (selector and pipeline) into AST. Every
 * pipeline stage the grammar knows is either converted or refused by name.
 */
import type { SyntaxNode } from '@lezer/common';
import { isVigilError } from '../errors.ts';
import type { CompareOp, JsonStage, LabelFilter, LineFilterOp, LogfmtStage, LogQuery, Stage } from './ast.ts';
import { parseJsonPath } from './json-parser.ts';
import { parseBytes, parseQueryDuration } from './literals.ts';
import { compileMatcher, validateSelector } from './matchers.ts';
import { flattenList, type ParseContext } from './parse-context.ts';
import { compileRegex } from './regex.ts';
import type { LabelMatcher, MatchOp } from './source.ts';
import { parseTemplate } from './template.ts';

const MATCH_OPS: Record<string, MatchOp> = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' };
const COMPARE_OPS: Record<string, CompareOp> = { Eql: '==', Eq: '==', Neq: '!=', Gtr: '>', Gte: '>=', Lss: '<', Lte: '<=' };
const LINE_OPS: Record<string, LineFilterOp> = { PipeExact: '|=', Neq: '!=', PipeMatch: '|~', Nre: '!~' };

/** Selector `{…}` and optional pipeline, from the children of a LogExpr or LogRangeExpr. */
export function convertLogQuery(ctx: ParseContext, selector: SyntaxNode, pipeline: SyntaxNode | null): LogQuery {
  const matchers = flattenList(ctx.child(selector, 'Matchers'), 'Matchers', 'Matcher').map((m) => convertMatcher(ctx, m));
  validateSelector(matchers);
  const stages = pipeline ? flattenList(pipeline, 'PipelineExpr', 'PipelineStage').flatMap((s) => convertStage(ctx, s)) : [];
  return { kind: 'log', selector: matchers, pipeline: stages };
}

/** Runs a check that throws a position-less VigilError (regexes) and adds the position. */
function withPosition(ctx: ParseContext, node: SyntaxNode, check: () => unknown): void {
  try {
    check();
  } catch (err) {
    if (isVigilError(err) && err.code === 'VIGIL_ERR_LOGQL_PARSE') ctx.fail(node, err.message);
    throw err;
  }
}

function opName(node: SyntaxNode, table: Record<string, string>): string | undefined {
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name in table) return table[c.name];
  return undefined;
}

function convertMatcher(ctx: ParseContext, node: SyntaxNode): LabelMatcher {
  const name = ctx.text(ctx.child(node, 'Identifier'));
  const op = opName(node, MATCH_OPS) as MatchOp | undefined;
  if (!op) ctx.fail(node, 'expected =, !=, =~ or !~');
  const m: LabelMatcher = { name, op, value: ctx.string(node.getChild('String')) };
  withPosition(ctx, node, () => compileMatcher(m)); // refuses a bad regex now, with its text
  return m;
}

function convertStage(ctx: ParseContext, stage: SyntaxNode): Stage[] {
  const lineFilters = stage.getChild('LineFilters');
  if (lineFilters) return flattenList(lineFilters, 'LineFilters', 'LineFilter').map((f) => convertLineFilter(ctx, f));
  const body = stage.lastChild;
  switch (body?.name) {
    case 'LabelParser':
      return [convertLabelParser(ctx, body)];
    case 'LogfmtParser':
    case 'LogfmtExpressionParser':
      return [convertLogfmt(ctx, body)];
    case 'JsonExpressionParser':
      return [convertJsonExpressions(ctx, body)];
    case 'LabelFilter':
      return [{ kind: 'label_filter', filter: convertLabelFilter(ctx, body) }];
    case 'LineFormatExpr':
      return [{ kind: 'line_format', template: parseTemplate(ctx.string(body.getChild('String'))) }];
    case 'LabelFormatExpr':
      return ctx.unsupported('the "label_format" stage');
    case 'DecolorizeExpr':
      return ctx.unsupported('the "decolorize" stage');
    case 'DropLabelsExpr':
      return ctx.unsupported('the "drop" stage');
    case 'KeepLabelsExpr':
      return ctx.unsupported('the "keep" stage');
    default:
      return ctx.unsupported(`the pipeline stage "${ctx.text(stage)}"`);
  }
}

function convertLineFilter(ctx: ParseContext, node: SyntaxNode): Stage {
  const filter = ctx.child(node, 'Filter');
  const opNode = filter.firstChild;
  if (opNode?.name === 'PipePattern' || opNode?.name === 'Npa') {
    ctx.unsupported(`the pattern line filter "${ctx.text(opNode)}"`);
  }
  const op = opNode ? LINE_OPS[opNode.name] : undefined;
  if (!op) return ctx.fail(node, 'unknown line filter');
  const values: string[] = [];
  // The alternatives: the first String here, the rest nested in OrFilter nodes.
  for (let cur: SyntaxNode | null = node; cur; cur = cur.getChild('OrFilter')) {
    if (cur.getChild('FilterOp')) ctx.unsupported('the ip() line filter');
    values.push(ctx.string(cur.getChild('String')));
  }
  if (op === '|~' || op === '!~') for (const v of values) withPosition(ctx, node, () => compileRegex(v, false));
  return { kind: 'line_filter', op, values };
}

function convertLabelParser(ctx: ParseContext, node: SyntaxNode): Stage {
  const kind = node.firstChild?.name;
  if (kind === 'Json') return { kind: 'json', extractions: [] };
  if (kind === 'Logfmt') return { kind: 'logfmt', extractions: [], strict: false };
  const name = kind === 'Unpack' ? 'unpack' : kind === 'Pattern' ? 'pattern' : kind === 'Regexp' ? 'regexp' : ctx.text(node);
  return ctx.unsupported(`the "${name}" parser`);
}

/** Label name and source text of `label="source"` or `label` entries. */
function extractions(ctx: ParseContext, node: SyntaxNode): { label: string; source: string; node: SyntaxNode }[] {
  const list = node.getChild('LabelExtractionExpressionList');
  if (!list) return [];
  return flattenList(list, 'LabelExtractionExpressionList', 'LabelExtractionExpression').map((x) => {
    const label = ctx.text(ctx.child(x, 'Identifier'));
    const str = x.getChild('String');
    return { label, source: str ? ctx.string(str) : label, node: x };
  });
}

function convertLogfmt(ctx: ParseContext, node: SyntaxNode): LogfmtStage {
  let strict = false;
  const flags = node.getChild('LogfmtParserFlags');
  if (flags) {
    for (const f of flattenList(flags, 'LogfmtParserFlags', 'ParserFlag')) {
      const flag = ctx.text(f);
      if (flag === '--strict') strict = true;
      else ctx.unsupported(`the logfmt flag "${flag}"`);
    }
  }
  return { kind: 'logfmt', strict, extractions: extractions(ctx, node).map((x) => ({ label: x.label, key: x.source })) };
}

function convertJsonExpressions(ctx: ParseContext, node: SyntaxNode): JsonStage {
  return {
    kind: 'json',
    extractions: extractions(ctx, node).map((x) => {
      const path = parseJsonPath(x.source);
      if (!path) ctx.fail(x.node, `invalid JSON path "${x.source}"`);
      return { label: x.label, path };
    }),
  };
}

export function convertLabelFilter(ctx: ParseContext, node: SyntaxNode): LabelFilter {
  const subs = node.getChildren('LabelFilter');
  if (subs.length === 2) {
    // `a, b` has no operator token and means `a and b`.
    const kind = node.getChild('Or') ? 'or' : 'and';
    return { kind, left: convertLabelFilter(ctx, subs[0]), right: convertLabelFilter(ctx, subs[1]) };
  }
  if (subs.length === 1) return convertLabelFilter(ctx, subs[0]);
  const leaf = node.firstChild;
  switch (leaf?.name) {
    case 'Matcher': {
      const m = convertMatcher(ctx, leaf);
      return { kind: 'match', ...m };
    }
    case 'NumberFilter': {
      const lit = ctx.child(leaf, 'LiteralExpr');
      const value = Number(ctx.text(lit).replace(/\s+/g, ''));
      if (Number.isNaN(value)) ctx.fail(lit, 'not a number');
      return compareFilter(ctx, leaf, value, 'number');
    }
    case 'UnitFilter': {
      const inner = leaf.firstChild!;
      if (inner.name === 'DurationFilter') {
        const d = parseQueryDuration(ctx.text(ctx.child(inner, 'Duration')));
        if (d === undefined) ctx.fail(inner, 'not a duration');
        return compareFilter(ctx, inner, Number(d), 'duration');
      }
      const b = parseBytes(ctx.text(ctx.child(inner, 'Bytes')));
      if (b === undefined) ctx.fail(inner, 'not a byte size');
      return compareFilter(ctx, inner, b, 'bytes');
    }
    case 'IpLabelFilter':
      return ctx.unsupported('the ip() label filter');
    default:
      return ctx.fail(node, 'unknown label filter');
  }
}

function compareFilter(ctx: ParseContext, node: SyntaxNode, value: number, unit: 'number' | 'duration' | 'bytes'): LabelFilter {
  const op = opName(node, COMPARE_OPS) as CompareOp | undefined;
  if (!op) ctx.fail(node, 'expected a comparison operator');
  return { kind: 'compare', name: ctx.text(ctx.child(node, 'Identifier')), op, value, unit };
}
