/**
 * Sensitive field-name matching. A configured name matches any key that
 * contains it, ignoring case, where a separator in the name (- _ . space)
 * matches any run of separators or none: `api_key` covers X-Api-Key, apiKey,
 * api.key and x_api_key. Names of three letters or fewer (ssn) must be a
 * whole word of the key instead (user_ssn, userSsn): as a substring "ssn"
 * would catch className.
 */

const SEPARATOR_RUN = /[-_.\s]+/;
const SEPARATOR_RUNS = /[-_.\s]+/g;
const CACHE_LIMIT = 4096;

export interface KeyMatcher {
  isSensitiveKey(name: string): boolean;
  /** True when a raw JSON text (without backslashes) may have a sensitive key. */
  rawJsonMayHaveSensitiveKey(json: string): boolean;
}

/** Lower-case parts of a name between separators: "X-Api_Key" → ["x", "api", "key"]. */
export function nameParts(name: string): string[] {
  return name.toLowerCase().split(SEPARATOR_RUN).filter((p) => p !== '');
}

/** Splits camelCase and separators into lower-case words joined by '_'. */
function toWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(SEPARATOR_RUNS, '_');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function termSource(name: string): string {
  return nameParts(name).map(escapeRegex).join('[-_.\\s]*');
}

export function createKeyMatcher(names: readonly string[]): KeyMatcher {
  const isShort = (n: string) => nameParts(n).join('').length <= 3;
  const long = names.filter((n) => !isShort(n));
  const short = names.filter(isShort);
  const longRe = alternation(long.map(termSource), 'i');
  const shortRe = alternation(short.map((n) => nameParts(n).map(escapeRegex).join('_')), '', '(?:^|_)(?:', ')(?:_|$)');
  const rawRe = alternation(names.map(termSource), 'gi');
  // Every match contains the longest part of some name, lower-cased: one
  // regex over the lower-cased line is a cheap first filter.
  const anchors = names.map((n) => nameParts(n).reduce((a, b) => (b.length > a.length ? b : a), ''));
  const anchorRe = alternation(anchors.map(escapeRegex), '');
  const cache = new Map<string, boolean>();

  const compute = (name: string): boolean =>
    (longRe !== null && longRe.test(name)) || (shortRe !== null && shortRe.test(toWords(name)));

  return {
    isSensitiveKey(name) {
      if (typeof name !== 'string') return false;
      let hit = cache.get(name);
      if (hit === undefined) {
        hit = compute(name);
        // Keys repeat across lines; bound the cache so odd inputs cannot grow it.
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(name, hit);
      }
      return hit;
    },
    rawJsonMayHaveSensitiveKey(json) {
      if (rawRe === null || anchorRe === null || !anchorRe.test(json.toLowerCase())) return false;
      return hasTermInKey(json, rawRe);
    },
  };
}

function alternation(parts: string[], flags: string, open = '(?:', close = ')'): RegExp | null {
  return parts.length === 0 ? null : new RegExp(`${open}${parts.join('|')}${close}`, flags);
}

/**
 * Finds a term whose enclosing string literal is followed by ':' (a key).
 * Words like "token" in a message value do not count, so such lines keep
 * the fast path. Each literal is inspected once: linear.
 */
function hasTermInKey(json: string, re: RegExp): boolean {
  re.lastIndex = 0;
  while (re.exec(json) !== null) {
    const quote = json.indexOf('"', re.lastIndex);
    if (quote === -1) return false;
    let i = quote + 1;
    while (i < json.length && isJsonSpace(json.charCodeAt(i))) i++;
    if (json.charCodeAt(i) === 58 /* : */) return true;
    re.lastIndex = quote + 1;
  }
  return false;
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
