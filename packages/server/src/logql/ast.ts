/**
 * Vigil's LogQL syntax tree: only what the engine evaluates. The lezer tree
 * is converted into this once (parse.ts), so evaluation never looks at
 * grammar node names, and anything the grammar accepts but the engine does
 * not is refused during that conversion.
 */
import type { LabelMatcher, MatchOp } from './source.ts';

export type LineFilterOp = '|=' | '!=' | '|~' | '!~';
export type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

/** `|= "a" or "b"`: for |= and |~ any value may match, for != and !~ none may. */
export interface LineFilterStage {
  kind: 'line_filter';
  op: LineFilterOp;
  values: string[];
}

/** A key path in `json label="a.b[0]"`: object keys and array indexes. */
export type JsonPath = (string | number)[];

export interface JsonStage {
  kind: 'json';
  /** Empty: extract every scalar, nested keys joined with `_`. */
  extractions: { label: string; path: JsonPath }[];
}

export interface LogfmtStage {
  kind: 'logfmt';
  /** Empty: extract every key. */
  extractions: { label: string; key: string }[];
  /** `--strict`: stop at the first malformed pair and mark the line with __error__. */
  strict: boolean;
}

export type LabelFilter =
  | { kind: 'and' | 'or'; left: LabelFilter; right: LabelFilter }
  | { kind: 'match'; name: string; op: MatchOp; value: string }
  /** Value is a plain number, nanoseconds for durations, bytes for sizes. */
  | { kind: 'compare'; name: string; op: CompareOp; value: number; unit: 'number' | 'duration' | 'bytes' };

export interface LabelFilterStage {
  kind: 'label_filter';
  filter: LabelFilter;
}

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'label'; name: string }
  /** `{{ __line__ }}`: the current line. */
  | { kind: 'line' };

export interface LineFormatStage {
  kind: 'line_format';
  template: TemplatePart[];
}

export type Stage = LineFilterStage | JsonStage | LogfmtStage | LabelFilterStage | LineFormatStage;

/** A log query: a stream selector and its pipeline. */
export interface LogQuery {
  kind: 'log';
  /** The stream selector `{…}` as matchers. */
  selector: LabelMatcher[];
  pipeline: Stage[];
}

export type RangeOp = 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate';

export interface RangeAggregation {
  kind: 'range_aggregation';
  op: RangeOp;
  query: LogQuery;
  rangeNs: bigint;
}

export interface Grouping {
  mode: 'by' | 'without';
  labels: string[];
}

export type VectorOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'topk' | 'bottomk';

export interface VectorAggregation {
  kind: 'vector_aggregation';
  op: VectorOp;
  /** k of topk/bottomk. */
  param?: number;
  /** Absent: aggregate everything into one series (topk/bottomk: one group). */
  grouping?: Grouping;
  inner: MetricExpr;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';
export type BinaryOp = ArithmeticOp | CompareOp;

/** Only between a vector and a number, or two numbers: vector-vector matching is not supported. */
export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  /** `> bool 2`: answer 0/1 instead of filtering. */
  returnBool: boolean;
  left: MetricExpr;
  right: MetricExpr;
}

export interface NumberLiteral {
  kind: 'number';
  value: number;
}

export type MetricExpr = RangeAggregation | VectorAggregation | BinaryExpr | NumberLiteral;

export type LogqlExpr = LogQuery | MetricExpr;

export function isMetricQuery(expr: LogqlExpr): expr is MetricExpr {
  return expr.kind !== 'log';
}

/** True when the expression's value is a vector, i.e. it reads logs somewhere. */
export function isVectorExpr(expr: MetricExpr): boolean {
  switch (expr.kind) {
    case 'number':
      return false;
    case 'binary':
      return isVectorExpr(expr.left) || isVectorExpr(expr.right);
    default:
      return true;
  }
}
