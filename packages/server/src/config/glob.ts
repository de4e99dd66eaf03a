/**
 * `rule_files` patterns as Prometheus takes them (filepath.Glob, plus `**`
 * for any depth): `*` and `?` within one path segment. Matching is a plain
 * wildcard walk, no regular expression; results are sorted.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

/** Wildcard match of one segment: `*` any run, `?` one character. Linear-time backtracking to the last `*`. */
export function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0, n = 0, star = -1, resume = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

const hasWildcard = (segment: string): boolean => segment.includes('*') || segment.includes('?');

function listDir(dir: string): { name: string; isDir: boolean }[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, isDir: e.isDirectory() }));
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function walk(dir: string, segments: string[], out: Set<string>): void {
  if (segments.length === 0) {
    if (isFile(dir)) out.add(dir);
    return;
  }
  const [head, ...rest] = segments;
  if (head === '**') {
    walk(dir, rest, out);
    for (const entry of listDir(dir)) if (entry.isDir && !entry.name.startsWith('.')) walk(join(dir, entry.name), segments, out);
    return;
  }
  if (!hasWildcard(head)) {
    walk(join(dir, head), rest, out);
    return;
  }
  for (const entry of listDir(dir)) {
    if (entry.name.startsWith('.') && !head.startsWith('.')) continue;
    if (wildcardMatch(head, entry.name)) walk(join(dir, entry.name), rest, out);
  }
}

/** Files matching `pattern` (relative to `baseDir` unless absolute), sorted. */
export function globFiles(pattern: string, baseDir: string): string[] {
  const absolute = isAbsolute(pattern) ? pattern : resolve(baseDir, pattern);
  const segments = absolute.split(sep).filter((s) => s !== '');
  const firstWild = segments.findIndex((s) => hasWildcard(s) || s === '**');
  if (firstWild < 0) return isFile(absolute) ? [absolute] : [];
  const root = sep + segments.slice(0, firstWild).join(sep);
  const out = new Set<string>();
  walk(root, segments.slice(firstWild), out);
  return [...out].sort();
}
