/** A recording rule: the query's vector, renamed to the record and relabelled. */
import { labelsKey } from '../promql/labels.ts';
import type { VectorSample } from './engine.ts';
import { withLabels, type EvalContext } from './rule.ts';
import type { RecordingRuleSpec } from './spec.ts';

export class RecordingRule {
  constructor(readonly spec: RecordingRuleSpec) {}

  get name(): string {
    return this.spec.record;
  }

  async eval(ctx: EvalContext): Promise<VectorSample[]> {
    const vector = await ctx.engine.instant(this.spec.expr, ctx.queryAtMs, ctx.source);
    const out = vector.map((s) => ({ labels: withLabels({ ...s.labels, __name__: this.spec.record }, this.spec.labels), value: s.value }));
    const keys = new Set(out.map((s) => labelsKey(s.labels)));
    if (keys.size < out.length) throw new Error('vector contains metrics with the same labelset after applying rule labels');
    if (ctx.limit > 0 && out.length > ctx.limit) throw new Error(`exceeded limit of ${ctx.limit} with ${out.length} series`);
    return out;
  }
}
