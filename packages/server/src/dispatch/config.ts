/**
 * The whole Alertmanager configuration in Alertmanager's own YAML keys, so
 * an existing alertmanager.yml loads unchanged. Durations come out in ms;
 * `matchers`, `match` and `match_re` come out as one Matcher list; the
 * legacy top-level `mute_time_intervals` is merged into `time_intervals`.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { VigilError, isVigilError } from '../errors.ts';
import { globalSchema, receiverSchema, type GlobalConfig, type ReceiverConfig } from '../notify/config.ts';
import { parsePromDuration } from '../scrape/index.ts';
import { matchersFromLegacy, parseMatchers, type Matcher } from './matchers.ts';
import { timeIntervalSchema, type TimeIntervalSpec } from './time-intervals.ts';

/** A route as parsed; timings undefined mean "inherit from the parent" (the root always has them). */
export interface RouteConfig {
  receiver?: string;
  /** ['...'] groups by every label. */
  group_by?: string[];
  continue: boolean;
  matchers: Matcher[];
  group_wait?: number;
  group_interval?: number;
  repeat_interval?: number;
  mute_time_intervals: string[];
  active_time_intervals: string[];
  routes: RouteConfig[];
}

export interface InhibitRule {
  source_matchers: Matcher[];
  target_matchers: Matcher[];
  equal: string[];
}

export interface NamedTimeInterval {
  name: string;
  time_intervals: TimeIntervalSpec[];
}

export interface AlertmanagerConfig {
  global: GlobalConfig;
  route: RouteConfig & { receiver: string; group_wait: number; group_interval: number; repeat_interval: number };
  receivers: ReceiverConfig[];
  inhibit_rules: InhibitRule[];
  time_intervals: NamedTimeInterval[];
  /** Absolute paths or globs, resolved against the config file's folder. */
  templates: string[];
}

const ROOT_DEFAULTS = { group_wait: 30_000, group_interval: 300_000, repeat_interval: 14_400_000 };

const duration = z.string({ error: 'use a duration such as 30s, 5m, 4h' }).transform((text, ctx) => {
  const ms = parsePromDuration(text);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration; use e.g. 30s, 5m, 4h` });
  return ms ?? 0;
});

const positiveDuration = (what: string) => duration.refine((ms) => ms > 0, { error: `${what} cannot be zero` });

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'not a valid label name');

/** Each string may hold several matchers, as in Alertmanager (`- foo=bar, baz=~"x"`). */
const matcherStrings = z.array(z.string()).transform((lines, ctx): Matcher[] =>
  lines.flatMap((line) => {
    try {
      return parseMatchers(line);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: isVigilError(err) ? err.message : String(err) });
      return [];
    }
  }),
);

/** Legacy maps: values are checked when they become matchers. */
const legacyMatch = z.record(labelName, z.string());

function legacy(match: Record<string, string> | undefined, matchRe: Record<string, string> | undefined, ctx: z.RefinementCtx, path: string): Matcher[] {
  try {
    return matchersFromLegacy(match, matchRe);
  } catch (err) {
    ctx.addIssue({ code: 'custom', path: [path], message: (err as Error).message });
    return [];
  }
}

const groupBy = z.array(z.string()).superRefine((names, ctx) => {
  if (names.includes('...') && names.length > 1) ctx.addIssue({ code: 'custom', message: "cannot have wildcard group_by ('...') and other labels at the same time" });
  const seen = new Set<string>();
  for (const name of names) {
    if (name !== '...' && !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) ctx.addIssue({ code: 'custom', message: `"${name}" is not a valid label name` });
    if (seen.has(name)) ctx.addIssue({ code: 'custom', message: `duplicated label "${name}" in group_by` });
    seen.add(name);
  }
});

const routeShape = z
  .object({
    receiver: z.string().min(1).optional(),
    group_by: groupBy.optional(),
    continue: z.boolean().default(false),
    matchers: matcherStrings.optional(),
    match: legacyMatch.optional(),
    match_re: legacyMatch.optional(),
    group_wait: duration.optional(),
    group_interval: positiveDuration('group_interval').optional(),
    repeat_interval: positiveDuration('repeat_interval').optional(),
    mute_time_intervals: z.array(z.string()).default([]),
    active_time_intervals: z.array(z.string()).default([]),
    get routes() {
      return z.array(routeSchema).default([]);
    },
  })
  .strict();

const routeSchema: z.ZodType<RouteConfig, unknown> = routeShape.transform((r, ctx): RouteConfig => {
  const { match, match_re, matchers, ...rest } = r;
  return { ...rest, matchers: [...(matchers ?? []), ...legacy(match, match_re, ctx, 'match_re')] };
}) as z.ZodType<RouteConfig, unknown>;

const inhibitRuleSchema = z
  .object({
    source_matchers: matcherStrings.optional(),
    target_matchers: matcherStrings.optional(),
    source_match: legacyMatch.optional(),
    source_match_re: legacyMatch.optional(),
    target_match: legacyMatch.optional(),
    target_match_re: legacyMatch.optional(),
    equal: z.array(labelName).default([]),
  })
  .strict()
  .transform((r, ctx): InhibitRule => ({
    source_matchers: [...(r.source_matchers ?? []), ...legacy(r.source_match, r.source_match_re, ctx, 'source_match_re')],
    target_matchers: [...(r.target_matchers ?? []), ...legacy(r.target_match, r.target_match_re, ctx, 'target_match_re')],
    equal: r.equal,
  }));

const namedTimeIntervalSchema = z.object({ name: z.string().min(1), time_intervals: z.array(timeIntervalSchema) }).strict();

export const alertmanagerConfigSchema = z
  .object({
    global: globalSchema.prefault({}),
    route: routeSchema.optional(),
    receivers: z.array(receiverSchema).default([]),
    inhibit_rules: z.array(inhibitRuleSchema).default([]),
    time_intervals: z.array(namedTimeIntervalSchema).default([]),
    mute_time_intervals: z.array(namedTimeIntervalSchema).default([]),
    templates: z.array(z.string()).default([]),
    /** Accepted so that an alertmanager.yml with tracing loads; Vigil traces nothing here. */
    tracing: z.unknown().optional(),
  })
  .strict()
  .superRefine((c, ctx) => checkReferences(c, ctx), { when: () => true })
  .transform((c): Omit<AlertmanagerConfig, 'templates'> & { templates: string[] } => ({
    global: c.global,
    route: { ...c.route!, ...withRootDefaults(c.route!), receiver: c.route!.receiver! },
    receivers: c.receivers,
    inhibit_rules: c.inhibit_rules,
    time_intervals: [...c.time_intervals, ...c.mute_time_intervals],
    templates: c.templates,
  }));

function withRootDefaults(route: RouteConfig) {
  return {
    group_wait: route.group_wait ?? ROOT_DEFAULTS.group_wait,
    group_interval: route.group_interval ?? ROOT_DEFAULTS.group_interval,
    repeat_interval: route.repeat_interval ?? ROOT_DEFAULTS.repeat_interval,
  };
}

interface ParsedSections {
  route?: RouteConfig;
  receivers: ReceiverConfig[];
  time_intervals: NamedTimeInterval[];
  mute_time_intervals: NamedTimeInterval[];
}

type Problem = (path: (string | number)[], message: string) => void;

/**
 * Alertmanager's cross-field checks: root route, receiver names, time
 * interval names. They run beside structural errors so that one pass lists
 * everything, each only over the sections that parsed.
 */
function checkReferences(c: ParsedSections, ctx: z.RefinementCtx): void {
  const problem: Problem = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const paths = ctx.issues.map((issue) => issue.path ?? []);
  const broken = (section: string) => paths.some((path) => path[0] === section && (path.length <= 2 || path[2] === 'name'));
  const receivers = broken('receivers') ? undefined : uniqueNames(c.receivers, ['receivers'], 'receiver', problem);
  const intervals =
    broken('time_intervals') || broken('mute_time_intervals')
      ? undefined
      : uniqueNames([...c.time_intervals, ...c.mute_time_intervals], ['time_intervals', 'mute_time_intervals'], 'time interval', problem, c.time_intervals.length);
  if (!c.route) return problem(['route'], 'no route given; the root route with a receiver is required');
  if (paths.some((path) => path[0] === 'route')) return;
  checkRoot(c.route, problem);
  walkRoutes(c.route, ['route'], (route, path) => {
    if (route.receiver && receivers && !receivers.has(route.receiver)) problem([...path, 'receiver'], `receiver "${route.receiver}" is not defined in receivers`);
    for (const key of ['mute_time_intervals', 'active_time_intervals'] as const) {
      route[key].forEach((name, i) => {
        if (intervals && !intervals.has(name)) problem([...path, key, i], `time interval "${name}" is not defined in time_intervals`);
      });
    }
  });
}

/** The names of a list, reporting repeats; `splitAt` is where the second section of a merged list starts. */
function uniqueNames(items: { name: string }[], sections: string[], what: string, problem: Problem, splitAt = items.length): Set<string> {
  const names = new Set<string>();
  items.forEach((item, i) => {
    const [section, index] = i < splitAt ? [sections[0], i] : [sections[1], i - splitAt];
    if (names.has(item.name)) problem([section, index, 'name'], `${what} "${item.name}" is defined more than once`);
    names.add(item.name);
  });
  return names;
}

function checkRoot(root: RouteConfig, problem: Problem): void {
  if (!root.receiver) problem(['route', 'receiver'], 'the root route must have a receiver');
  if (root.continue) problem(['route', 'continue'], 'the root route cannot have continue');
  if (root.matchers.length > 0) problem(['route', 'matchers'], 'the root route must not have any matchers');
  if (root.mute_time_intervals.length > 0) problem(['route', 'mute_time_intervals'], 'the root route must not have any mute time intervals');
  if (root.active_time_intervals.length > 0) problem(['route', 'active_time_intervals'], 'the root route must not have any active time intervals');
}

function walkRoutes(route: RouteConfig, path: (string | number)[], visit: (route: RouteConfig, path: (string | number)[]) => void): void {
  visit(route, path);
  route.routes.forEach((child, i) => walkRoutes(child, [...path, 'routes', i], visit));
}

/** Parses a decoded alertmanager.yml; `baseDir` resolves relative `templates`. Throws listing every problem. */
export function parseAlertmanagerConfig(raw: unknown, baseDir = process.cwd()): AlertmanagerConfig {
  const result = alertmanagerConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.flatMap(formatIssue);
    throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `invalid Alertmanager configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = result.data as AlertmanagerConfig;
  return { ...config, templates: config.templates.map((glob) => (isAbsolute(glob) ? glob : resolve(baseDir, glob))) };
}

export function loadAlertmanagerConfigFile(path: string): AlertmanagerConfig {
  let text: string;
  let raw: unknown;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  return parseAlertmanagerConfig(raw, dirname(resolve(path)));
}

function formatIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String);
  const dotted = (p: string[]) => (p.length === 0 ? '(top level)' : p.join('.'));
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${dotted([...path, key])}: unknown key`);
  return [`${dotted(path)}: ${issue.message}`];
}

/** One receiver "default" with no integrations, and the root route to it. */
/** One receiver without integrations: alerts are grouped and visible, nothing is sent. */
export const defaultAlertmanagerSource = { route: { receiver: 'default' }, receivers: [{ name: 'default' }] };
export const defaultAlertmanagerConfig: AlertmanagerConfig = parseAlertmanagerConfig(defaultAlertmanagerSource);
