/** The alerts a silence with these matchers would mute right now, silenced and inhibited ones included. */
import { useEffect, useState } from 'react';
import { alerts as listAlerts, type AlertmanagerAlert } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { LabelChips } from '../../components/LabelChips.tsx';
import { matcherText, type MatcherRow } from './matchers.ts';

/** Typing in a matcher row asks the server again only after this pause. */
const PREVIEW_DELAY_MS = 300;

export function SilencePreview({ rows }: { rows: MatcherRow[] }) {
  const filter = rows.filter((row) => row.name.trim() !== '').map((row) => matcherText({ ...row, name: row.name.trim() }));
  const key = filter.join('\n');
  const [result, setResult] = useState<{ key: string; alerts?: AlertmanagerAlert[]; error?: unknown }>();
  useEffect(() => {
    if (filter.length === 0) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      listAlerts(filter).then(
        (alerts) => !cancelled && setResult({ key, alerts }),
        (error: unknown) => !cancelled && setResult({ key, error }),
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // `filter` is rebuilt each render; `key` is its content
  }, [key]);
  return (
    <section className="panel" aria-labelledby="silence-preview" aria-live="polite">
      <h2 id="silence-preview">Preview: alerts this silence would mute</h2>
      <PreviewBody hasMatchers={filter.length > 0} current={result?.key === key} alerts={result?.alerts} error={result?.error} />
    </section>
  );
}

function PreviewBody(props: { hasMatchers: boolean; current: boolean; alerts?: AlertmanagerAlert[]; error?: unknown }) {
  if (!props.hasMatchers) return <p className="muted">Add a matcher to see which alerts it matches.</p>;
  if (!props.current) return <p className="muted">Looking…</p>;
  if (props.error !== undefined) return <ErrorMessage error={props.error} />;
  if (!props.alerts || props.alerts.length === 0) return <p className="muted">No current alert matches.</p>;
  return (
    <ul className="alerts-rule-list" aria-label="Matching alerts">
      {props.alerts.map(({ fingerprint, labels: { alertname, ...labels }, status }) => (
        <li key={fingerprint} className="alerts-rule">
          <strong>{alertname ?? '(no alertname)'}</strong>
          {status.silencedBy.length > 0 && <span className="muted"> (already silenced)</span>}
          <LabelChips labels={labels} />
        </li>
      ))}
    </ul>
  );
}
