/** One dashboard: its variables as selects, its panels on a 12-column grid. */
import { useEffect, useMemo, useRef } from 'react';
import { dashboardById, promLabelValues, type DashboardSpec, type DashboardVariableSpec } from '../../api/client.ts';
import { routeHref, setParams } from '../../app/router.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { useRefreshTick } from '../../components/TimeControls.tsx';
import { rangeFromParams, resolveRange } from '../../time/range.ts';
import { Panel } from './Panel.tsx';
import { useLoad } from './use-load.ts';
import { ALL_VALUE, chosenValue, parseLabelValues, type VariableValues } from './variables.ts';

export function DashboardView({ id, params }: { id: string; params: URLSearchParams }) {
  const dashboard = useLoad(`dashboard:${id}`, () => dashboardById(id));
  useDashboardDefaults(dashboard.status === 'done' ? dashboard.value : undefined, params);
  if (dashboard.status === 'loading') return <p className="muted">Loading dashboard…</p>;
  if (dashboard.status === 'error')
    return (
      <div>
        <p>
          <a href={routeHref('/dashboards')}>All dashboards</a>
        </p>
        <ErrorMessage error={dashboard.error} />
      </div>
    );
  return <LoadedDashboard dashboard={dashboard.value} params={params} />;
}

/** The file's time range and refresh apply when the URL does not say otherwise, once per dashboard. */
function useDashboardDefaults(dashboard: DashboardSpec | undefined, params: URLSearchParams): void {
  const applied = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!dashboard || applied.current === dashboard.id) return;
    applied.current = dashboard.id;
    const changes: Record<string, string | undefined> = {};
    if (!params.has('from')) Object.assign(changes, { from: dashboard.time.from, to: dashboard.time.to });
    if (!params.has('refresh') && dashboard.refresh && dashboard.refresh !== 'off') changes.refresh = dashboard.refresh;
    if (Object.keys(changes).length > 0) setParams(changes, true);
  }, [dashboard, params]);
}

function LoadedDashboard({ dashboard, params }: { dashboard: DashboardSpec; params: URLSearchParams }) {
  const tick = useRefreshTick();
  const options = useLoad(`options:${dashboard.id}:${tick}`, () => Promise.all(dashboard.variables.map(variableOptions)));
  const optionLists = options.status === 'done' ? options.value : dashboard.variables.map(() => []);
  const valuesKey = dashboard.variables.map((v, i) => chosenValue(v, params, optionLists[i])).join('\u0000');
  const values = useMemo<VariableValues>(() => {
    const chosen = valuesKey.split('\u0000');
    return Object.fromEntries(dashboard.variables.map((v, i) => [v.name, chosen[i]]));
  }, [dashboard, valuesKey]);
  const range = rangeFromParams(params);
  // one window for all panels, so they show the same instant
  const window = useMemo(() => resolveRange(range), [range.from, range.to, tick]); // eslint-disable-line react-hooks/exhaustive-deps
  const ready = options.status !== 'loading';
  return (
    <div className="dash-view">
      <p className="dash-breadcrumb">
        <a href={routeHref('/dashboards')}>Dashboards</a> /
      </p>
      <h1>{dashboard.title}</h1>
      {dashboard.description && <p className="muted">{dashboard.description}</p>}
      {dashboard.variables.length > 0 && (
        <div className="dash-variables" role="group" aria-label="Variables">
          {dashboard.variables.map((v, i) => (
            <VariableSelect key={v.name} variable={v} options={optionLists[i]} value={values[v.name]} />
          ))}
          {options.status === 'error' && <ErrorMessage error={options.error} />}
        </div>
      )}
      {dashboard.panels.length === 0 && <p className="muted">This dashboard has no panels.</p>}
      <div className="dash-grid">
        {ready && dashboard.panels.map((panel, i) => <Panel key={i} panel={panel} values={values} window={window} range={range} />)}
      </div>
    </div>
  );
}

async function variableOptions(variable: DashboardVariableSpec): Promise<string[]> {
  if (variable.values) return variable.values;
  const parsed = parseLabelValues(variable.query ?? '');
  if (!parsed) return [];
  return promLabelValues(parsed.label, parsed.selector);
}

function VariableSelect({ variable, options, value }: { variable: DashboardVariableSpec; options: string[]; value: string }) {
  const choices = options.includes(value) || value === ALL_VALUE || value === '' ? options : [value, ...options];
  return (
    <label className="dash-variable">
      <span>{variable.label ?? variable.name}</span>
      <select value={value} onChange={(e) => setParams({ [`var-${variable.name}`]: e.target.value }, false)}>
        {variable.include_all && <option value={ALL_VALUE}>All</option>}
        {choices.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}
