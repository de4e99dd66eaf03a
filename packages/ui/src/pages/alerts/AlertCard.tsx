/** One alert from the dispatcher: what it says, how long it has fired, whether it is muted, and "Silence this". */
import type { AlertmanagerAlert } from '../../api/client.ts';
import { navigate, routeHref } from '../../app/router.ts';
import { LabelChips, safeHref } from '../../components/LabelChips.tsx';
import { matcherText } from './matchers.ts';
import { durationText, parseTime } from '../../components/time-text.ts';

/** The silence editor, pre-filled with equality matchers for the alertname and the group's labels. */
export function silenceThisParams(alert: AlertmanagerAlert, groupLabels: Record<string, string>): URLSearchParams {
  const labels = { ...(alert.labels.alertname ? { alertname: alert.labels.alertname } : {}), ...groupLabels };
  const matchers = Object.entries(labels).map(([name, value]) => matcherText({ name, op: '=', value }));
  const params = new URLSearchParams([['new', '1'], ['from', 'alerts']]);
  for (const matcher of matchers) params.append('matcher', matcher);
  return params;
}

export function AlertCard({ alert, groupLabels, nowMs }: { alert: AlertmanagerAlert; groupLabels: Record<string, string>; nowMs: number }) {
  const { alertname = '(no alertname)', ...otherLabels } = alert.labels;
  const { summary, description, runbook_url: runbook, dashboard_url: dashboard } = alert.annotations;
  const startsAt = parseTime(alert.startsAt);
  return (
    <article className="panel alerts-card" aria-label={`Alert ${alertname}`}>
      <div className="alerts-card-head">
        <h3>{alertname}</h3>
        <AlertState alert={alert} />
        {startsAt !== undefined && <span className="muted">firing for {durationText(nowMs - startsAt)}</span>}
        <div className="alerts-card-actions">
          {safeHref(runbook) && (
            <a href={safeHref(runbook)} target="_blank" rel="noreferrer">
              Runbook
            </a>
          )}
          {safeHref(dashboard) && (
            <a href={safeHref(dashboard)} target="_blank" rel="noreferrer">
              Dashboard
            </a>
          )}
          <button type="button" onClick={() => navigate('/silences', silenceThisParams(alert, groupLabels))}>
            Silence this
          </button>
        </div>
      </div>
      {summary && <p className="alerts-summary">{summary}</p>}
      {description && <p className="alerts-description">{description}</p>}
      <LabelChips labels={otherLabels} />
    </article>
  );
}

function AlertState({ alert }: { alert: AlertmanagerAlert }) {
  const { silencedBy, inhibitedBy, state } = alert.status;
  if (silencedBy.length > 0) {
    return (
      <span className="alerts-badge alerts-state-suppressed">
        silenced by{' '}
        {silencedBy.map((id, i) => (
          <span key={id}>
            {i > 0 && ', '}
            <a href={routeHref('/silences', { id })}>{id.slice(0, 8)}</a>
          </span>
        ))}
      </span>
    );
  }
  if (inhibitedBy.length > 0) {
    return (
      <span className="alerts-badge alerts-state-suppressed" title={`inhibited by ${inhibitedBy.join(', ')}`}>
        inhibited
      </span>
    );
  }
  return <span className={`alerts-badge alerts-state-${state}`}>{state}</span>;
}
