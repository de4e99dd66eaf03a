/**
 * `$name` / `${name}` in panel queries. The UI substitutes the same way
 * (packages/ui/src/pages/dashboards/variables.ts); this copy lets the server
 * check that every built-in query parses once its variables are filled in.
 */

/** Chosen for "All": matches every value when used with `=~`. */
export const ALL_VALUE = '$__all';

/** A value made safe for `label=~"$name"`: regex metacharacters escaped, then escaped for a double-quoted string. */
export function escapeValue(value: string): string {
  const regex = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return regex.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * Replaces known variables; unknown `$words` are left as written (e.g. `$1` in
 * label_replace). `builtins` (like `__range`) are inserted as they are.
 */
export function substitute(query: string, values: Record<string, string>, builtins: Record<string, string> = {}): string {
  return query.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (name in builtins) return builtins[name];
    if (!(name in values)) return whole;
    return values[name] === ALL_VALUE ? '.*' : escapeValue(values[name]);
  });
}
