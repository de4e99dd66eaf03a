/**
 * Prometheus rule files (`groups: [{ name, interval, rules: [...] }]`),
 * validated as `promtool check rules` validates them. Every problem names
 * `file:line:` of the node at fault, so all of them can be fixed in one pass.
 * Vigil's extension: `source: logs` makes a group's expressions LogQL
 * metric queries, as Loki's ruler does.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document } from 'yaml';
import { z } from 'zod';
import { VigilError } from '../errors.ts';
import { isMetricQuery, parseLogql } from '../logql/index.ts';
import { parsePromql } from '../promql/index.ts';
import { parsePromDuration } from '../scrape/index.ts';
import { globFiles } from '../config/glob.ts';
import type { RuleGroupSpec, RuleSource, RuleSpec } from './spec.ts';
import { compileTemplate } from './templating.ts';

/** A number is accepted as YAML gives it (`for: 0`), as Go's YAML decoder turns it into a string. */
const duration = z
  .union([z.string(), z.number()], { error: 'use a duration such as 30s, 5m, 1h' })
  .transform(String)
  .refine((text) => parsePromDuration(text) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not a duration; use e.g. 30s, 5m, 1h`,
  })
  .transform((text) => parsePromDuration(text)!);

const stringMap = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
  .nullish()
  .transform((m) => m ?? {});

const ruleSchema = z
  .object({
    record: z.string().optional(),
    alert: z.string().optional(),
    expr: z.union([z.string(), z.number()]).transform(String).optional(),
    for: duration.optional(),
    keep_firing_for: duration.optional(),
    labels: stringMap,
    annotations: stringMap,
  })
  .strict();

const groupSchema = z
  .object({
    name: z.string({ error: 'a group needs a name' }),
    source: z.enum(['metrics', 'logs']).default('metrics'),
    interval: duration.optional(),
    limit: z.number().int().nonnegative().default(0),
    query_offset: duration.optional(),
    labels: stringMap,
    rules: z.array(ruleSchema).nullish().transform((r) => r ?? []),
  })
  .strict();

const fileSchema = z
  .object({ groups: z.array(groupSchema).nullish().transform((g) => g ?? []) })
  .strict();

type RawRule = z.infer<typeof ruleSchema>;
type RawGroup = z.infer<typeof groupSchema>;
type Path = (string | number)[];

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Maps a path in the document to `file:line:`, falling back to the nearest node that exists. */
class Locator {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  at(path: Path, message: string): string {
    return `${this.file}:${this.line(path)}: ${message}`;
  }

  line(path: Path): number {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      const offset = (node as { range?: [number, number, number] } | null)?.range?.[0];
      if (offset !== undefined) return this.lines.linePos(offset).line;
    }
    return 1;
  }

  /** The line of `key` inside the map at `path` (for unknown keys, whose value zod does not point at). */
  keyLine(path: Path, key: string): number {
    const map = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    if (isMap(map)) {
      const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      const offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      if (offset !== undefined) return this.lines.linePos(offset).line;
    }
    return this.line(path);
  }
}

function shapeProblems(issues: z.core.$ZodIssue[], where: Locator, file: string): string[] {
  return issues.flatMap((issue) => {
    const path = issue.path as Path;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${file}:${where.keyLine(path, key)}: field ${key} not found (check the spelling)`);
    }
    const field = path.filter((p) => typeof p === 'string').at(-1);
    return [where.at(path, field ? `${String(field)}: ${issue.message}` : issue.message)];
  });
}

function exprProblem(expr: string, source: RuleSource): string | undefined {
  try {
    if (source === 'metrics') parsePromql(expr);
    else if (!isMetricQuery(parseLogql(expr))) {
      return 'a log group needs a LogQL metric query, e.g. sum(count_over_time({service="api"} |= "error" [5m])) > 0';
    }
    return undefined;
  } catch (err) {
    return `could not parse expression: ${(err as Error).message}`;
  }
}

function nameProblems(rule: RawRule, at: (key: Path, message: string) => string): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(rule.labels)) {
    if (!LABEL_NAME.test(name) || name === '__name__') problems.push(at(['labels', name], `invalid label name: ${name}`));
  }
  for (const name of Object.keys(rule.annotations)) {
    if (!LABEL_NAME.test(name)) problems.push(at(['annotations', name], `invalid annotation name: ${name}`));
  }
  return problems;
}

function kindProblems(rule: RawRule, at: (key: Path, message: string) => string): string[] {
  if (rule.record !== undefined && rule.alert !== undefined) return [at([], "only one of 'record' and 'alert' must be set")];
  if (rule.record === undefined && rule.alert === undefined) return [at([], "one of 'record' or 'alert' must be set")];
  if (rule.alert !== undefined) return rule.alert === '' ? [at(['alert'], 'alert name must not be empty')] : [];
  const problems: string[] = [];
  if (!METRIC_NAME.test(rule.record!)) problems.push(at(['record'], `invalid recording rule name: ${rule.record}`));
  if (Object.keys(rule.annotations).length > 0) problems.push(at(['annotations'], "invalid field 'annotations' in recording rule"));
  if (rule.for !== undefined) problems.push(at(['for'], "invalid field 'for' in recording rule"));
  if (rule.keep_firing_for !== undefined) problems.push(at(['keep_firing_for'], "invalid field 'keep_firing_for' in recording rule"));
  return problems;
}

function templateProblems(group: string, rule: RawRule, at: (key: Path, message: string) => string): string[] {
  if (rule.alert === undefined) return [];
  const problems: string[] = [];
  for (const kind of ['labels', 'annotations'] as const) {
    for (const [key, source] of Object.entries(rule[kind])) {
      try {
        compileTemplate(source, `__alert_${rule.alert}`);
      } catch (err) {
        const what = kind === 'labels' ? 'label' : 'annotation';
        problems.push(at([kind, key], `group "${group}", rule "${rule.alert}", ${what} "${key}": ${(err as Error).message}`));
      }
    }
  }
  return problems;
}

function ruleProblems(group: RawGroup, rule: RawRule, path: Path, where: Locator): string[] {
  const at = (key: Path, message: string): string => where.at([...path, ...key], message);
  const problems = [...kindProblems(rule, at), ...nameProblems(rule, at)];
  const expr = rule.expr?.trim() ?? '';
  if (expr === '') problems.push(at(['expr'], "field 'expr' must be set in rule"));
  else {
    const problem = exprProblem(expr, group.source);
    if (problem) problems.push(at(['expr'], `group "${group.name}", rule "${rule.alert ?? rule.record}": ${problem}`));
  }
  return [...problems, ...templateProblems(group.name, rule, at)];
}

function groupProblems(groups: RawGroup[], where: Locator): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  groups.forEach((group, i) => {
    if (group.name === '') problems.push(where.at(['groups', i, 'name'], 'group name must not be empty'));
    else if (seen.has(group.name)) problems.push(where.at(['groups', i, 'name'], `groupname: "${group.name}" is repeated in the same file`));
    seen.add(group.name);
    group.rules.forEach((rule, j) => problems.push(...ruleProblems(group, rule, ['groups', i, 'rules', j], where)));
  });
  return problems;
}

function toRuleSpec(rule: RawRule, groupLabels: Record<string, string>, line: number): RuleSpec {
  const labels = { ...groupLabels, ...rule.labels };
  const expr = rule.expr!.trim();
  if (rule.record !== undefined) return { kind: 'recording', record: rule.record, expr, labels, line };
  return {
    kind: 'alerting', alert: rule.alert!, expr, labels, annotations: rule.annotations, line,
    forMs: rule.for ?? 0, keepFiringForMs: rule.keep_firing_for ?? 0,
  };
}

function toGroupSpec(group: RawGroup, index: number, file: string, where: Locator): RuleGroupSpec {
  return {
    name: group.name, file, source: group.source, intervalMs: group.interval || undefined, limit: group.limit,
    queryOffsetMs: group.query_offset ?? 0,
    rules: group.rules.map((rule, j) => toRuleSpec(rule, group.labels, where.line(['groups', index, 'rules', j]))),
  };
}

/** Parses and validates one rule file's text; `file` is used in messages and kept on each group. */
export function parseRuleFile(text: string, file: string): { groups: RuleGroupSpec[]; problems: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { groups: [], problems: doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1}: ${e.message.split('\n')[0]}`) };
  }
  const where = new Locator(file, doc, lines);
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) return { groups: [], problems: shapeProblems(parsed.error.issues, where, file) };
  const problems = groupProblems(parsed.data.groups, where);
  if (problems.length > 0) return { groups: [], problems };
  return { groups: parsed.data.groups.map((g, i) => toGroupSpec(g, i, file, where)), problems: [] };
}

function readRuleFile(path: string): { groups: RuleGroupSpec[]; problems: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { groups: [], problems: [`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`] };
  }
  return parseRuleFile(text, path);
}

/** Loads every file matching the patterns; throws VIGIL_ERR_RULES_INVALID listing all problems. */
export function loadRuleFiles(patterns: string[], baseDir: string): RuleGroupSpec[] {
  const groups: RuleGroupSpec[] = [];
  const problems: string[] = [];
  for (const path of new Set(patterns.flatMap((p) => globFiles(p, baseDir)))) {
    const result = readRuleFile(path);
    groups.push(...result.groups);
    problems.push(...result.problems);
  }
  if (problems.length > 0) throw new VigilError('VIGIL_ERR_RULES_INVALID', problems.join('\n'));
  return groups;
}

/** `vigil check rules`: one entry per file, with its problems or its counts. */
export function checkRuleFiles(paths: string[]): { file: string; problems: string[]; groups: number; rules: number }[] {
  return paths.map((file) => {
    const { groups, problems } = readRuleFile(file);
    return { file, problems, groups: groups.length, rules: groups.reduce((n, g) => n + g.rules.length, 0) };
  });
}
