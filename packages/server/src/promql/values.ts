/**
 * Values the evaluator passes between nodes. Every node is evaluated over
 * all steps at once (an instant query is a range query with one step), so a
 * vector node yields one Vector per step and a scalar one number per step.
 */
import { VigilError } from '../errors.ts';
import type { SeriesColumns, SeriesQuerier } from '../tsdb/model.ts';
import type { FloatHistogram } from './histogram.ts';
import type { Labels } from './labels.ts';

export interface VSample {
  labels: Labels;
  v: number;
  /** The sample's own timestamp, set by selectors (what timestamp() reads). */
  t?: number;
  /** `__name__` is to be removed from the output (Prometheus' delayed name removal). */
  drop?: boolean;
  /** A native histogram sample: `v` is then meaningless. */
  h?: FloatHistogram;
}
export type Vector = VSample[];

/** Per sample, its histogram or undefined for a float; absent when the series has floats only. */
export type HistogramColumn = (FloatHistogram | undefined)[];

export interface RangeSeries {
  labels: Labels;
  drop: boolean;
  t: Float64Array;
  v: Float64Array;
  h?: HistogramColumn;
}

/** A store's series columns plus, from queriers that hold native histograms, the histogram column. */
export type HistogramSeriesColumns = SeriesColumns & { h?: HistogramColumn };

/**
 * A vector over all steps held per series, as range functions produce it:
 * the value of series s at step i is `values[s * steps + i]` where
 * `present[s * steps + i]` is 1. Consumers that know it (aggregations, the
 * range result) skip the per-step sample objects; others read `steps`.
 */
export interface SeriesVector {
  labels: Labels[];
  drop: boolean[];
  steps: number;
  values: Float64Array;
  present: Uint8Array;
}

export type Value =
  | { type: 'scalar'; v: Float64Array }
  | { type: 'vector'; steps: Vector[]; bySeries?: SeriesVector }
  | { type: 'string'; s: string }
  | { type: 'matrix'; series: RangeSeries[] };

export interface EvalContext {
  querier: SeriesQuerier;
  /** Step timestamps, ms, ascending. */
  times: number[];
  lookbackMs: number;
  /** The outer query's start and end, what `@ start()` and `@ end()` mean. */
  queryStart: number;
  queryEnd: number;
  /** The range query's step, ms; 0 for an instant query (what `step()` returns). */
  queryStepMs: number;
  subqueryStepMs: number;
  budget: SampleBudget;
  /** Warnings and infos raised during evaluation (shared with subquery contexts). */
  annotations?: Annotations;
  /** True for a range query (evalRange), where sorting functions have no effect. */
  rangeQuery?: boolean;
  /** Most series × steps a range function's result may hold as dense columns (see EvalOptions). */
  maxDenseCells: number;
}

/** Prometheus-style annotations: text plus the byte offset of the sub-expression that raised it. */
export class Annotations {
  readonly items = new Map<string, { kind: 'warning' | 'info'; text: string; pos: number }>();
  add(kind: 'warning' | 'info', text: string, pos: number): void {
    const key = `${kind}\u0000${pos}\u0000${text}`;
    if (!this.items.has(key)) this.items.set(key, { kind, text, pos });
  }
  /** `PromQL warning: <text> (L:C)` strings, positions 1-based in `query`. */
  format(query: string | undefined): { warnings: string[]; infos: string[] } {
    const warnings: string[] = [];
    const infos: string[] = [];
    for (const a of this.items.values()) {
      let line = 1;
      let col = a.pos + 1;
      if (query !== undefined) {
        const head = query.slice(0, a.pos);
        const nl = head.lastIndexOf('\n');
        line = head.split('\n').length;
        col = Buffer.byteLength(head.slice(nl + 1)) + 1;
      }
      const s = `PromQL ${a.kind}: ${a.text} (${line}:${col})`;
      (a.kind === 'warning' ? warnings : infos).push(s);
    }
    return { warnings, infos };
  }
}

export function warn(ctx: EvalContext, text: string, pos: number): void {
  ctx.annotations?.add('warning', text, pos);
}

export function info(ctx: EvalContext, text: string, pos: number): void {
  ctx.annotations?.add('info', text, pos);
}

/** Infos and warnings an operation raises, already worded; whoever made it knows the position. */
export interface Notes {
  info(text: string): void;
  warn(text: string): void;
}

export const NO_NOTES: Notes = { info: () => {}, warn: () => {} };

/** Notes that become the query's annotations at `pos`. */
export function notesAt(ctx: EvalContext, pos: number): Notes {
  return { info: (text) => info(ctx, text, pos), warn: (text) => warn(ctx, text, pos) };
}

/** A float as Go's %g prints it (NaN, +Inf, -Inf, 1.1, 2). */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function invalidQuantile(ctx: EvalContext, q: number, pos: number): void {
  if (Number.isNaN(q) || q < 0 || q > 1) warn(ctx, `quantile value should be between 0 and 1, got ${goFloat(q)}`, pos);
}

/** Counts samples a query holds, failing it clearly past the limit. */
export class SampleBudget {
  private used = 0;
  constructor(readonly max: number, readonly deadline: number) {}

  add(n: number): void {
    this.used += n;
    if (this.used > this.max) {
      throw new VigilError(
        'VIGIL_ERR_PROMQL_TOO_MANY_SAMPLES',
        `query processing would load too many samples into memory in query execution (limit ${this.max})`,
      );
    }
  }

  release(n: number): void {
    this.used -= n;
  }

  checkDeadline(): void {
    if (Date.now() > this.deadline) throw new VigilError('VIGIL_ERR_QUERY_TIMEOUT', 'query timed out in query execution');
  }
}

export function execError(message: string): never {
  throw new VigilError('VIGIL_ERR_PROMQL_EXECUTION', message);
}

export function scalarSteps(n: number, value: number): Value {
  return { type: 'scalar', v: new Float64Array(n).fill(value) };
}

/** A vector value over a SeriesVector; its per-step samples are built on first read, once. */
export function seriesVectorValue(sv: SeriesVector): Value {
  let steps: Vector[] | undefined;
  return {
    type: 'vector',
    bySeries: sv,
    get steps(): Vector[] {
      return (steps ??= stepsOf(sv));
    },
  };
}

/** Per step, the present series in series order (the order a per-step evaluation gives). */
function stepsOf({ labels, drop, steps: n, values, present }: SeriesVector): Vector[] {
  const steps: Vector[] = Array.from({ length: n }, () => []);
  for (let s = 0; s < labels.length; s++) {
    for (let i = 0, at = s * n; i < n; i++, at++) if (present[at] === 1) steps[i].push({ labels: labels[s], v: values[at], drop: drop[s] });
  }
  return steps;
}
