/**
 * Label matchers as Prometheus and Loki define them: regexes are anchored at
 * both ends, and a missing label matches as the empty string.
 */
import type { Labels } from '../ingest/model.ts';
import type { LabelMatcher } from '../logql/source.ts';
import { compileSafeRegex } from '../logql/index.ts';

export function compileMatchers(matchers: LabelMatcher[]): (labels: Labels) => boolean {
  const tests = matchers.map(compileMatcher);
  return (labels) => tests.every((test) => test(labels));
}

function compileMatcher(matcher: LabelMatcher): (labels: Labels) => boolean {
  const { name, op, value } = matcher;
  if (op === '=') return (labels) => (labels[name] ?? '') === value;
  if (op === '!=') return (labels) => (labels[name] ?? '') !== value;
  const regex = compileSafeRegex(value, { anchored: true });
  if (op === '=~') return (labels) => regex.test(labels[name] ?? '');
  return (labels) => !regex.test(labels[name] ?? '');
}
