/**
 * LogQL text into Vigil's AST, through the official lezer grammar.
 * Syntax errors name the position and the text there; valid LogQL the
 * engine does not evaluate is refused by name (VIGIL_ERR_LOGQL_UNSUPPORTED).
 */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import { VigilError } from '../errors.ts';
import {
  isVectorExpr,
  type BinaryOp,
  type Grouping,
  type LogqlExpr,
  type MetricExpr,
  type RangeOp,
  type VectorOp,
} from './ast.ts';
import { parseQueryDuration } from './literals.ts';
import { ParseContext } from './parse-context.ts';
import { convertLogQuery } from './parse-log.ts';

const RANGE_OPS: Record<string, RangeOp> = {
  CountOverTime: 'count_over_time', Rate: 'rate', BytesOverTime: 'bytes_over_time', BytesRate: 'bytes_rate',
};
const VECTOR_OPS: Record<string, VectorOp> = {
  Sum: 'sum', Avg: 'avg', Min: 'min', Max: 'max', Count: 'count', Topk: 'topk', Bottomk: 'bottomk',
};
const BINARY_OPS: Record<string, BinaryOp | 'and' | 'or' | 'unless'> = {
  Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^',
  Eql: '==', Neq: '!=', Gtr: '>', Gte: '>=', Lss: '<', Lte: '<=',
  And: 'and', Or: 'or', Unless: 'unless',
};
/** Prometheus precedence; the grammar's own tree does not encode it. */
const PRECEDENCE: Record<string, number> = {
  '^': 6, '*': 5, '/': 5, '%': 5, '+': 4, '-': 4,
  '==': 3, '!=': 3, '>': 3, '>=': 3, '<': 3, '<=': 3, and: 2, unless: 2, or: 1,
};

export function parseLogql(query: string): LogqlExpr {
  if (!query.trim()) throw new VigilError('VIGIL_ERR_LOGQL_PARSE', 'parse error: the query is empty');
  const ctx = new ParseContext(query);
  const tree = parser.parse(query);
  reportSyntaxError(ctx, tree.topNode);
  const expr = ctx.child(tree.topNode, 'Expr');
  const result = convertExpr(ctx, expr);
  if (result.kind !== 'log' && !isVectorExpr(result)) ctx.unsupported('a query made only of numbers (it needs a log stream selector)');
  return result;
}

function reportSyntaxError(ctx: ParseContext, top: SyntaxNode): void {
  let error: { from: number; to: number } | undefined;
  top.cursor().iterate((n) => {
    if (error) return false;
    if (n.type.isError) error = { from: n.from, to: n.to };
    return undefined;
  });
  if (!error) return;
  const q = ctx.query;
  const where = `parse error at ${ctx.position(error.from)}`;
  if (error.from >= q.trimEnd().length) {
    const before = q.slice(Math.max(0, error.from - 30), error.from).trimStart();
    throw new VigilError('VIGIL_ERR_LOGQL_PARSE', `${where}: unexpected end of query after "${before}"`);
  }
  const to = error.to > error.from ? error.to : Math.min(q.length, error.from + 20);
  const near = q.slice(Math.max(0, error.from - 20), error.from);
  throw new VigilError('VIGIL_ERR_LOGQL_PARSE', `${where}: syntax error at "${ctx.excerpt(error.from, to)}" (after "${near}")`);
}

function convertExpr(ctx: ParseContext, node: SyntaxNode): LogqlExpr {
  const log = node.getChild('LogExpr');
  if (log) return convertLogExpr(ctx, log);
  return convertMetric(ctx, ctx.child(node, 'MetricExpr'));
}

function convertLogExpr(ctx: ParseContext, node: SyntaxNode): LogqlExpr {
  const inner = node.getChild('LogExpr');
  if (inner) return convertLogExpr(ctx, inner);
  return convertLogQuery(ctx, ctx.child(node, 'Selector'), node.getChild('PipelineExpr'));
}

function convertMetric(ctx: ParseContext, node: SyntaxNode): MetricExpr {
  const c = node.firstChild;
  switch (c?.name) {
    case 'MetricExpr':
      return convertMetric(ctx, c);
    case 'RangeAggregationExpr':
      return convertRange(ctx, c);
    case 'VectorAggregationExpr':
      return convertVectorAggregation(ctx, c);
    case 'BinOpExpr':
      return convertBinary(ctx, c);
    case 'LiteralExpr':
      return { kind: 'number', value: literal(ctx, c) };
    case 'LabelReplaceExpr':
      return ctx.unsupported('label_replace()');
    case 'VectorExpr':
      return ctx.unsupported('vector()');
    default:
      return ctx.fail(node, 'unknown metric expression');
  }
}

function literal(ctx: ParseContext, node: SyntaxNode): number {
  const value = Number(ctx.text(node).replace(/\s+/g, ''));
  if (Number.isNaN(value)) ctx.fail(node, 'not a number');
  return value;
}

function convertRange(ctx: ParseContext, node: SyntaxNode): MetricExpr {
  const opNode = ctx.child(node, 'RangeOp').firstChild!;
  const op = RANGE_OPS[opNode.name];
  if (!op) {
    const over = ctx.text(opNode);
    ctx.unsupported(`the range function "${over}"${/_over_time$/.test(over) && over !== 'absent_over_time' ? ' (over unwrapped values)' : ''}`);
  }
  const grouping = node.getChild('Grouping');
  if (grouping) ctx.fail(grouping, `grouping not allowed for ${op} aggregation`);
  let range = ctx.child(node, 'LogRangeExpr');
  while (range.getChild('LogRangeExpr')) range = range.getChild('LogRangeExpr')!;
  if (range.getChild('OffsetExpr')) ctx.unsupported('the "offset" modifier');
  if (range.getChild('UnwrapExpr')) ctx.unsupported('"unwrap"');
  const durationNode = ctx.child(ctx.child(range, 'Range'), 'Duration');
  const rangeNs = parseQueryDuration(ctx.text(durationNode));
  if (!rangeNs) ctx.fail(durationNode, 'the range must be a positive duration');
  const query = convertLogQuery(ctx, ctx.child(range, 'Selector'), range.getChild('PipelineExpr'));
  return { kind: 'range_aggregation', op, query, rangeNs };
}

function convertVectorAggregation(ctx: ParseContext, node: SyntaxNode): MetricExpr {
  const opNode = ctx.child(node, 'VectorOp').firstChild!;
  const op = VECTOR_OPS[opNode.name];
  if (!op) ctx.unsupported(`the "${ctx.text(opNode)}" aggregation`);
  let grouping: Grouping | undefined;
  const g = node.getChild('Grouping');
  if (g) {
    const labels: string[] = [];
    const collect = (n: SyntaxNode | null): void => {
      for (let c = n?.firstChild; c; c = c.nextSibling) {
        if (c.name === 'Labels') collect(c);
        else if (c.name === 'Identifier') labels.push(ctx.text(c));
      }
    };
    collect(g.getChild('Labels'));
    grouping = { mode: g.getChild('Without') ? 'without' : 'by', labels };
  }
  const inner = convertMetric(ctx, ctx.child(node, 'MetricExpr'));
  if (!isVectorExpr(inner)) ctx.fail(node, `${op}() needs a vector (a range aggregation over logs), not a number`);
  const paramNode = node.getChild('Number');
  if ((op === 'topk' || op === 'bottomk') !== Boolean(paramNode)) {
    ctx.fail(node, op === 'topk' || op === 'bottomk' ? `${op} needs a parameter k` : `${op} takes no parameter`);
  }
  let param: number | undefined;
  if (paramNode) {
    param = Number(ctx.text(paramNode));
    if (!Number.isInteger(param) || param <= 0) ctx.fail(paramNode, `invalid parameter (must be a positive integer) for ${op}`);
  }
  return { kind: 'vector_aggregation', op, grouping, inner, ...(param === undefined ? {} : { param }) };
}

interface OpToken {
  op: BinaryOp | 'and' | 'or' | 'unless';
  bool: boolean;
  node: SyntaxNode;
}

/** The grammar nests `a + b * c` without precedence, so the chain is flattened and rebuilt. */
function convertBinary(ctx: ParseContext, node: SyntaxNode): MetricExpr {
  const operands: SyntaxNode[] = [];
  const ops: OpToken[] = [];
  const walk = (bin: SyntaxNode): void => {
    for (let c = bin.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Expr') {
        const nested = c.getChild('MetricExpr')?.getChild('BinOpExpr');
        if (nested) walk(nested);
        else operands.push(c);
      } else if (c.name in BINARY_OPS) {
        const mod = c.nextSibling?.name === 'BinOpModifier' ? c.nextSibling : null;
        if (mod && (mod.getChild('OnOrIgnoringModifier') || mod.getChild('GroupLeft') || mod.getChild('GroupRight'))) {
          ctx.unsupported('vector matching with on(), ignoring(), group_left or group_right');
        }
        ops.push({ op: BINARY_OPS[c.name], bool: Boolean(mod?.getChild('Bool')), node: c });
      }
    }
  };
  walk(node);
  const values: MetricExpr[] = operands.map((o) => {
    const e = convertExpr(ctx, o);
    if (e.kind === 'log') ctx.fail(o, 'a log query cannot be an operand of a binary operator');
    return e;
  });
  // Precedence climbing over the flat operand/operator lists.
  let pos = 0;
  const parseFrom = (minPrec: number): MetricExpr => {
    let left = values[pos];
    while (pos < ops.length && PRECEDENCE[ops[pos].op] >= minPrec) {
      const tok = ops[pos];
      const prec = PRECEDENCE[tok.op];
      pos++;
      const right = parseFrom(tok.op === '^' ? prec : prec + 1);
      left = binary(ctx, tok, left, right);
    }
    return left;
  };
  return parseFrom(0);
}

function binary(ctx: ParseContext, tok: OpToken, left: MetricExpr, right: MetricExpr): MetricExpr {
  const lv = isVectorExpr(left);
  const rv = isVectorExpr(right);
  if (tok.op === 'and' || tok.op === 'or' || tok.op === 'unless') ctx.unsupported(`the "${tok.op}" operator between vectors`);
  if (lv && rv) ctx.unsupported(`the binary operator "${tok.op}" between two vectors`);
  const comparison = PRECEDENCE[tok.op] === 3;
  if (tok.bool && !comparison) ctx.fail(tok.node, 'bool modifier can only be used on comparison operators');
  if (comparison && !lv && !rv && !tok.bool) ctx.fail(tok.node, 'comparisons between numbers must use the bool modifier');
  return { kind: 'binary', op: tok.op, returnBool: tok.bool, left, right };
}
