/**
 * Values the evaluator passes between nodes. Every node is evaluated over
 * all steps at once (an instant query is a range query with one step), so a
 * vector node yields one Vector per step and a scalar one number per step.
 */
import { VigilError } from '../errors.ts';
import type { SeriesQuerier } from '../tsdb/model.ts';
import type { Labels } from './labels.ts';

export interface VSample {
  labels: Labels;
  v: number;
  /** The sample's own timestamp, set by selectors (what timestamp() reads). */
  t?: number;
  /** `__name__` is to be removed from the output (Prometheus' delayed name removal). */
  drop?: boolean;
}
export type Vector = VSample[];

export interface RangeSeries {
  labels: Labels;
  drop: boolean;
  t: number[];
  v: number[];
}

export type Value =
  | { type: 'scalar'; v: Float64Array }
  | { type: 'vector'; steps: Vector[] }
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
  subqueryStepMs: number;
  budget: SampleBudget;
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
