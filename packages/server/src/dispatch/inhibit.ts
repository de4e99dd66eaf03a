/**
 * Inhibition as Alertmanager's inhibit.go: a firing alert matching a rule's
 * source matchers mutes alerts matching its target matchers when both have
 * the same values for the rule's `equal` labels (a missing label equals a
 * missing label). When the target also matches the source side, sources
 * matching both sides are disregarded, so an alert never inhibits itself.
 */
import type { InhibitRule } from './config.ts';
import { compileMatchers } from './matchers.ts';
import type { LabelSet } from './model.ts';
import { isResolved, type StoredAlert } from './alert-store.ts';

interface CompiledRule {
  source: (labels: LabelSet) => boolean;
  target: (labels: LabelSet) => boolean;
  equal: string[];
}

export class Inhibitor {
  private readonly rules: CompiledRule[];

  constructor(rules: readonly InhibitRule[]) {
    this.rules = rules.map((r) => ({ source: compileMatchers(r.source_matchers), target: compileMatchers(r.target_matchers), equal: r.equal }));
  }

  /**
   * Indexes the firing source alerts once, by their `equal` values; the
   * returned function gives the fingerprints inhibiting a label set.
   */
  at(alerts: readonly StoredAlert[], atMs: number): (labels: LabelSet) => string[] {
    const sources = this.rules.map((rule) => {
      const byEqual = new Map<string, StoredAlert[]>();
      for (const alert of alerts) {
        if (isResolved(alert, atMs) || !rule.source(alert.labels)) continue;
        const key = equalKey(rule, alert.labels);
        const list = byEqual.get(key);
        if (list) list.push(alert);
        else byEqual.set(key, [alert]);
      }
      return byEqual;
    });
    return (labels) => {
      const by = new Set<string>();
      this.rules.forEach((rule, i) => {
        if (!rule.target(labels)) return;
        const twoSided = rule.source(labels);
        for (const source of sources[i].get(equalKey(rule, labels)) ?? []) {
          if (!(twoSided && rule.target(source.labels))) by.add(source.fingerprint);
        }
      });
      return [...by];
    };
  }
}

function equalKey(rule: CompiledRule, labels: LabelSet): string {
  return JSON.stringify(rule.equal.map((name) => (Object.hasOwn(labels, name) ? labels[name] : '')));
}
