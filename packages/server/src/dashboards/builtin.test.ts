import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLogql } from '../logql/index.ts';
import { parsePromql } from '../promql/index.ts';
import { loadDashboards } from './loader.ts';
import { BUILTIN_DASHBOARDS_DIR } from './store.ts';
import { ALL_VALUE, substitute } from './variables.ts';

const builtins = { __range: '3600s', __interval: '15s' };
const entries = loadDashboards([BUILTIN_DASHBOARDS_DIR]);

test('the built-in dashboards are the three shipped and all valid', () => {
  assert.deepEqual(entries.map((e) => e.id).sort(), ['security', 'service-overview', 'vigil']);
  for (const entry of entries) assert.equal(entry.error, undefined, entry.error);
});

for (const entry of entries) {
  test(`every query of the built-in "${entry.title}" parses after substitution`, () => {
    const dashboard = entry.dashboard!;
    // both an "All" choice and a concrete value (with regex metacharacters) must give a valid query
    for (const value of [ALL_VALUE, 'api.v2(eu)']) {
      const values = Object.fromEntries(dashboard.variables.map((v) => [v.name, value]));
      for (const panel of dashboard.panels) {
        for (const { expr } of panel.queries) {
          const query = substitute(expr, values, builtins);
          assert.doesNotMatch(query, /\$/, `${panel.title}: a variable is left in ${query}`);
          const parse = panel.datasource === 'logs' ? parseLogql : parsePromql;
          assert.doesNotThrow(() => parse(query), `${entry.id} / ${panel.title}: ${query}`);
        }
      }
    }
  });
}
