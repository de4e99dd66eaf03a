/**
 * `npm run conformance:promql`: runs every upstream PromQL test file in
 * shared/conformance/promql/testdata and prints `FILE passed/total` per file,
 * then `core: P/T` (the stable-language files) and `total: P/T`.
 * `--failures` also lists each failing core eval with its reason.
 */
import { readdirSync } from 'node:fs';
import { conformanceFile } from '../ingest/testing.ts';
import { runFile } from './promqltest.ts';

export const CORE_FILES = new Set([
  'aggregators', 'at_modifier', 'collision', 'functions', 'histograms', 'limit', 'literals',
  'name_label_dropping', 'operators', 'range_queries', 'selectors', 'staleness', 'subquery', 'trig_functions',
].map((name) => `${name}.test`));

const dir = conformanceFile('promql/testdata/');
const showFailures = process.argv.includes('--failures');
const sum = { core: [0, 0], total: [0, 0] };
const failures: string[] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.test')).sort()) {
  const cases = runFile(`${dir}${file}`);
  const passed = cases.filter((c) => c.ok).length;
  console.log(`${file} ${passed}/${cases.length}`);
  for (const key of CORE_FILES.has(file) ? (['core', 'total'] as const) : (['total'] as const)) {
    sum[key][0] += passed;
    sum[key][1] += cases.length;
  }
  if (CORE_FILES.has(file)) for (const c of cases) if (!c.ok) failures.push(`${file}:${c.line} \`${c.query}\` ${c.reason}`);
}
console.log(`core: ${sum.core[0]}/${sum.core[1]}`);
console.log(`total: ${sum.total[0]}/${sum.total[1]}`);
if (showFailures) for (const f of failures) console.log(f);
