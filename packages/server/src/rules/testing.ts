/** Test kit: a group over an in-memory querier whose sink writes back into it, as the server's does. */
import assert from 'node:assert/strict';
import type { LogSource } from '../logql/index.ts';
import { MemoryQuerier } from '../promql/index.ts';
import type { Series } from '../tsdb/model.ts';
import { localQueryEngine, type RuleQueryEngine, type RuleSink } from './engine.ts';
import { parseRuleFile } from './file.ts';
import { RuleGroup, type RuleGroupOptions } from './group.ts';

export const MINUTE = 60_000;

export interface GroupHarness {
  group: RuleGroup;
  querier: MemoryQuerier;
  engine: RuleQueryEngine;
  sink: RuleSink;
  written: Series[];
}

export function harness(yamlText: string, options: RuleGroupOptions = {}, logs?: LogSource): GroupHarness {
  const { groups, problems } = parseRuleFile(yamlText, 'rules.yml');
  assert.deepEqual(problems, []);
  const querier = new MemoryQuerier();
  const written: Series[] = [];
  const sink: RuleSink = {
    append(series) {
      written.push(...series);
      for (const s of series) querier.add(s.labels, s.samples);
    },
  };
  return { group: new RuleGroup(groups[0], options), querier, engine: localQueryEngine({ metrics: querier, logs }), sink, written };
}

/** `values[i]` at i minutes; undefined leaves a gap. */
export function addMinutely(querier: MemoryQuerier, labels: Record<string, string>, values: (number | undefined)[]): void {
  querier.add(labels, values.flatMap((v, i) => (v === undefined ? [] : [{ t: i * MINUTE, v }])));
}
