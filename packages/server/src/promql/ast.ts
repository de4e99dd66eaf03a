/**
 * Vigil's PromQL syntax tree: what the parser produces and the evaluator
 * walks. Deliberately small: parentheses, offsets and `@` are folded into
 * the nodes they modify, so the evaluator never sees grammar artefacts.
 */
import type { LabelMatcher } from '../logql/index.ts';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** `@ <time>` as written: a fixed Unix ms, or the query's start()/end(). */
export type AtModifier = number | 'start' | 'end';

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '^' | 'atan2'
  | '==' | '!=' | '>' | '<' | '>=' | '<='
  | 'and' | 'or' | 'unless';

export type AggregateOp =
  | 'sum' | 'avg' | 'min' | 'max' | 'count' | 'group' | 'stddev' | 'stdvar'
  | 'topk' | 'bottomk' | 'quantile' | 'count_values' | 'limitk' | 'limit_ratio';

export interface NumberLiteral { kind: 'number'; value: number; pos: number }
export interface StringLiteral { kind: 'string'; value: string; pos: number }

export interface VectorSelector {
  kind: 'vector-selector';
  name?: string;
  matchers: LabelMatcher[];
  offsetMs: number;
  at?: AtModifier;
  pos: number;
}

export interface MatrixSelector {
  kind: 'matrix-selector';
  selector: VectorSelector;
  rangeMs: number;
  pos: number;
}

export interface Subquery {
  kind: 'subquery';
  expr: Expr;
  rangeMs: number;
  /** 0 = the default subquery step. */
  stepMs: number;
  offsetMs: number;
  at?: AtModifier;
  pos: number;
}

export interface Call { kind: 'call'; func: string; args: Expr[]; pos: number }

export interface Aggregate {
  kind: 'aggregate';
  op: AggregateOp;
  expr: Expr;
  param?: Expr;
  /** Labels of `by (…)` or `without (…)`; `without` false with no labels = no grouping clause. */
  grouping: string[];
  without: boolean;
  pos: number;
}

export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** `on (…)` when true, `ignoring (…)` when false. */
  on: boolean;
  labels: string[];
  /** group_left/group_right extra labels. */
  include: string[];
  /** `fill(v)`, `fill_left(v)`, `fill_right(v)`: the value an operand missing on that side takes. */
  fillLeft?: number;
  fillRight?: number;
}

/** A binary operator's matching when the query names none. */
export const DEFAULT_MATCHING: VectorMatching = Object.freeze({ card: 'one-to-one', on: false, labels: [], include: [] });

export interface Binary {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  matching?: VectorMatching;
  pos: number;
}

export interface Unary { kind: 'unary'; op: '-' | '+'; expr: Expr; pos: number }
export interface Paren { kind: 'paren'; expr: Expr; pos: number }

export type Expr =
  | NumberLiteral | StringLiteral | VectorSelector | MatrixSelector | Subquery
  | Call | Aggregate | Binary | Unary | Paren;

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

export function unwrapParens(e: Expr): Expr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}
