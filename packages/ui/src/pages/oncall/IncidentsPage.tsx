/**
 * `#/incidents`: open incidents (or all, `state=all`), triggered first, with
 * "Acknowledge all" for a storm; `#/incidents/<id>` is one incident.
 */
import { useState } from 'react';
import type { PageProps } from '../../app/pages.tsx';
import { routeHref } from '../../app/router.ts';
import { acknowledgeAllIncidents, incidentList, type Incident } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { usePolled } from '../../components/use-polled.ts';
import { ActingAs } from './ActingAs.tsx';
import { SeverityBadge, StateBadge } from './Badges.tsx';
import { IncidentDetailView } from './IncidentDetail.tsx';
import { openForText, sortIncidents } from './incident-view.ts';
import { useActingAs } from './acting-as.ts';
import './oncall.css';

const PREFIX = '/incidents/';

export function IncidentsPage({ route }: PageProps) {
  if (route.path.startsWith(PREFIX)) {
    const id = decodeURIComponent(route.path.slice(PREFIX.length));
    return <IncidentDetailView key={id} id={id} />;
  }
  return <IncidentList showAll={route.params.get('state') === 'all'} />;
}

function IncidentList({ showAll }: { showAll: boolean }) {
  const state = showAll ? 'all' : 'open';
  const incidents = usePolled(() => incidentList(state), state, 15_000);
  const [actingAs, setActingAs] = useActingAs();
  return (
    <div className="oncall-page">
      <h1>Incidents</h1>
      <div className="oncall-toolbar">
        <nav className="oncall-tabs" aria-label="Incident states">
          <a href={routeHref('/incidents')} aria-current={showAll ? undefined : 'page'}>
            Open
          </a>
          <a href={routeHref('/incidents', { state: 'all' })} aria-current={showAll ? 'page' : undefined}>
            All
          </a>
        </nav>
        <ActingAs value={actingAs} onChange={setActingAs} />
        <button type="button" onClick={incidents.refresh} aria-busy={incidents.loading}>
          {incidents.loading ? 'Refreshing…' : 'Refresh'}
        </button>
        <AcknowledgeAll by={actingAs} onDone={incidents.refresh} />
      </div>
      <section aria-label={showAll ? 'All incidents' : 'Open incidents'}>
        {incidents.error ? <ErrorMessage error={incidents.error} /> : incidents.data && <IncidentRows incidents={incidents.data} showAll={showAll} />}
      </section>
    </div>
  );
}

function AcknowledgeAll({ by, onDone }: { by: string; onDone: () => void }) {
  const [outcome, setOutcome] = useState<{ message?: string; error?: unknown }>({});
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const { acknowledged } = await acknowledgeAllIncidents(by.trim() || undefined);
      setOutcome({ message: `Acknowledged ${acknowledged} incident${acknowledged === 1 ? '' : 's'}.` });
      onDone();
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="primary" onClick={run} disabled={busy}>
        Acknowledge all
      </button>
      {outcome.message && (
        <span role="status" className="muted">
          {outcome.message}
        </span>
      )}
      {outcome.error !== undefined && <ErrorMessage error={outcome.error} />}
    </>
  );
}

function IncidentRows({ incidents, showAll }: { incidents: Incident[]; showAll: boolean }) {
  const nowMs = Date.now();
  if (incidents.length === 0) return <p className="muted">{showAll ? 'No incidents yet.' : 'No open incidents.'}</p>;
  return (
    <ul className="oncall-list">
      {sortIncidents(incidents).map((incident) => (
        <li key={incident.id}>
          <article className={`panel oncall-incident oncall-edge-${incident.severity}`} aria-label={`Incident ${incident.id}`}>
            <div className="oncall-incident-head">
              <SeverityBadge severity={incident.severity} />
              <StateBadge state={incident.state} />
              <a className="oncall-summary" href={routeHref(`${PREFIX}${encodeURIComponent(incident.id)}`)}>
                {incident.summary || `Incident ${incident.id}`}
              </a>
            </div>
            <p className="oncall-facts muted">
              <span>#{incident.id}</span>
              <span>{openForText(incident, nowMs)}</span>
              <span>assignee {incident.assignee ?? 'none'}</span>
              <span>policy {incident.policyId}</span>
            </p>
          </article>
        </li>
      ))}
    </ul>
  );
}
