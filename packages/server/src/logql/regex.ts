/**
 * Regular expressions from queries, with Go RE2 meaning in a JavaScript
 * engine. Users write RE2 (Loki and Prometheus use Go's regexp), and V8's
 * engine backtracks, so a pattern is read once here: RE2-only syntax is
 * translated (flags such as (?i), also mid-pattern as in a(?i:b) or a(?i)b,
 * (?P<name>…), \z, [[:alpha:]], \pL, \Q…\E), RE2's meaning is kept where
 * JavaScript differs (`.` excludes only \n, \s is ASCII),
 * and what RE2 refuses (backreferences, lookaround) or what can backtrack
 * exponentially (a repeated group that itself holds an unbounded repeat,
 * like (a+)+) is rejected before it reaches a worker thread that cannot be
 * interrupted mid-match.
 */
import { VigilError } from '../errors.ts';
import { translateRe2 } from './re2-translate.ts';

export const MAX_REGEX_LENGTH = 1000;

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 500;

/**
 * Compiles a user's RE2 pattern. `anchored` is for label matchers, which
 * must match the whole value as in Prometheus and Loki; line filters search.
 * Throws VIGIL_ERR_LOGQL_PARSE naming the pattern when it is refused.
 */
export function compileRegex(pattern: string, anchored: boolean): RegExp {
  const key = (anchored ? 'A' : 'U') + pattern;
  const hit = cache.get(key);
  if (hit) return hit;
  const shown = pattern.length > 80 ? pattern.slice(0, 80) + '…' : pattern;
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new VigilError('VIGIL_ERR_LOGQL_PARSE', `regex "${shown}" is ${pattern.length} characters long; the limit is ${MAX_REGEX_LENGTH}`);
  }
  let re: RegExp;
  try {
    const { body, flags: f } = translateRe2(pattern);
    const flags = 'u' + (f.i ? 'i' : '') + (f.m ? 'm' : '') + (f.s ? 's' : '');
    // With (?m), ^ and $ match at line breaks, so anchoring needs the text-boundary form.
    const src = !anchored ? body : f.m ? `(?<![\\s\\S])(?:${body})(?![\\s\\S])` : `^(?:${body})$`;
    re = new RegExp(src, flags);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new VigilError('VIGIL_ERR_LOGQL_PARSE', `invalid regex "${shown}": ${why}`, { cause: err });
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, re);
  return re;
}

/** The same, with the anchoring named; what stores use for `=~` / `!~` matchers. */
export function compileSafeRegex(pattern: string, options: { anchored: boolean }): RegExp {
  return compileRegex(pattern, options.anchored);
}
