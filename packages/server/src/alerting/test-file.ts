/**
 * `vigil test alerting FILE...`: one test file checks the whole path in CI.
 * Its rule part is promtool's format, unchanged (`rule_files`,
 * `evaluation_interval`, `group_eval_order`, `tests`); its alerting part
 * names an Alertmanager configuration and says, at given instants, which
 * receivers an alert notifies, given other firing alerts (inhibition),
 * silences and time intervals. Format: docs/reference/alerting-tests.md.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import {
  Dispatcher,
  loadAlertmanagerConfigFile,
  parseAlertmanagerConfig,
  parseMatcher,
  type AlertmanagerConfig,
  type LabelSet,
} from '../dispatch/index.ts';
import { Silences, parsePostableSilence } from '../dispatch/silences.ts';
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
  })
  .strict();

const alertingPart = z
  .object({
    alertmanager: z.record(z.string(), z.unknown()).optional(),
    alertmanager_config_file: z.string().optional(),
    route_tests: z.array(routeTest).default([]),
  })
  .refine((part) => part.route_tests.length === 0 || (part.alertmanager === undefined) !== (part.alertmanager_config_file === undefined), {
    error: 'route_tests need exactly one of alertmanager or alertmanager_config_file',
  });

type RouteTest = z.output<typeof routeTest>;
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
  let config: AlertmanagerConfig;
  try {
    config = part.alertmanager_config_file !== undefined
      ? loadAlertmanagerConfigFile(resolve(dirname(path), part.alertmanager_config_file))
      : parseAlertmanagerConfig(part.alertmanager, dirname(path));
  } catch (err) {
    return [...failures, (err as Error).message];
  }
  part.route_tests.forEach((test, i) => {
    try {
      const problem = checkRoute(config, test);
      if (problem) failures.push(`route test ${JSON.stringify(test.name || `#${i + 1}`)}: ${problem}`);
    } catch (err) {
      failures.push(`route test ${JSON.stringify(test.name || `#${i + 1}`)}: ${(err as Error).message}`);
    }
  });
  return failures;
}

/** Builds a dispatcher frozen at the test's instant and asks it where the alert goes. */
function checkRoute(config: AlertmanagerConfig, test: RouteTest): string | undefined {
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
      return `alert ${formatLabels(test.alert)} at ${test.at}\n  notifies: [${notified.join(', ')}]${describe()}\n  expected: [${test.notifies.join(', ')}]`;
    }
    if (test.group_by) {
      const wrong = routes.filter((r) => !r.muted && !sameSet(r.groupBy, test.group_by!));
      if (wrong.length > 0 && !suppressed) {
        return `alert ${formatLabels(test.alert)}: ${wrong.map((r) => `${r.receiver} groups by [${r.groupBy.join(', ')}]`).join('; ')}, expected [${test.group_by.join(', ')}]`;
      }
    }
    return undefined;
  } finally {
    db.close();
  }
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
