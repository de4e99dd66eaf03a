/**
 * promtool's `test rules` file format, read as strictly as promtool reads
 * it (unknown keys are errors), plus Vigil's `input_logs` for log groups.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parsePromDuration } from '../../scrape/index.ts';

const duration = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((text) => parsePromDuration(text) !== undefined, { error: (issue) => `"${String(issue.input)}" is not a duration` })
  .transform((text) => parsePromDuration(text)!);

const text = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const stringMap = z.record(z.string(), text).nullish().transform((m) => m ?? {});
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((items) => items ?? []);

const alertTest = z
  .object({
    eval_time: duration.default(0),
    alertname: z.string().default(''),
    exp_alerts: list(z.object({ exp_labels: stringMap, exp_annotations: stringMap }).strict()),
  })
  .strict();

const exprTest = z
  .object({
    expr: text,
    eval_time: duration.default(0),
    exp_samples: list(z.object({ labels: text, value: z.number() }).strict()),
  })
  .strict();

/** Vigil: `times` lines from `at`, `every` apart. */
const logEntries = z
  .object({ line: text, at: duration.default(0), every: duration.optional(), times: z.number().int().positive().max(100_000).default(1) })
  .strict();

const testGroup = z
  .object({
    name: z.string().default(''),
    interval: duration.optional(),
    input_series: list(z.object({ series: text, values: text.default('') }).strict()),
    input_logs: list(z.object({ labels: text, entries: list(logEntries) }).strict()),
    alert_rule_test: list(alertTest),
    promql_expr_test: list(exprTest),
    external_labels: stringMap,
    external_url: z.string().default(''),
  })
  .strict();

const testFile = z
  .object({
    rule_files: list(z.string()),
    evaluation_interval: duration.optional(),
    group_eval_order: list(z.string()),
    tests: list(testGroup),
  })
  .strict();

export type TestFile = z.infer<typeof testFile>;
export type TestGroup = z.infer<typeof testGroup>;
export type AlertTest = z.infer<typeof alertTest>;
export type ExprTest = z.infer<typeof exprTest>;

export function readTestFile(path: string): TestFile {
  return parseTestFile(parseYaml(readFileSync(path, 'utf8')) ?? {});
}

/** Throws an Error listing every problem as `path: problem`. */
export function parseTestFile(raw: unknown): TestFile {
  const parsed = testFile.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('\n'));
}
