/**
 * The buttons that change an incident. Each POSTs, then the page reloads the
 * incident so the timeline shows what the server recorded; a refusal shows
 * the server's message under the buttons. The noise mark stays open after
 * resolution: whether a page was a false positive is often judged afterwards.
 */
import { useId, useState, type FormEvent } from 'react';
import { incidentAct, type Incident, type IncidentAction, type IncidentSeverity } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { allowedActions, parseSnoozeMinutes } from './incident-view.ts';

const SEVERITIES: IncidentSeverity[] = ['critical', 'high', 'medium', 'low'];

const DONE: Record<Exclude<IncidentAction['kind'], 'noise'>, string> = {
  acknowledge: 'Acknowledged.',
  unacknowledge: 'Un-acknowledged: paging resumes.',
  resolve: 'Resolved.',
  escalate: 'Escalated: the next step is being paged.',
  snooze: 'Snoozed.',
  reassign: 'Re-assigned.',
  severity: 'Severity changed.',
};

function doneText(action: IncidentAction): string {
  if (action.kind !== 'noise') return DONE[action.kind];
  return action.noise ? 'Marked as noise.' : 'No longer marked as noise.';
}

interface Props {
  incident: Incident;
  by: string;
  onChanged: () => void;
}

export function IncidentActions({ incident, by, onChanged }: Props) {
  const [outcome, setOutcome] = useState<{ message?: string; error?: unknown }>({});
  const [busy, setBusy] = useState(false);
  const allowed = allowedActions(incident.state);
  const act = async (action: IncidentAction) => {
    setBusy(true);
    try {
      await incidentAct(incident.id, action, by.trim() || undefined);
      setOutcome({ message: doneText(action) });
      onChanged();
    } catch (error) {
      setOutcome({ error });
    } finally {
      setBusy(false);
    }
  };
  const noiseToggle = <NoiseToggle busy={busy} noise={incident.noise === true} onToggle={(noise) => act({ kind: 'noise', noise })} />;
  const feedback = (
    <>
      {outcome.message && !busy && (
        <p role="status" className="muted">
          {outcome.message}
        </p>
      )}
      {outcome.error !== undefined && <ErrorMessage error={outcome.error} />}
    </>
  );
  if (allowed.length === 0) {
    return (
      <>
        <p className="muted">This incident is resolved; only the noise mark can still change.</p>
        <div className="oncall-actions">{noiseToggle}</div>
        {feedback}
      </>
    );
  }
  return (
    <>
      <div className="oncall-actions">
        {allowed.includes('acknowledge') && (
          <button type="button" className="primary" disabled={busy} onClick={() => act({ kind: 'acknowledge' })}>
            Acknowledge
          </button>
        )}
        {allowed.includes('unacknowledge') && (
          <button type="button" disabled={busy} onClick={() => act({ kind: 'unacknowledge' })}>
            Un-acknowledge
          </button>
        )}
        <button type="button" disabled={busy} onClick={() => act({ kind: 'resolve' })}>
          Resolve
        </button>
        <button type="button" disabled={busy} title="Page the next step of the escalation policy now" onClick={() => act({ kind: 'escalate' })}>
          Escalate
        </button>
        {noiseToggle}
      </div>
      <div className="oncall-actions">
        <SnoozeForm busy={busy} onSnooze={(minutes) => act({ kind: 'snooze', minutes })} />
        <ReassignForm busy={busy} current={incident.assignee} onReassign={(person) => act({ kind: 'reassign', person })} />
        <SeverityForm busy={busy} current={incident.severity} onChange={(severity) => act({ kind: 'severity', severity })} />
      </div>
      {feedback}
    </>
  );
}

/** A toggle button: pressed while the incident is marked as noise; it follows the server's answer, not the click. */
function NoiseToggle({ busy, noise, onToggle }: { busy: boolean; noise: boolean; onToggle: (noise: boolean) => void }) {
  return (
    <button type="button" aria-pressed={noise} disabled={busy} onClick={() => onToggle(!noise)}>
      Noise (a false positive)
    </button>
  );
}

function submitted(e: FormEvent, then: () => void) {
  e.preventDefault();
  then();
}

function SnoozeForm({ busy, onSnooze }: { busy: boolean; onSnooze: (minutes: number) => void }) {
  const [text, setText] = useState('30');
  const minutes = parseSnoozeMinutes(text);
  const id = useId();
  return (
    <form className="oncall-inline-form" aria-label="Snooze" onSubmit={(e) => submitted(e, () => minutes && onSnooze(minutes))}>
      <div className="oncall-field">
        <label htmlFor={id}>Snooze minutes</label>
        <input id={id} type="number" min={1} max={10080} step={1} value={text} onChange={(e) => setText(e.target.value)} aria-invalid={minutes === undefined} />
      </div>
      <button type="submit" disabled={busy || minutes === undefined}>
        Snooze
      </button>
    </form>
  );
}

function ReassignForm({ busy, current, onReassign }: { busy: boolean; current?: string; onReassign: (person: string) => void }) {
  const [person, setPerson] = useState('');
  const id = useId();
  return (
    <form className="oncall-inline-form" aria-label="Re-assign" onSubmit={(e) => submitted(e, () => person.trim() && onReassign(person.trim()))}>
      <div className="oncall-field">
        <label htmlFor={id}>Person id</label>
        <input id={id} type="text" value={person} placeholder={current ?? 'e.g. alice'} onChange={(e) => setPerson(e.target.value)} />
      </div>
      <button type="submit" disabled={busy || !person.trim()}>
        Re-assign
      </button>
    </form>
  );
}

function SeverityForm({ busy, current, onChange }: { busy: boolean; current: IncidentSeverity; onChange: (severity: IncidentSeverity) => void }) {
  const [severity, setSeverity] = useState(current);
  const id = useId();
  return (
    <form className="oncall-inline-form" aria-label="Change severity" onSubmit={(e) => submitted(e, () => onChange(severity))}>
      <div className="oncall-field">
        <label htmlFor={id}>Severity</label>
        <select id={id} value={severity} onChange={(e) => setSeverity(e.target.value as IncidentSeverity)}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={busy || severity === current}>
        Set severity
      </button>
    </form>
  );
}
