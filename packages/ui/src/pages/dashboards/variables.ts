/**
 * Dashboard variables: `$name` / `${name}` in queries, the chosen values kept
 * in the URL as `var-<name>`. Mirrors packages/server/src/dashboards/variables.ts
 * (the server's copy checks that the built-in queries parse).
 */
import type { DashboardVariableSpec } from '../../api/client.ts';

export const ALL_VALUE = '$__all';

export type VariableValues = Record<string, string>;

/** A value made safe for `label=~"$name"`: regex-escaped, then escaped for a double-quoted string. */
export function escapeValue(value: string): string {
  const regex = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return regex.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function replaceVariables(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => lookup((braced ?? bare)!) ?? whole);
}

/** For queries: All → `.*`, values escaped; `builtins` such as `__range` go in as they are. */
export function substitute(query: string, values: VariableValues, builtins: Record<string, string> = {}): string {
  return replaceVariables(query, (name) => {
    if (name in builtins) return builtins[name];
    if (!(name in values)) return undefined;
    return values[name] === ALL_VALUE ? '.*' : escapeValue(values[name]);
  });
}

/** For link URLs: the raw value, URL-encoded. */
export function substituteLink(url: string, values: VariableValues): string {
  return replaceVariables(url, (name) => (name in values ? encodeURIComponent(values[name] === ALL_VALUE ? 'All' : values[name]) : undefined));
}

/** `label_values(<selector>, <label>)` → its parts; undefined when the text is not one. */
export function parseLabelValues(query: string): { selector?: string; label: string } | undefined {
  const match = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/.exec(query);
  return match ? { selector: match[1], label: match[2] } : undefined;
}

/** The value shown: the URL's, else the file's default, else All (when offered), else the first. */
export function chosenValue(variable: DashboardVariableSpec, params: URLSearchParams, options: string[]): string {
  const fromUrl = params.get(`var-${variable.name}`);
  if (fromUrl !== null) return fromUrl;
  if (variable.default !== undefined) return variable.default === 'all' && variable.include_all ? ALL_VALUE : variable.default;
  if (variable.include_all) return ALL_VALUE;
  return options[0] ?? '';
}

/** `{{route}}` in a legend → that label's value. */
export function legendFor(template: string | undefined, metric: Record<string, string>, fallback: string): string {
  if (!template) return fallback;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_whole, name: string) => metric[name] ?? '');
}

/** Seconds as a PromQL/LogQL duration, for `$__range` and `$__interval`. */
export function durationText(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}
