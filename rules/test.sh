#!/bin/sh
# Checks the built-in rule pack three ways:
#  1. promtool on the metric rule files and their tests (log rule files use
#     Vigil's `source: logs`, which promtool refuses);
#  2. the pack's own node tests (structure, runbooks, and every test file on
#     Vigil's PromQL and LogQL engines; fast);
#  3. Vigil's rule test runner, as `promtool test rules` on every test file,
#     templates rendered by Vigil's engine (a few seconds: it evaluates
#     every minute of the day-long HttpNoTraffic test).
set -eu
cd "$(dirname "$0")"
metric_files=$(grep -L '^ *source: logs' ./*.yml)
promtool check rules $metric_files
for file in $metric_files; do
  promtool test rules "tests/$(basename "$file" .yml).test.yml"
done
cd ..
node --import tsx --test rules/*.test.ts
node --import tsx --input-type=module -e "
const { readdirSync } = await import('node:fs');
const { runRuleTests } = await import('./packages/server/src/rules/index.ts');
const files = readdirSync('rules/tests').sort().map((name) => 'rules/tests/' + name);
const { ok, output } = await runRuleTests(files);
process.stdout.write(output);
process.exitCode = ok ? 0 : 1;
"
