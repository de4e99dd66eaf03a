/**
 * `vigil test alerting FILE...`: one test file checks the whole path in CI.
 * Its rule part is promtool's format, unchanged (`rule_files`,
 * `evaluation_interval`, `group_eval_order`, `tests`); its alerting part
 * names an Alertmanager configuration and says, at given instants, which
 * receivers an alert notifies, given other firing alerts (inhibition),
 * silences and time intervals. With an `oncall:` section, a route test may
 * also say whom the alert pages, and when, if nobody acknowledges.
 * Format: docs/reference/alerting-tests.md.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { formatDurationMs, parseDurationMs } from '../config/duration.ts';
import {
  Dispatcher,
  loadAlertmanagerConfigFile,
  parseAlertmanagerConfig,
  parseMatcher,
  type AlertmanagerConfig,
  type LabelSet,
} from '../dispatch/index.ts';
import { Silences, parsePostableSilence } from '../dispatch/silences.ts';
import { VigilError } from '../errors.ts';
import { oncallConfigSchema } from '../oncall/config.ts';
import type { OncallConfig } from '../oncall/model.ts';
import { simulatePages } from '../oncall/simulate.ts';
import { parseTestFile, ruleTestFailures } from '../rules/index.ts';

const labelSet = z.record(z.string(), z.string());
const instant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not an RFC 3339 time, e.g. 2026-11-29T03:00:00Z');

const silence = z
  .object({
    /** Alertmanager matcher strings, e.g. 'job="backup"', 'env=~"prod|staging"'. */
    matchers: z.array(z.string()).min(1),
    starts_at: instant.optional(),
    ends_at: instant.optional(),
    recurrence: z.array(z.unknown()).optional(),
    created_by: z.string().default('test'),
    comment: z.string().default('test'),
  })
  .strict();

const offset = z.union([z.string(), z.literal(0)]).transform((value, ctx) => {
  const ms = value === 0 || value === '0' ? 0 : parseDurationMs(value);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration, e.g. 0m, 5m, 1h` });
  return ms ?? 0;
});

/** "pages this person this long after `at`, if nobody acknowledges". */
const pageAssertion = z.object({ person: z.string().min(1), after: offset }).strict();

const routeTest = z
  .object({
    name: z.string().default(''),
    /** Default: Monday 2026-01-05 12:00 UTC, so tests without time intervals need no instant. */
    at: instant.default('2026-01-05T12:00:00Z'),
    alert: labelSet,
    /** Other alerts firing at that instant: the sources of inhibition. */
    firing: z.array(labelSet).default([]),
    silences: z.array(silence).default([]),
    /** Exactly the receivers notified; [] when the alert is silenced, inhibited or muted everywhere. */
    notifies: z.array(z.string()),
    /** When given, every notified route groups by exactly these labels. */
    group_by: z.array(z.string()).optional(),
    /** When given, exactly these pages (up to the last one + 1 minute) from the notified receivers' escalation policies. */
    pages: z.array(pageAssertion).optional(),
  })
  .strict();

const alertingPart = z
  .object({
    alertmanager: z.record(z.string(), z.unknown()).optional(),
    alertmanager_config_file: z.string().optional(),
    route_tests: z.array(routeTest).default([]),
    /** Vigil's `oncall:` config section: people, schedules, escalation policies. */
    oncall: oncallConfigSchema.optional(),
  })
  .refine((part) => part.oncall !== undefined || part.route_tests.every((t) => t.pages === undefined), {
    error: 'route tests with pages need an oncall section (people, schedules, escalation_policies)',
    path: ['oncall'],
  })
  .refine((part) => part.route_tests.length === 0 || (part.alertmanager === undefined) !== (part.alertmanager_config_file === undefined), {
    error: 'route_tests need exactly one of alertmanager or alertmanager_config_file',
  });

type RouteTest = z.output<typeof routeTest>;
type PageAssertion = z.output<typeof pageAssertion>;
/** The routing configuration, and each receiver's escalation policies (its `oncall_configs`). */
type Routing = { config: AlertmanagerConfig; policies: Map<string, string[]> };
const ruleKeys = ['rule_files', 'evaluation_interval', 'group_eval_order', 'tests'];

export async function runAlertingTests(files: string[]): Promise<{ ok: boolean; output: string }> {
  let output = '';
  let ok = true;
  for (const path of files) {
    const failures = await fileFailures(path);
    output += `Alerting tests:  ${path}\n`;
    if (failures.length === 0) output += '  SUCCESS\n\n';
    else {
      ok = false;
      output += `  FAILED:\n${failures.map((f) => `    ${f.replace(/\n/g, '\n    ')}\n`).join('')}\n`;
    }
  }
  return { ok, output };
}

async function fileFailures(path: string): Promise<string[]> {
  let raw: Record<string, unknown>;
  try {
    raw = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (err) {
    return [`cannot read ${path}: ${(err as Error).message.split('\n')[0]}`];
  }
  const rulePart = Object.fromEntries(Object.entries(raw).filter(([key]) => ruleKeys.includes(key)));
  const parsed = alertingPart.safeParse(Object.fromEntries(Object.entries(raw).filter(([key]) => !ruleKeys.includes(key))));
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
  const failures: string[] = [];
  if (rulePart.tests !== undefined) {
    try {
      failures.push(...(await ruleTestFailures(parseTestFile(rulePart), path, [])));
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  const part = parsed.data;
  if (part.route_tests.length === 0) return failures;
  let routing: Routing;
  try {
    routing = loadRouting(part, path);
  } catch (err) {
    return [...failures, (err as Error).message];
  }
  for (const [i, test] of part.route_tests.entries()) {
    const name = `route test ${JSON.stringify(test.name || `#${i + 1}`)}`;
    try {
      const { problem, notified } = checkRoute(routing.config, test);
      const pagesProblem = problem === undefined && test.pages ? await checkPages(part.oncall!, routing.policies, notified, test, test.pages) : undefined;
      if (problem ?? pagesProblem) failures.push(`${name}: ${problem ?? pagesProblem}`);
    } catch (err) {
      failures.push(`${name}: ${(err as Error).message}`);
    }
  }
  return failures;
}

/**
 * The Alertmanager configuration with each receiver's `oncall_configs` taken
 * out and kept aside, so the routing config parses whether or not the
 * receiver schema knows the key.
 */
function loadRouting(part: { alertmanager?: Record<string, unknown>; alertmanager_config_file?: string }, path: string): Routing {
  const file = part.alertmanager_config_file !== undefined ? resolve(dirname(path), part.alertmanager_config_file) : undefined;
  const raw = file !== undefined ? readYamlQuietly(file) : part.alertmanager;
  const policies = receiverPolicies(raw);
  if (policies.size === 0) return { config: file !== undefined ? loadAlertmanagerConfigFile(file) : parseAlertmanagerConfig(raw, dirname(path)), policies };
  return { config: parseAlertmanagerConfig(withoutOncallConfigs(raw), dirname(file ?? path)), policies };
}

/** Undefined when unreadable: loadAlertmanagerConfigFile then reports why. */
function readYamlQuietly(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const oncallConfigs = z.array(z.looseObject({ policy: z.string().min(1, 'name an escalation policy') }));

function rawReceivers(raw: unknown): Record<string, unknown>[] {
  const receivers = (raw as { receivers?: unknown } | undefined)?.receivers;
  return Array.isArray(receivers) ? receivers.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null) : [];
}

function receiverPolicies(raw: unknown): Map<string, string[]> {
  const policies = new Map<string, string[]>();
  rawReceivers(raw).forEach((receiver, i) => {
    if (receiver.oncall_configs === undefined) return;
    const parsed = oncallConfigs.safeParse(receiver.oncall_configs);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new VigilError('VIGIL_ERR_ALERTMANAGER_CONFIG', `receivers.${i}.oncall_configs.${issue.path.join('.')}: ${issue.message}`);
    }
    policies.set(String(receiver.name), parsed.data.map((c) => c.policy));
  });
  return policies;
}

function withoutOncallConfigs(raw: unknown): unknown {
  const receivers = rawReceivers(raw).map(({ oncall_configs: _, ...rest }) => rest);
  return { ...(raw as Record<string, unknown>), receivers };
}

/** Builds a dispatcher frozen at the test's instant and asks it where the alert goes. */
function checkRoute(config: AlertmanagerConfig, test: RouteTest): { problem?: string; notified: string[] } {
  const at = Date.parse(test.at);
  const clock: Clock = { now: () => at, setInterval: () => ({ stop() {} }) };
  const db = new Database(':memory:');
  try {
    const silences = new Silences(db, { clock });
    for (const s of test.silences) silences.upsert(parsePostableSilence(toPostable(s, at)));
    const dispatcher = new Dispatcher({ config, notifier: { send: async () => [] }, clock, db, silences, externalURL: 'http://vigil.test' });
    const alert = (labels: LabelSet) => ({ labels, annotations: {}, startsAt: at - 60_000, endsAt: at + 3_600_000, generatorURL: '', updatedAt: at });
    dispatcher.put([...test.firing.map(alert), alert(test.alert)]);
    const status = dispatcher.alerts().find((a) => sameLabels(a.labels, test.alert))!.status;
    const routes = dispatcher.routeTest(test.alert, at);
    const suppressed = status.silencedBy.length > 0 || status.inhibitedBy.length > 0;
    const notified = suppressed ? [] : routes.filter((r) => !r.muted).map((r) => r.receiver);
    const describe = () => whyNot(status, routes);
    if (!sameSet(notified, test.notifies)) {
      return { notified, problem: `alert ${formatLabels(test.alert)} at ${test.at}\n  notifies: [${notified.join(', ')}]${describe()}\n  expected: [${test.notifies.join(', ')}]` };
    }
    if (test.group_by) {
      const wrong = routes.filter((r) => !r.muted && !sameSet(r.groupBy, test.group_by!));
      if (wrong.length > 0 && !suppressed) {
        return { notified, problem: `alert ${formatLabels(test.alert)}: ${wrong.map((r) => `${r.receiver} groups by [${r.groupBy.join(', ')}]`).join('; ')}, expected [${test.group_by.join(', ')}]` };
      }
    }
    return { notified };
  } finally {
    db.close();
  }
}

/**
 * Runs the escalation policies of the notified receivers from `at`, with no
 * acknowledgement, until a minute after the last expected page, and
 * compares who was paged and when.
 */
async function checkPages(oncall: OncallConfig, policies: Map<string, string[]>, notified: string[], test: RouteTest, expected: PageAssertion[]): Promise<string | undefined> {
  const handedTo = notified.flatMap((receiver) => policies.get(receiver) ?? []);
  const atMs = Date.parse(test.at);
  const forMs = Math.max(0, ...expected.map((page) => page.after)) + 60_000;
  const pages = handedTo.length === 0 ? [] : await simulatePages(oncall, { policies: handedTo, labels: test.alert, atMs, forMs });
  const actual = pages.map((page) => ({ person: page.person, after: page.afterMs }));
  if (samePages(actual, expected)) return undefined;
  const via = handedTo.length === 0 ? ' (no notified receiver has oncall_configs)' : ` (policies: ${[...new Set(handedTo)].join(', ')})`;
  return `alert ${formatLabels(test.alert)} at ${test.at}, not acknowledged\n  pages: [${formatPages(actual)}]${via}\n  expected: [${formatPages(expected)}]`;
}

function samePages(a: PageAssertion[], b: PageAssertion[]): boolean {
  return formatPages(a) === formatPages(b);
}

/** In time order, then by person: `alice +0m, bob +5m`. */
function formatPages(pages: PageAssertion[]): string {
  const sorted = [...pages].sort((x, y) => x.after - y.after || x.person.localeCompare(y.person));
  return sorted.map((page) => `${page.person} +${page.after === 0 ? '0m' : formatDurationMs(page.after)}`).join(', ');
}

function toPostable(s: z.output<typeof silence>, at: number) {
  const day = 86_400_000;
  return {
    matchers: s.matchers.map((text) => {
      const m = parseMatcher(text);
      return { name: m.name, value: m.value, isRegex: m.op.endsWith('~'), isEqual: !m.op.startsWith('!') };
    }),
    startsAt: s.starts_at ?? new Date(at - day).toISOString(),
    endsAt: s.ends_at ?? new Date(at + day).toISOString(),
    createdBy: s.created_by,
    comment: s.comment,
    ...(s.recurrence ? { recurrence: s.recurrence } : {}),
  };
}

function whyNot(status: { silencedBy: string[]; inhibitedBy: string[] }, routes: { receiver: string; muted: boolean; mutedBy?: string }[]): string {
  const notes = [
    ...(status.silencedBy.length > 0 ? ['silenced'] : []),
    ...(status.inhibitedBy.length > 0 ? ['inhibited'] : []),
    ...routes.filter((r) => r.muted).map((r) => `${r.receiver} muted by ${r.mutedBy}`),
  ];
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
}

function sameLabels(a: LabelSet, b: LabelSet): boolean {
  return formatLabels(a) === formatLabels(b);
}

function formatLabels(labels: LabelSet): string {
  return `{${Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`).join(', ')}}`;
}
