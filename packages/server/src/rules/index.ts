/**
 * Prometheus rules: rule files, recording and alerting rules over metrics
 * (PromQL) or logs (LogQL, `source: logs`), and promtool's unit tests.
 *
 *   const groups = loadRuleFiles(['rules/*.yml'], configDir).map((spec) => new RuleGroup(spec, { externalURL }));
 *   const { alertsToSend, errors } = await group.evaluate(clock.now(), engine, sink);
 */
export { loadRuleFiles, checkRuleFiles, parseRuleFile } from './file.ts';
export type { RuleGroupSpec, RuleSpec, AlertingRuleSpec, RecordingRuleSpec, RuleSource } from './spec.ts';
export { RuleGroup } from './group.ts';
export type { RuleGroupOptions, GroupResult, RuleError, ActiveAlertState } from './group.ts';
export type { AlertState, RuleAlert } from './alerting-rule.ts';
export { localQueryEngine } from './engine.ts';
export type { RuleQueryEngine, RuleSink, VectorSample } from './engine.ts';
export type { RuleStatus, AlertingRuleStatus, RecordingRuleStatus, AlertStatus, RuleGroupStatus, RuleHealth } from './status.ts';
export { runRuleTests, ruleTestFailures } from './unit-test/index.ts';
export { parseTestFile, type TestFile } from './unit-test/test-file.ts';
