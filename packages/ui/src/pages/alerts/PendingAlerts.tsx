/** The rules' pending alerts: their conditions hold but not yet for their `for` duration. */
import type { RuleGroupStatus } from '../../api/client.ts';
import { LabelChips } from '../../components/LabelChips.tsx';
import { matchesLabels, parseMatcherList } from './matchers.ts';
import { durationText, parseTime } from '../../components/time-text.ts';

interface PendingAlert {
  rule: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  activeAt?: number;
}

function pendingAlerts(groups: RuleGroupStatus[]): PendingAlert[] {
  return groups.flatMap((group) =>
    group.rules.flatMap((rule) =>
      (rule.alerts ?? [])
        .filter((alert) => alert.state === 'pending')
        .map((alert) => ({ rule: rule.name, labels: alert.labels, annotations: alert.annotations, activeAt: parseTime(alert.activeAt) })),
    ),
  );
}

/** The filter is applied here too; text the server refuses is reported above, so it filters nothing here. */
export function PendingAlerts({ groups, filter }: { groups: RuleGroupStatus[]; filter: string }) {
  const matchers = parseMatcherList(filter) ?? [];
  const alerts = pendingAlerts(groups).filter((alert) => matchesLabels(alert.labels, matchers));
  const nowMs = Date.now();
  if (alerts.length === 0) return <p className="muted">No alerts are pending.</p>;
  return (
    <>
      {alerts.map((alert) => (
        <article key={`${alert.rule}\n${JSON.stringify(alert.labels)}`} className="panel alerts-card" aria-label={`Pending alert ${alert.rule}`}>
          <div className="alerts-card-head">
            <h3>{alert.rule}</h3>
            <span className="alerts-badge alerts-state-pending">pending</span>
            {alert.activeAt !== undefined && <span className="muted">pending for {durationText(nowMs - alert.activeAt)}</span>}
          </div>
          {alert.annotations.summary && <p className="alerts-summary">{alert.annotations.summary}</p>}
          <LabelChips labels={alert.labels} />
        </article>
      ))}
    </>
  );
}
