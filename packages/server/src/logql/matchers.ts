/**
 * Label matchers (`{app="api", env=~"prod|stage"}` and `| level != "debug"`)
 * as predicates. Stores use `matchesLabels` too, so every LogSource agrees
 * with the engine on what `=~` means (anchored RE2, see regex.ts).
 */
import type { Labels } from '../ingest/model.ts';
import { VigilError } from '../errors.ts';
import { getLabel } from './labels.ts';
import { compileRegex } from './regex.ts';
import type { LabelMatcher, LogSource, StreamRef } from './source.ts';

export type ValuePredicate = (value: string) => boolean;

/** A predicate on one label value; a missing label is the empty string, as in Prometheus. */
export function compileMatcher(m: LabelMatcher): ValuePredicate {
  switch (m.op) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    case '=~': {
      const re = compileRegex(m.value, true);
      return (v) => re.test(v);
    }
    case '!~': {
      const re = compileRegex(m.value, true);
      return (v) => !re.test(v);
    }
  }
}

/** A predicate on a whole label set: every matcher must hold. */
export function compileMatchers(matchers: LabelMatcher[]): (labels: Labels) => boolean {
  const compiled = matchers.map((m) => ({ name: m.name, test: compileMatcher(m) }));
  return (labels) => compiled.every((c) => c.test(getLabel(labels, c.name) ?? ''));
}

export function matchesLabels(matchers: LabelMatcher[], labels: Labels): boolean {
  return compileMatchers(matchers)(labels);
}

/**
 * Loki refuses selectors that would match every stream: at least one matcher
 * must not match the empty value (so `{app=~".*"}` and `{app!="x"}` alone
 * are refused, `{app=~".+"}` is fine).
 */
export function validateSelector(matchers: LabelMatcher[]): void {
  if (matchers.some((m) => !compileMatcher(m)(''))) return;
  throw new VigilError(
    'VIGIL_ERR_LOGQL_PARSE',
    'parse error: queries require at least one regexp or equality matcher that does not have an empty-compatible value. ' +
      'For instance, app=~".*" does not meet this requirement, but app=~".+" will',
  );
}

/** Matching streams by id; the engine re-checks the store's answer with its own matchers. */
export function resolveStreams(source: LogSource, matchers: LabelMatcher[]): Map<number, StreamRef> {
  const test = compileMatchers(matchers);
  const out = new Map<number, StreamRef>();
  for (const s of source.matchStreams(matchers)) if (test(s.labels)) out.set(s.id, s);
  return out;
}
