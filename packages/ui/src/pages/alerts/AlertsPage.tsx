/**
 * `#/alerts`: the dispatcher's firing alerts in its groups, and the rules'
 * pending alerts. The filter (`filter`, Alertmanager matchers) and
 * `muted=hide` live in the URL; the page refreshes itself every 30 s.
 */
import { useState } from 'react';
import type { PageProps } from '../../app/pages.tsx';
import { setParams } from '../../app/router.ts';
import { alertGroupsMatching, ruleGroups, type AlertGroup } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { AlertCard } from './AlertCard.tsx';
import { PendingAlerts } from './PendingAlerts.tsx';
import { LabelChips } from '../../components/LabelChips.tsx';
import { usePolled } from '../../components/use-polled.ts';
import './alerts.css';

export function AlertsPage({ route }: PageProps) {
  const filter = route.params.get('filter') ?? '';
  const includeMuted = route.params.get('muted') !== 'hide';
  const groups = usePolled(() => alertGroupsMatching(filter ? [filter] : [], includeMuted), `${filter}\n${includeMuted}`);
  const rules = usePolled(ruleGroups, 'rules');
  const refresh = () => {
    groups.refresh();
    rules.refresh();
  };
  return (
    <div className="alerts-page">
      <h1>Alerts</h1>
      <AlertsToolbar filter={filter} includeMuted={includeMuted} loading={groups.loading || rules.loading} onRefresh={refresh} />
      <section aria-labelledby="alerts-firing">
        <h2 id="alerts-firing">Firing{groups.data && ` (${countAlerts(groups.data)})`}</h2>
        {groups.error ? <ErrorMessage error={groups.error} query={filter} /> : groups.data && <AlertGroups groups={groups.data} />}
      </section>
      <section aria-labelledby="alerts-pending">
        <h2 id="alerts-pending">Pending</h2>
        {rules.error ? <ErrorMessage error={rules.error} /> : rules.data && <PendingAlerts groups={rules.data} filter={filter} />}
      </section>
    </div>
  );
}

function countAlerts(groups: AlertGroup[]): number {
  return groups.reduce((n, group) => n + group.alerts.length, 0);
}

function AlertsToolbar(props: { filter: string; includeMuted: boolean; loading: boolean; onRefresh: () => void }) {
  const [draft, setDraft] = useState(props.filter);
  return (
    <div className="alerts-toolbar">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ filter: draft.trim() }, false);
        }}
      >
        <label htmlFor="alerts-filter">Filter</label>
        <input
          id="alerts-filter"
          type="search"
          placeholder='e.g. severity="critical", team=~"db.*"'
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">Apply</button>
      </form>
      <label>
        <input type="checkbox" checked={props.includeMuted} onChange={(e) => setParams({ muted: e.target.checked ? undefined : 'hide' }, false)} />
        Show silenced and inhibited
      </label>
      <button type="button" onClick={props.onRefresh} aria-busy={props.loading}>
        {props.loading ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  );
}

function AlertGroups({ groups }: { groups: AlertGroup[] }) {
  const nowMs = Date.now();
  if (groups.length === 0) return <p className="muted">No alerts match.</p>;
  return (
    <>
      {groups.map((group) => (
        <section key={groupKey(group)} className="alerts-group" aria-label={`Group ${groupTitle(group)}`}>
          <div className="alerts-group-header">
            {Object.keys(group.labels).length > 0 ? <LabelChips labels={group.labels} label="Group labels" /> : <span className="muted">(not grouped)</span>}
            <span className="muted">
              → receiver <strong>{group.receiver.name}</strong>
            </span>
          </div>
          {group.alerts.map((alert) => (
            <AlertCard key={alert.fingerprint} alert={alert} groupLabels={group.labels} nowMs={nowMs} />
          ))}
        </section>
      ))}
    </>
  );
}

function groupTitle(group: AlertGroup): string {
  const labels = Object.entries(group.labels).map(([name, value]) => `${name}=${value}`);
  return labels.length > 0 ? labels.join(', ') : 'all alerts';
}

function groupKey(group: AlertGroup): string {
  return `${group.receiver.name}\n${JSON.stringify(group.labels)}`;
}
