import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import { isMetricQuery, evalInstant as evalLogql, parseLogql } from '../packages/server/src/logql/index.ts';
import { evalInstant as evalPromql, parsePromql } from '../packages/server/src/promql/index.ts';
import { logSource } from './log-input.ts';
import { alertRules, isLogFile, ruleFiles, testedRuleFiles, testFiles, type AlertTest, type TestFile } from './pack-files.ts';
import { durationMs, firingSamples, labelsKey, toAlert, type Alert, type AlertRule, type Sample } from './rule-tests.ts';
import { seriesQuerier } from './series-input.ts';

type Evaluate = (rule: AlertRule) => (ms: number) => Sample[];

const files = ruleFiles();

describe('rule expressions', () => {
  for (const file of files) {
    it(`${basename(file.path)} parses with Vigil's ${isLogFile(file) ? 'LogQL' : 'PromQL'} parser`, () => {
      for (const rule of alertRules(file)) {
        if (isLogFile(file)) assert.ok(isMetricQuery(parseLogql(rule.expr)), `${rule.alert}: expected a metric query`);
        else parsePromql(rule.expr);
      }
    });
  }
});

// Metric groups compare labels only (promtool checks their annotations,
// whose humanize functions this runner does not implement); log groups
// compare annotations too, since promtool cannot run them.
describe('rule tests on Vigil engines', () => {
  for (const test of testFiles()) {
    const tested = files.filter((file) => testedRuleFiles(test).includes(file.path));
    const logs = tested.some(isLogFile);
    const rules = tested.flatMap(alertRules) as AlertRule[];
    const intervalMs = durationMs(test.evaluation_interval ?? '1m', 'evaluation_interval');
    test.tests.forEach((group, index) => {
      const evaluate = logs ? logEvaluator(group) : metricEvaluator(group);
      const externalURL = logs ? group.external_url ?? '' : undefined;
      for (const check of group.alert_rule_test ?? []) {
        it(`${basename(test.path)} #${index}: ${check.alertname} at ${check.eval_time}`, () => {
          const evalMs = durationMs(check.eval_time, 'eval_time');
          const got = rules
            .filter((rule) => rule.alert === check.alertname)
            .flatMap((rule) => firingSamples(evaluate(rule), evalMs, durationMs(rule.for, 'for'), intervalMs).map((s) => toAlert(rule, s, externalURL)));
          assert.deepEqual(sorted(got), sorted(expected(check, externalURL !== undefined)));
        });
      }
    });
  }
});

function logEvaluator(group: TestFile['tests'][number]): Evaluate {
  const source = logSource(group.input_logs ?? []);
  return (rule) => {
    const expr = parseLogql(rule.expr);
    return (ms) => evalLogql(expr, source, { timeNs: BigInt(ms) * 1_000_000n }).samples.map((s) => ({ labels: s.labels, value: s.value }));
  };
}

function metricEvaluator(group: TestFile['tests'][number]): Evaluate {
  const querier = seriesQuerier(group.input_series ?? [], durationMs(group.interval ?? '1m', 'interval'));
  return (rule) => {
    const expr = parsePromql(rule.expr);
    return (ms) => {
      const result = evalPromql(expr, querier, ms);
      assert.equal(result.resultType, 'vector', `${rule.alert}: expected an instant vector`);
      // Alerts drop the metric name, as Prometheus' rules do.
      return (result.result as { metric: Record<string, string>; v: number }[]).map(({ metric: { __name__: _, ...labels }, v }) => ({ labels, value: v }));
    };
  };
}

function expected(check: AlertTest, withAnnotations: boolean): Alert[] {
  return (check.exp_alerts ?? []).map((alert) => {
    const labels = { ...stringValues(alert.exp_labels), alertname: check.alertname };
    return withAnnotations ? { labels, annotations: stringValues(alert.exp_annotations) } : { labels };
  });
}

// YAML reads `code: 500` as a number; labels and annotations are strings.
function stringValues(record: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, String(value)]));
}

function sorted(alerts: Alert[]): Alert[] {
  return [...alerts].sort((a, b) => labelsKey(a.labels).localeCompare(labelsKey(b.labels)));
}
