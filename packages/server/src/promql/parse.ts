/**
 * PromQL text into Vigil's AST through the official lezer grammar
 * (@prometheus-io/lezer-promql). The grammar is written for an editor and
 * lets postfix modifiers (`[5m]`, `[1h:]`, `offset`, `@`) wrap a whole binary
 * or unary expression; Prometheus binds them to the nearest operand, so they
 * are pushed down to the rightmost operand here.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode, Tree } from '@lezer/common';
import { VigilError } from '../errors.ts';
import type { AggregateOp, AtModifier, BinaryOp, Expr, VectorMatching } from './ast.ts';
import { DEFAULT_MATCHING } from './ast.ts';
import { checkTypes } from './check.ts';
import { parseDuration, parseNumber, unquoteString } from './literals.ts';
import { convertSelector } from './parse-selector.ts';

const BINARY_OPS: Record<string, BinaryOp> = {
  Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^', Atan2: 'atan2',
  Eql: '==', Neq: '!=', Gtr: '>', Gte: '>=', Lss: '<', Lte: '<=', And: 'and', Or: 'or', Unless: 'unless',
};

/** What `step()` and `range()` mean inside durations (`x[step()]`, `offset range()`): the query's, in ms. */
export interface QueryTiming { stepMs: number; rangeMs: number }

export class PromqlParser {
  /** A duration read step() or range(). */
  private timed = false;
  constructor(readonly query: string, private readonly timing?: QueryTiming) {}

  text(n: SyntaxNode): string {
    return this.query.slice(n.from, n.to);
  }

  position(offset: number): string {
    const before = this.query.slice(0, offset);
    return `line ${before.split('\n').length}, col ${offset - (before.lastIndexOf('\n') + 1) + 1}`;
  }

  fail(n: SyntaxNode | number, message: string): never {
    const from = typeof n === 'number' ? n : n.from;
    const near = typeof n === 'number' ? '' : ` near "${this.text(n).slice(0, 40)}"`;
    throw new VigilError('VIGIL_ERR_PROMQL_PARSE', `parse error at ${this.position(from)}${near}: ${message}`);
  }

  unsupported(what: string): never {
    throw new VigilError('VIGIL_ERR_PROMQL_UNSUPPORTED', `unsupported in PromQL: ${what}`);
  }

  string(n: SyntaxNode): string {
    const r = unquoteString(this.text(n));
    if ('error' in r) this.fail(n, r.error);
    return r.value;
  }

  exprChildren(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.type.is('Expr')) out.push(c);
    return out;
  }

  convert(n: SyntaxNode): Expr {
    const pos = n.from;
    switch (n.name) {
      case 'NumberDurationLiteral': {
        const value = parseNumber(this.text(n));
        if (value === undefined) this.fail(n, `bad number "${this.text(n)}"`);
        return { kind: 'number', value, pos };
      }
      case 'StringLiteral':
        return { kind: 'string', value: this.string(n), pos };
      case 'ParenExpr':
        return { kind: 'paren', expr: this.convert(this.exprChildren(n)[0]), pos };
      case 'UnaryExpr': {
        const op = this.text(n.getChild('UnaryOp')!) as '-' | '+';
        return { kind: 'unary', op, expr: this.convert(this.exprChildren(n)[0]), pos };
      }
      case 'VectorSelector':
        return convertSelector(this, n);
      case 'BinaryExpr':
        return this.binary(n);
      case 'FunctionCall': {
        const func = this.text(n.getChild('FunctionIdentifier')!);
        const args = this.exprChildren(n.getChild('FunctionCallBody')!);
        if (func === 'info' && args[1] && args[1].name !== 'VectorSelector') this.fail(args[1], 'expected label selector as the second argument to info()');
        return { kind: 'call', func, args: args.map((a, i) => (func === 'info' && i === 1 ? convertSelector(this, a, true) : this.convert(a))), pos };
      }
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'MatrixSelector':
      case 'SubqueryExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr':
        return this.postfix(n);
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return this.unsupported('anchored/smoothed range selectors');
      default:
        return this.fail(n, `unexpected ${n.name}`);
    }
  }

  private binary(n: SyntaxNode): Expr {
    const [l, r] = this.exprChildren(n);
    let op: BinaryOp | undefined;
    let bool = false;
    let matching: VectorMatching | undefined;
    let fill: Pick<VectorMatching, 'fillLeft' | 'fillRight'> | undefined;
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (BINARY_OPS[c.name] && !op && c.from >= l.to) op = BINARY_OPS[c.name];
      else if (c.name === 'BoolModifier') bool = true;
      else if (c.name === 'MatchingModifierClause') matching = this.matching(c);
      else if (c.name === 'FillModifier') fill = this.fill(c);
    }
    if (!op) this.fail(n, 'missing operator');
    if (fill) matching = { ...(matching ?? DEFAULT_MATCHING), ...fill };
    return { kind: 'binary', op, lhs: this.convert(l), rhs: this.convert(r), bool, matching, pos: n.from };
  }

  private matching(n: SyntaxNode): VectorMatching {
    const groups = n.getChildren('GroupingLabels').map((g) => this.labels(g));
    const m: VectorMatching = { card: 'one-to-one', on: n.getChild('On') !== null, labels: groups[0] ?? [], include: groups[1] ?? [] };
    if (n.getChild('GroupLeft')) m.card = 'many-to-one';
    if (n.getChild('GroupRight')) m.card = 'one-to-many';
    return m;
  }

  /** `fill(v)`, `fill_left(v) fill_right(w)`: the values missing operands take. */
  private fill(n: SyntaxNode): Pick<VectorMatching, 'fillLeft' | 'fillRight'> {
    const out: Pick<VectorMatching, 'fillLeft' | 'fillRight'> = {};
    for (let c = n.firstChild; c; c = c.nextSibling) {
      const lit = c.getChild('NumberDurationLiteral');
      const value = lit ? parseNumber(this.text(lit)) : undefined;
      if (value === undefined) this.fail(c, 'fill modifiers take a number');
      if (c.name !== 'FillRightClause') out.fillLeft = value;
      if (c.name !== 'FillLeftClause') out.fillRight = value;
    }
    return out;
  }

  labels(n: SyntaxNode): string[] {
    const out: string[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'LabelName') out.push(this.text(c));
      else if (c.name === 'QuotedLabelName') out.push(this.string(c.firstChild ?? c));
    }
    return out;
  }

  private aggregate(n: SyntaxNode): Expr {
    const op = this.text(n.getChild('AggregateOp')!).toLowerCase() as AggregateOp;
    const mod = n.getChild('AggregateModifier');
    const args = this.exprChildren(n.getChild('FunctionCallBody')!).map((a) => this.convert(a));
    const withParam = ['topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio'].includes(op);
    const want = withParam ? 2 : 1;
    if (args.length !== want) this.fail(n, `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`);
    return {
      kind: 'aggregate', op,
      expr: args[want - 1], param: withParam ? args[0] : undefined,
      grouping: mod ? this.labels(mod.getChild('GroupingLabels')!) : [],
      without: mod?.getChild('Without') != null,
      pos: n.from,
    };
  }

  /** `x[5m]`, `x[1h:1m]`, `x offset 5m`, `x @ 100`: bound to the nearest operand. */
  private postfix(n: SyntaxNode): Expr {
    const inner = this.convert(this.exprChildren(n)[0]);
    return pushDown(inner, (e) => this.applyPostfix(n, e));
  }

  private applyPostfix(n: SyntaxNode, e: Expr): Expr {
    const durations = n.getChildren('DurationExpr').map((d) => this.duration(d));
    switch (n.name) {
      case 'MatrixSelector':
        if (e.kind !== 'vector-selector') this.fail(n, 'ranges only allowed for vector selectors');
        if (e.offsetMs !== 0 || e.at !== undefined) this.fail(n, 'no offset or @ modifiers allowed before range');
        // A parse only to validate has no timing: a range from step() or range() is checked when the query runs.
        if (durations[0] <= 0 && (this.timing || !this.timed)) this.fail(n, 'range must be greater than 0');
        return { kind: 'matrix-selector', selector: e, rangeMs: durations[0], pos: e.pos };
      case 'SubqueryExpr':
        return { kind: 'subquery', expr: e, rangeMs: durations[0], stepMs: durations[1] ?? 0, offsetMs: 0, pos: e.pos };
      case 'OffsetExpr': {
        const offsetMs = this.duration(n.getChild('OffsetDurationExpr')!);
        const target = e.kind === 'matrix-selector' ? e.selector : e;
        if (target.kind !== 'vector-selector' && target.kind !== 'subquery') {
          this.fail(n, 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
        }
        if (target.offsetMs !== 0) this.fail(n, 'offset may not be set multiple times');
        target.offsetMs = offsetMs;
        return e;
      }
      default: {
        const target = e.kind === 'matrix-selector' ? e.selector : e;
        if (target.kind !== 'vector-selector' && target.kind !== 'subquery') {
          this.fail(n, '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
        }
        if (target.at !== undefined) this.fail(n, '@ <timestamp> may not be set multiple times');
        target.at = this.at(n);
        return e;
      }
    }
  }

  private at(n: SyntaxNode): AtModifier {
    const pre = n.getChild('AtModifierPreprocessors');
    if (pre) return pre.getChild('AtStart') ? 'start' : 'end';
    const lit = n.getChild('NumberDurationLiteral')!;
    const v = parseNumber(this.text(lit));
    if (v === undefined || !Number.isFinite(v)) this.fail(lit, `timestamp out of bounds for @ modifier: ${this.text(lit)}`);
    return Math.round(v * 1000);
  }

  /** A duration expression in ms (`5m`, `1h+30m`, `-1m`, `min_of(step(), 1m)`, a bare number of seconds). */
  duration(n: SyntaxNode): number {
    if (n.name === 'DurationStep' || n.name === 'DurationRange') {
      this.timed = true;
      return n.name === 'DurationStep' ? (this.timing?.stepMs ?? 0) : (this.timing?.rangeMs ?? 0);
    }
    const kids: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) kids.push(c);
    const names = kids.map((k) => k.name);
    if (names.length === 1 && names[0] === 'NumberDurationLiteralInDurationContext') {
      const t = this.text(kids[0]);
      const ms = parseDuration(t) ?? (parseNumber(t) ?? NaN) * 1000;
      if (!Number.isFinite(ms)) this.fail(kids[0], `bad duration "${t}"`);
      return Math.round(ms);
    }
    if (names[0] === 'UnaryOp') return (this.text(kids[0]) === '-' ? -1 : 1) * this.duration(kids[1]);
    if (names[0] === 'DurationMinOf' || names[0] === 'DurationMaxOf') {
      const args = kids.filter((k) => k.name.endsWith('DurationExpr')).map((k) => this.duration(k));
      return names[0] === 'DurationMinOf' ? Math.min(...args) : Math.max(...args);
    }
    if (names.length === 1) return this.duration(kids[0]);
    if (names.length === 3 && names[1] in BINARY_OPS && kids[0].name === 'DurationExpr') {
      const a = this.duration(kids[0]) / 1000;
      const b = this.duration(kids[2]) / 1000;
      const op = BINARY_OPS[names[1]];
      const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : op === '%' ? a % b : a ** b;
      if (!Number.isFinite(r)) this.fail(n, `duration expression is not finite`);
      return Math.round(r * 1000);
    }
    if (names.includes('(') && kids.find((k) => k.name === 'DurationExpr') && !names.some((x) => x.startsWith('Duration') && x !== 'DurationExpr')) {
      return this.duration(kids.find((k) => k.name === 'DurationExpr')!);
    }
    return this.unsupported(`duration expression "${this.text(n)}"`);
  }
}

function pushDown(e: Expr, f: (e: Expr) => Expr): Expr {
  if (e.kind === 'binary') return { ...e, rhs: pushDown(e.rhs, f) };
  if (e.kind === 'unary') return { ...e, expr: pushDown(e.expr, f) };
  return f(e);
}

/** Where the tree's first error node is, or undefined when it has none. */
function firstError(tree: Tree): { from: number; to: number } | undefined {
  let error: { from: number; to: number } | undefined;
  tree.topNode.cursor().iterate((c) => {
    if (error) return false;
    if (c.type.isError) error = { from: c.from, to: c.to };
    return undefined;
  });
  return error;
}

/**
 * What Prometheus' parser accepts and the grammar does not, rewritten for
 * the grammar without moving any offset: nodes read their text from the
 * query itself. min_of/max_of, known to the grammar only inside durations
 * (`[min_of(5m, step())]`, `offset min_of(…)`), become `minute`, a function
 * of the same length, elsewhere; a number with a trailing dot (`2.`) loses the dot;
 * STEP() and range() in any case, which durations accept, are lower-cased.
 */
const GRAMMAR_GAPS = /"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`|#[^\n]*|[[\]]|(?<!\boffset[\s(+-]*)\b(?:min|max)_of(?=\s*\()|\b(?:step|range)(?=\s*\()|(?<![\w.])\d+\.(?![\w.])/gi;

/** A failed parse is retried on the rewritten query; the first error stands if that fails too. */
function parseTree(query: string): { tree: Tree; error?: { from: number; to: number } } {
  const tree = parser.parse(query);
  const error = firstError(tree);
  if (error === undefined) return { tree };
  let depth = 0;
  const rewritten = query.replace(GRAMMAR_GAPS, (m) => {
    if (m === '[') depth++;
    else if (m === ']') depth--;
    else if (depth === 0 && /^(?:min|max)_of$/.test(m)) return 'minute';
    else if (/^\d+\.$/.test(m)) return m.slice(0, -1) + ' ';
    else if (/^(?:step|range)$/i.test(m)) return m.toLowerCase();
    return m;
  });
  if (rewritten === query) return { tree, error };
  const retried = parser.parse(rewritten);
  return firstError(retried) === undefined ? { tree: retried } : { tree, error };
}

/**
 * Parses and type-checks a query; errors are VIGIL_ERR_PROMQL_PARSE naming
 * the position. `timing` gives step() and range() in durations their values;
 * without it they are 0, so a query meant to run is parsed with it.
 */
export function parsePromql(query: string, timing?: QueryTiming): Expr {
  if (!query.trim()) throw new VigilError('VIGIL_ERR_PROMQL_PARSE', 'parse error: the query is empty');
  const p = new PromqlParser(query, timing);
  const { tree, error } = parseTree(query);
  if (error) {
    if (error.from >= query.trimEnd().length) {
      p.fail(error.from, `unexpected end of input after "${query.slice(Math.max(0, error.from - 30), error.from).trim()}"`);
    }
    const to = Math.max(error.to, Math.min(query.length, error.from + 20));
    p.fail(error.from, `unexpected "${query.slice(error.from, to)}"`);
  }
  const top = p.exprChildren(tree.topNode)[0];
  if (!top) p.fail(0, 'no expression found');
  const expr = p.convert(top);
  checkTypes(expr, query);
  return expr;
}
