/** What every rule needs to evaluate once, and the label edits both kinds share. */
import type { RuleQueryEngine } from './engine.ts';
import type { RuleSource } from './spec.ts';

export interface EvalContext {
  /** The evaluation time: alert times and written samples use it. */
  atMs: number;
  /** atMs minus the group's query_offset. */
  queryAtMs: number;
  engine: RuleQueryEngine;
  source: RuleSource;
  /** 0 is no limit. */
  limit: number;
}

/** Sets each label; an empty value removes it, as Prometheus' labels.Builder does. */
export function withLabels(base: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  const out = { ...base };
  for (const [name, value] of Object.entries(extra)) {
    if (value === '') delete out[name];
    else out[name] = value;
  }
  return out;
}
