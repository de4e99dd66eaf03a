/**
 * The functions Alertmanager adds for notification templates
 * (alertmanager/template/template.go) that Prometheus does not already have.
 */
import { formatValue, goTypeName } from './go-format.ts';
import { asString, fixed, variadic, type FunctionSpec } from './functions.ts';
import { GoTime, toGoTime } from './go-time.ts';

function join(separator: unknown, items: unknown): string {
  if (!Array.isArray(items)) throw new Error(`wrong type for value; expected []string; got ${goTypeName(items)}`);
  return items.map((item) => (typeof item === 'string' ? item : formatValue(item))).join(asString(separator, 'separator'));
}

function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v instanceof GoTime ? v.date.toISOString() : v)) ?? 'null';
}

/** Alertmanager's `title` (cases.Title) lower-cases the rest of each word, unlike Prometheus'; pass it in ExecuteOptions.functions for receivers. */
export function alertmanagerTitle(text: unknown): string {
  return asString(text).toLowerCase().replace(/(^|[^\p{L}\p{N}'_])(\p{L})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

export const alertmanagerFunctions: Record<string, FunctionSpec> = {
  trimSpace: fixed(1, (s: unknown) => asString(s).trim()),
  join: fixed(2, join),
  stringSlice: variadic(0, (...items: unknown[]) => items.map((item) => asString(item))),
  safeUrl: fixed(1, (s: unknown) => asString(s)),
  urlUnescape: fixed(1, (s: unknown) => decodeURIComponent(asString(s).replace(/\+/g, ' '))),
  toJson: fixed(1, toJson),
  date: fixed(2, (layout: unknown, time: unknown) => toGoTime(time).Format(asString(layout, 'layout'))),
  tz: fixed(2, (zone: unknown, time: unknown) => new GoTime(toGoTime(time).date, asString(zone, 'zone'))),
};
