/** `#/incidents/<id>`: the incident, its actions, alerts, timeline, pages and record. */
import { routeHref } from '../../app/router.ts';
import { incidentDetail, type Incident, type IncidentDetail, type IncidentPage, type IncidentTimelineEntry } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { LabelChips } from '../../components/LabelChips.tsx';
import { dateTimeText, parseTime } from '../../components/time-text.ts';
import { usePolled } from '../../components/use-polled.ts';
import { useActingAs } from './acting-as.ts';
import { ActingAs } from './ActingAs.tsx';
import { SeverityBadge, StateBadge } from './Badges.tsx';
import { IncidentActions } from './IncidentActions.tsx';
import { IncidentRecord } from './IncidentRecord.tsx';
import { StackedTablePanel, type Column } from './StackedTablePanel.tsx';
import { detailText, openForText, pagesInOrder, stepText, timelineInOrder } from './incident-view.ts';
// the label chips' styles

export function IncidentDetailView({ id }: { id: string }) {
  const detail = usePolled(() => incidentDetail(id), id, 15_000);
  const [actingAs, setActingAs] = useActingAs();
  return (
    <div className="oncall-page">
      <p>
        <a href={routeHref('/incidents')}>← All open incidents</a>
      </p>
      {!detail.data && <h1>Incident {id}</h1>}
      {detail.error !== undefined && <ErrorMessage error={detail.error} />}
      {!detail.data && !detail.error && <p className="muted">Loading…</p>}
      {detail.data && (
        <>
          <IncidentHeader incident={detail.data.incident} />
          <section className="panel oncall-actions-panel" aria-label="Actions">
            <ActingAs value={actingAs} onChange={setActingAs} />
            <IncidentActions incident={detail.data.incident} by={actingAs} onChanged={detail.refresh} />
          </section>
          <IncidentSections detail={detail.data} />
          <IncidentRecord id={id} />
        </>
      )}
    </div>
  );
}

function IncidentHeader({ incident }: { incident: Incident }) {
  const facts: [string, string | undefined][] = [
    ['Id', incident.id],
    ['Duration', openForText(incident, Date.now())],
    ['Assignee', incident.assignee ?? 'none'],
    ['Policy', incident.policyId],
    ['Created', dateTimeText(parseTime(incident.createdAt))],
    ['Acknowledged', incident.acknowledgedAt && `${dateTimeText(parseTime(incident.acknowledgedAt))} by ${incident.acknowledgedBy ?? 'unknown'}`],
    ['Re-triggers at', incident.state === 'acknowledged' && incident.ackUntil ? dateTimeText(parseTime(incident.ackUntil)) : undefined],
    ['Resolved', incident.resolvedAt && `${dateTimeText(parseTime(incident.resolvedAt))} by ${incident.resolvedBy ?? 'unknown'}`],
    ['Noise', incident.noise ? 'marked as a false positive' : undefined],
    ['Next escalation', incident.state === 'triggered' && incident.escalation?.nextDueAt ? dateTimeText(parseTime(incident.escalation.nextDueAt)) : undefined],
  ];
  return (
    <section className={`panel oncall-incident oncall-edge-${incident.severity}`} aria-label="Incident summary">
      <div className="oncall-incident-head">
        <SeverityBadge severity={incident.severity} />
        <StateBadge state={incident.state} />
      </div>
      <h1>{incident.summary || `Incident ${incident.id}`}</h1>
      <dl className="oncall-meta">
        {facts
          .filter((fact): fact is [string, string] => Boolean(fact[1]))
          .map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

function IncidentSections({ detail }: { detail: IncidentDetail }) {
  return (
    <>
      <section className="panel" aria-labelledby="oncall-alerts">
        <h2 id="oncall-alerts">Alerts ({detail.alerts.length})</h2>
        {detail.alerts.length === 0 && <p className="muted">No alerts recorded.</p>}
        <ul className="oncall-alerts" aria-label="Incident alerts">
          {detail.alerts.map((alert) => (
            <li key={alert.fingerprint}>
              <StateBadge state={alert.status} /> <LabelChips labels={alert.labels} />
            </li>
          ))}
        </ul>
      </section>
      <Timeline entries={timelineInOrder(detail.timeline)} />
      <Pages pages={pagesInOrder(detail.pages)} />
    </>
  );
}

const timelineColumns: Column<IncidentTimelineEntry>[] = [
  { label: 'Time', cell: (entry) => dateTimeText(parseTime(entry.at)) },
  { label: 'Actor', cell: (entry) => entry.actor },
  { label: 'Action', cell: (entry) => entry.action },
  { label: 'Via', cell: (entry) => entry.via },
  { label: 'Detail', cell: (entry) => detailText(entry.detail) },
];

function Timeline({ entries }: { entries: IncidentTimelineEntry[] }) {
  return (
    <StackedTablePanel
      id="oncall-timeline"
      title="Timeline"
      empty="Nothing has happened yet."
      columns={timelineColumns}
      rows={entries}
      rowKey={(_, index) => index}
    />
  );
}

const pageColumns: Column<IncidentPage>[] = [
  { label: 'Person', cell: (page) => page.person },
  { label: 'Step', cell: (page) => stepText(page) },
  {
    label: 'Status',
    cell: (page) => (
      <>
        {page.status}
        {page.error && <span className="oncall-page-error"> — {page.error}</span>}
      </>
    ),
  },
  { label: 'Sent', cell: (page) => (page.sentAt ? dateTimeText(parseTime(page.sentAt)) : `due ${dateTimeText(parseTime(page.dueAt))}`) },
];

function Pages({ pages }: { pages: IncidentPage[] }) {
  return (
    <StackedTablePanel id="oncall-pages" title="Pages" empty="Nobody has been paged." columns={pageColumns} rows={pages} rowKey={(page) => page.key} />
  );
}
