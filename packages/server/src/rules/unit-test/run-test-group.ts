/**
 * One entry of a test file's `tests`, as promtool runs it: load the input
 * series, evaluate every group at each evaluation_interval from 0 to the
 * largest eval_time, compare the firing alerts at each alert eval_time, then
 * run the PromQL expression tests over everything written.
 */
import { MemoryLogSource, type MemoryStream } from '../../logql/index.ts';
import { MemoryQuerier } from '../../promql/index.ts';
import { compareLabels, labelsKey } from '../../promql/labels.ts';
import { parseSeries, parseValues } from '../../promql/promqltest-parse.ts';
import { localQueryEngine, type RuleQueryEngine, type RuleSink } from '../engine.ts';
import { RuleGroup } from '../group.ts';
import type { RuleGroupSpec } from '../spec.ts';
import { alertsString, compareAlerts, goDuration, indentLines, modelDuration, samplesString, type LabelsAndAnnotations } from './format.ts';
import type { AlertTest, ExprTest, TestGroup } from './test-file.ts';

export interface TestGroupContext {
  groups: RuleGroupSpec[];
  evalIntervalMs: number;
  /** group_eval_order: lower runs first; groups not named count as 0. */
  order: Map<string, number>;
}

/**
 * Without `interval`, samples are `evaluation_interval` apart, as documented and as later promtool does
 * (2.42 used 0, piling every value onto t=0).
 */
function loadInputSeries(querier: MemoryQuerier, tg: TestGroup, intervalMs: number): void {
  for (const input of tg.input_series) {
    const { labels, rest } = parseSeries(input.series.trim());
    if (rest !== '') throw new Error(`bad series "${input.series}"`);
    const { values, histogram } = parseValues(input.values);
    if (histogram) throw new Error(`native histograms are not supported in input_series: "${input.series}"`);
    querier.add(labels, values.flatMap((v, i) => (typeof v === 'number' ? [{ t: i * intervalMs, v }] : [])));
  }
}

/** Vigil's `input_logs`: each entry gives `times` lines, `every` apart (default: the test's interval) from `at`. */
function inputLogs(tg: TestGroup, intervalMs: number): MemoryLogSource {
  const streams: MemoryStream[] = tg.input_logs.map((stream) => ({
    labels: parseSeries(stream.labels.trim()).labels,
    entries: stream.entries.flatMap((e) =>
      Array.from({ length: e.times }, (_, i) => ({
        tsNs: BigInt(e.at + i * (e.every ?? intervalMs)) * 1_000_000n,
        line: e.line,
      })),
    ),
  }));
  return new MemoryLogSource(streams);
}

function alertMismatch(tg: TestGroup, test: AlertTest, got: LabelsAndAnnotations[]): string | undefined {
  const expected = test.exp_alerts
    .map((a) => ({ labels: { ...a.exp_labels, alertname: test.alertname }, annotations: a.exp_annotations }))
    .sort(compareAlerts);
  const sortedGot = [...got].sort(compareAlerts);
  const same = expected.length === sortedGot.length && expected.every((e, i) => compareAlerts(e, sortedGot[i]) === 0);
  if (same) return undefined;
  const name = tg.name ? `    name: ${tg.name},\n` : '';
  const exp = indentLines(alertsString(expected), '            ');
  const gotText = indentLines(alertsString(sortedGot), '            ');
  return `${name}    alertname: ${test.alertname}, time: ${modelDuration(test.eval_time)}, \n        exp:${exp}, \n        got:${gotText}`;
}

function firingAlerts(groups: RuleGroup[], alertname: string): LabelsAndAnnotations[] {
  return groups.flatMap((g) =>
    g.snapshot().filter((a) => a.rule === alertname && a.state === 'firing').map((a) => ({ labels: a.labels, annotations: a.annotations })),
  );
}

function expectedSamples(test: ExprTest): { labels: Record<string, string>; value: number }[] {
  return test.exp_samples.map((s) => {
    try {
      const { labels, rest } = parseSeries(s.labels.trim());
      if (rest !== '') throw new Error(`unexpected "${rest}"`);
      return { labels, value: s.value };
    } catch (err) {
      throw new Error(`labels ${JSON.stringify(s.labels)}: ${(err as Error).message}`);
    }
  });
}

async function exprMismatch(test: ExprTest, engine: RuleQueryEngine): Promise<string | undefined> {
  const where = `    expr: ${JSON.stringify(test.expr)}, time: ${modelDuration(test.eval_time)}`;
  try {
    const bySeries = (a: { labels: Record<string, string> }, b: { labels: Record<string, string> }) => compareLabels(a.labels, b.labels);
    const expected = expectedSamples(test).sort(bySeries);
    const got = (await engine.instant(test.expr, test.eval_time, 'metrics')).sort(bySeries);
    // Exact float equality, as promtool 2.42 compares (reflect.DeepEqual).
    const same = expected.length === got.length &&
      expected.every((e, i) => labelsKey(e.labels) === labelsKey(got[i].labels) && e.value === got[i].value);
    return same ? undefined : `${where},\n        exp: ${samplesString(expected)}\n        got: ${samplesString(got)}`;
  } catch (err) {
    return `${where}, err: ${(err as Error).message}`;
  }
}

function orderedGroups(ctx: TestGroupContext, tg: TestGroup): RuleGroup[] {
  const rank = (spec: RuleGroupSpec): number => ctx.order.get(spec.name) ?? 0;
  return [...ctx.groups]
    .sort((a, b) => rank(a) - rank(b))
    .map((spec) => new RuleGroup(spec, { externalLabels: tg.external_labels, externalURL: tg.external_url, defaultIntervalMs: ctx.evalIntervalMs }));
}

/** The failures of one test group, in promtool's words; empty when it passes. */
export async function runTestGroup(tg: TestGroup, ctx: TestGroupContext): Promise<string[]> {
  const unnamed = tg.alert_rule_test.find((a) => a.alertname === '');
  if (unnamed) {
    const inGroup = tg.name ? ` (in TestGroup ${tg.name})` : '';
    return [`an item under alert_rule_test misses required attribute alertname at eval_time ${modelDuration(unnamed.eval_time)}${inGroup}`];
  }
  const querier = new MemoryQuerier();
  let logs: MemoryLogSource;
  try {
    loadInputSeries(querier, tg, tg.interval ?? ctx.evalIntervalMs);
    logs = inputLogs(tg, tg.interval ?? ctx.evalIntervalMs);
  } catch (err) {
    return [(err as Error).message];
  }
  const engine = localQueryEngine({ metrics: querier, logs, options: { subqueryStepMs: ctx.evalIntervalMs } });
  const sink: RuleSink = { append: (series) => series.forEach((s) => querier.add(s.labels, s.samples)) };
  const groups = orderedGroups(ctx, tg);
  const errors = await evaluateTimeline(tg, ctx.evalIntervalMs, groups, engine, sink);
  if (errors.fatal) return errors.messages;
  for (const test of tg.promql_expr_test) {
    const mismatch = await exprMismatch(test, engine);
    if (mismatch) errors.messages.push(mismatch);
  }
  return errors.messages;
}

async function evaluateTimeline(
  tg: TestGroup, intervalMs: number, groups: RuleGroup[], engine: RuleQueryEngine, sink: RuleSink,
): Promise<{ messages: string[]; fatal: boolean }> {
  const maxMs = Math.max(0, ...tg.alert_rule_test.map((a) => a.eval_time), ...tg.promql_expr_test.map((p) => p.eval_time));
  const alertTimes = [...new Set(tg.alert_rule_test.map((a) => a.eval_time))].sort((a, b) => a - b);
  const messages: string[] = [];
  let next = 0;
  for (let ts = 0; ts <= maxMs; ts += intervalMs) {
    const evalErrors: string[] = [];
    for (const group of groups) {
      const { errors } = await group.evaluate(ts, engine, sink);
      evalErrors.push(...errors.map((e) => `    rule: ${e.rule}, time: ${goDuration(ts)}, err: ${e.error}`));
    }
    // Evaluation errors end the test group; comparison failures do not.
    if (evalErrors.length > 0) return { messages: [...messages, ...evalErrors], fatal: true };
    for (; next < alertTimes.length && ts <= alertTimes[next] && alertTimes[next] < ts + intervalMs; next++) {
      for (const test of tg.alert_rule_test.filter((a) => a.eval_time === alertTimes[next])) {
        const mismatch = alertMismatch(tg, test, firingAlerts(groups, test.alertname));
        if (mismatch) messages.push(mismatch);
      }
    }
  }
  return { messages, fatal: false };
}
