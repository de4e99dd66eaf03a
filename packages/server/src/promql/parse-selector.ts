/**
 * Vector selectors (`name{l="v", "quoted"=~"re"}`) into matchers, with
 * Prometheus' checks: the name once, one matcher that cannot match empty.
 */
import type { SyntaxNode } from '@lezer/common';
import type { LabelMatcher, MatchOp } from '../logql/index.ts';
import { compileSafeRegex } from '../logql/index.ts';
import type { VectorSelector } from './ast.ts';
import type { PromqlParser } from './parse.ts';
import { matcherTest } from './labels.ts';

/** `labelSelector`: info()'s second argument, which may match the empty string (`{data=~".*"}`). */
export function convertSelector(p: PromqlParser, n: SyntaxNode, labelSelector = false): VectorSelector {
  const matchers: LabelMatcher[] = [];
  const ident = n.getChild('Identifier');
  const name = ident ? p.text(ident) : undefined;
  const list = n.getChild('LabelMatchers');
  for (let c = list?.firstChild; c; c = c.nextSibling) {
    if (c.name === 'QuotedLabelName') {
      matchers.push({ name: '__name__', op: '=', value: p.string(c.firstChild ?? c) });
      continue;
    }
    if (c.name !== 'UnquotedLabelMatcher' && c.name !== 'QuotedLabelMatcher') continue;
    const ln = c.getChild('LabelName') ?? c.getChild('QuotedLabelName');
    const label = ln!.name === 'LabelName' ? p.text(ln!) : p.string(ln!.firstChild ?? ln!);
    const op = p.text(c.getChild('MatchOp')!) as MatchOp;
    const value = p.string(c.getChild('StringLiteral', 'MatchOp') ?? c.lastChild!);
    if (op === '=~' || op === '!~') {
      try {
        compileSafeRegex(value, { anchored: true });
      } catch (err) {
        p.fail(c, err instanceof Error ? err.message : String(err));
      }
    }
    matchers.push({ name: label, op, value });
  }
  if (name !== undefined) {
    if (matchers.some((m) => m.name === '__name__')) p.fail(n, `metric name must not be set twice: "${name}"`);
    matchers.unshift({ name: '__name__', op: '=', value: name });
  }
  if (!labelSelector && matchers.every((m) => matcherTest(m)(''))) {
    p.fail(n, 'vector selector must contain at least one non-empty matcher');
  }
  return { kind: 'vector-selector', name, matchers, offsetMs: 0, pos: n.from };
}
