/**
 * Metric queries: evaluation at start, start + step, … ≤ end, with
 * Loki/Prometheus semantics (a range [r] at time t covers (t − r, t]; a
 * series has no point where its window holds no line). An instant query
 * is the same evaluation with a single step.
 */
import type { Labels } from '../ingest/model.ts';
import { VigilError } from '../errors.ts';
import type { ArithmeticOp, BinaryExpr, LogqlExpr, MetricExpr } from './ast.ts';
import { aggregate } from './aggregate.ts';
import { labelsKey, sortedLabels } from './labels.ts';
import { comparator } from './pipeline.ts';
import { evalRange, type Series, type StepGrid } from './range-eval.ts';
import type { LogSource } from './source.ts';

export interface MatrixResult {
  series: { labels: Labels; points: [number /* unix ms */, number][] }[];
}

export interface VectorResult {
  samples: { labels: Labels; tsMs: number; value: number }[];
}

export interface MetricOptions {
  startNs: bigint;
  endNs: bigint;
  stepNs: bigint;
}

/** Prometheus and Loki refuse more points per series than this. */
export const MAX_STEPS = 11_000;

type Value = { kind: 'vector'; series: Series[] } | { kind: 'scalar'; value: number };

export function evalMetric(expr: LogqlExpr, source: LogSource, opts: MetricOptions): MatrixResult {
  if (expr.kind === 'log') {
    throw new VigilError('VIGIL_ERR_QUERY_PARAM', 'expected a metric query (such as rate({…}[5m])), got a log query');
  }
  if (opts.stepNs <= 0n) throw new VigilError('VIGIL_ERR_QUERY_PARAM', `step must be positive, got ${opts.stepNs}ns`);
  if (opts.endNs < opts.startNs) throw new VigilError('VIGIL_ERR_QUERY_PARAM', 'end must not be before start');
  const stepCount = (opts.endNs - opts.startNs) / opts.stepNs + 1n;
  if (stepCount > BigInt(MAX_STEPS)) {
    throw new VigilError('VIGIL_ERR_QUERY_PARAM', `too many points per series (${stepCount}); the limit is ${MAX_STEPS}, use a larger step`);
  }
  const grid: StepGrid = { startNs: opts.startNs, stepNs: opts.stepNs, steps: Number(stepCount) };
  const value = evalNode(expr, source, grid);
  const all: Series[] =
    value.kind === 'vector'
      ? value.series
      : [{ labels: {}, steps: [...Array(grid.steps).keys()], values: Array(grid.steps).fill(value.value) }];
  const ms = (i: number): number => Number((opts.startNs + BigInt(i) * opts.stepNs) / 1_000_000n);
  return {
    series: all
      .filter((s) => s.steps.length > 0)
      .map((s) => ({ key: labelsKey(s.labels), s }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ s }) => ({ labels: sortedLabels(s.labels), points: s.steps.map((i, j): [number, number] => [ms(i), s.values[j]]) })),
  };
}

export function evalInstant(expr: LogqlExpr, source: LogSource, opts: { timeNs: bigint }): VectorResult {
  const m = evalMetric(expr, source, { startNs: opts.timeNs, endNs: opts.timeNs, stepNs: 1n });
  return { samples: m.series.map((s) => ({ labels: s.labels, tsMs: s.points[0][0], value: s.points[0][1] })) };
}

function evalNode(expr: MetricExpr, source: LogSource, grid: StepGrid): Value {
  switch (expr.kind) {
    case 'number':
      return { kind: 'scalar', value: expr.value };
    case 'range_aggregation':
      return { kind: 'vector', series: evalRange(expr, source, grid) };
    case 'vector_aggregation': {
      // sum over a range aggregation is folded into the counting (see SumReduction).
      if (expr.op === 'sum' && expr.inner.kind === 'range_aggregation') {
        const reduce = expr.grouping ?? { mode: 'by' as const, labels: [] };
        return { kind: 'vector', series: evalRange(expr.inner, source, grid, reduce) };
      }
      const inner = evalNode(expr.inner, source, grid);
      if (inner.kind !== 'vector') throw new VigilError('VIGIL_ERR_LOGQL_PARSE', `${expr.op}() needs a vector, not a number`);
      return { kind: 'vector', series: aggregate(expr, inner.series, grid.steps) };
    }
    case 'binary':
      return evalBinary(expr, evalNode(expr.left, source, grid), evalNode(expr.right, source, grid));
  }
}

function arithmetic(op: ArithmeticOp): (a: number, b: number) => number {
  switch (op) {
    case '+': return (a, b) => a + b;
    case '-': return (a, b) => a - b;
    case '*': return (a, b) => a * b;
    case '/': return (a, b) => a / b;
    case '%': return (a, b) => a % b;
    case '^': return (a, b) => a ** b;
  }
}

const isComparison = (op: string): boolean => ['==', '!=', '>', '>=', '<', '<='].includes(op);

function evalBinary(expr: BinaryExpr, left: Value, right: Value): Value {
  const { op, returnBool } = expr;
  if (left.kind === 'scalar' && right.kind === 'scalar') {
    const v = isComparison(op) ? Number(comparator(op)(left.value, right.value)) : arithmetic(op as ArithmeticOp)(left.value, right.value);
    return { kind: 'scalar', value: v };
  }
  if (left.kind === 'vector' && right.kind === 'vector') {
    throw new VigilError('VIGIL_ERR_LOGQL_UNSUPPORTED', `unsupported in LogQL: the binary operator "${op}" between two vectors`);
  }
  const vectorOnLeft = left.kind === 'vector';
  const series = vectorOnLeft ? left.series : (right as { series: Series[] }).series;
  const scalar = vectorOnLeft ? (right as { value: number }).value : (left as { value: number }).value;
  const cmp = isComparison(op) ? comparator(op) : undefined;
  const arith = cmp ? undefined : arithmetic(op as ArithmeticOp);
  const out: Series[] = [];
  for (const s of series) {
    const r: Series = { labels: s.labels, steps: [], values: [] };
    s.steps.forEach((i, j) => {
      const v = s.values[j];
      const [a, b] = vectorOnLeft ? [v, scalar] : [scalar, v];
      if (cmp) {
        const keep = cmp(a, b);
        // Without bool a comparison filters, keeping the vector's value whichever side it is on.
        if (returnBool) r.values.push(keep ? 1 : 0);
        else if (keep) r.values.push(v);
        else return;
      } else {
        r.values.push(arith!(a, b));
      }
      r.steps.push(i);
    });
    if (r.steps.length) out.push(r);
  }
  return { kind: 'vector', series: out };
}
