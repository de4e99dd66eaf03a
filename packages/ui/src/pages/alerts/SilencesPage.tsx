/**
 * `#/silences`: active, pending and expired silences (tab in `state`), an
 * Expire button with a confirmation step, and the editor at `?new=1`
 * (pre-filled by `matcher=` params, e.g. from the Alerts page).
 */
import { useState } from 'react';
import type { PageProps } from '../../app/pages.tsx';
import { navigate, routeHref } from '../../app/router.ts';
import { expireSilence, silences as listSilences, type Silence } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { SilenceEditor } from './SilenceEditor.tsx';
import { fromSilenceMatcher, matcherText } from './matchers.ts';
import { dateTimeText, durationText, parseTime, relativeText } from '../../components/time-text.ts';
import { usePolled } from '../../components/use-polled.ts';
import './alerts.css';

type SilenceState = Silence['status']['state'];
const STATES: SilenceState[] = ['active', 'pending', 'expired'];

export function SilencesPage({ route }: PageProps) {
  if (route.params.get('new') === '1') return <SilenceEditor key={route.params.toString()} params={route.params} />;
  return <SilenceList highlight={route.params.get('id') ?? undefined} tab={route.params.get('state') ?? undefined} />;
}

function SilenceList({ highlight, tab }: { highlight?: string; tab?: string }) {
  const silences = usePolled(listSilences, 'silences');
  const highlighted = silences.data?.find((s) => s.id === highlight);
  const state = (STATES as string[]).includes(tab ?? '') ? (tab as SilenceState) : (highlighted?.status.state ?? 'active');
  const shown = (silences.data ?? []).filter((s) => s.status.state === state).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return (
    <div className="alerts-page">
      <h1>Silences</h1>
      <div className="alerts-toolbar">
        <nav className="alerts-tabs" aria-label="Silence states">
          {STATES.map((s) => (
            <a key={s} href={routeHref('/silences', { state: s })} aria-current={s === state ? 'page' : undefined}>
              {s[0].toUpperCase() + s.slice(1)} ({(silences.data ?? []).filter((x) => x.status.state === s).length})
            </a>
          ))}
        </nav>
        <button type="button" onClick={silences.refresh}>
          {silences.loading ? 'Refreshing…' : 'Refresh'}
        </button>
        <button type="button" className="primary" onClick={() => navigate('/silences', { new: '1' })}>
          New silence
        </button>
      </div>
      {silences.error ? (
        <ErrorMessage error={silences.error} />
      ) : (
        silences.data && (
          <section aria-label={`${state} silences`}>
            {shown.length === 0 && <p className="muted">No {state} silences.</p>}
            {shown.map((silence) => (
              <SilenceCard key={silence.id} silence={silence} highlighted={silence.id === highlight} onChanged={silences.refresh} />
            ))}
          </section>
        )
      )}
    </div>
  );
}

function SilenceCard({ silence, highlighted, onChanged }: { silence: Silence; highlighted: boolean; onChanged: () => void }) {
  const nowMs = Date.now();
  const startsAt = parseTime(silence.startsAt);
  const endsAt = parseTime(silence.endsAt);
  const { state } = silence.status;
  return (
    <article className={`panel alerts-card${highlighted ? ' alerts-highlight' : ''}`} aria-label={`Silence ${silence.id}`}>
      <div className="alerts-card-head">
        <span className={`alerts-badge alerts-state-${state}`}>{state}</span>
        <TimeLeft state={state} startsAt={startsAt} endsAt={endsAt} nowMs={nowMs} />
        <ul className="alerts-chips" aria-label="Matchers">
          {silence.matchers.map((m) => {
            const text = matcherText(fromSilenceMatcher(m));
            return (
              <li key={text} className="alerts-chip">
                {text}
              </li>
            );
          })}
        </ul>
        {state !== 'expired' && <ExpireButton id={silence.id} onExpired={onChanged} />}
      </div>
      <p className="alerts-description">{silence.comment}</p>
      <dl className="alerts-meta">
        <dt>Created by</dt>
        <dd>{silence.createdBy || '—'}</dd>
        <dt>Starts</dt>
        <dd>
          {dateTimeText(startsAt)} ({relativeText(startsAt, nowMs)})
        </dd>
        <dt>{state === 'expired' ? 'Ended' : 'Ends'}</dt>
        <dd>
          {dateTimeText(endsAt)} ({relativeText(endsAt, nowMs)})
        </dd>
        <dt>ID</dt>
        <dd>{silence.id}</dd>
      </dl>
    </article>
  );
}

function TimeLeft({ state, startsAt, endsAt, nowMs }: { state: SilenceState; startsAt?: number; endsAt?: number; nowMs: number }) {
  if (state === 'pending' && startsAt !== undefined) return <span className="muted">starts in {durationText(startsAt - nowMs)}</span>;
  if (state === 'active' && endsAt !== undefined) return <span className="muted">{durationText(endsAt - nowMs)} left</span>;
  return null;
}

/** Two steps, so one stray click or key press cannot un-mute a page's worth of alerts. */
function ExpireButton({ id, onExpired }: { id: string; onExpired: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  const expire = async () => {
    try {
      await expireSilence(id);
      setConfirming(false);
      onExpired();
    } catch (err) {
      setError(err);
    }
  };
  if (!confirming) {
    return (
      <div className="alerts-card-actions">
        <button type="button" onClick={() => setConfirming(true)}>
          Expire
        </button>
      </div>
    );
  }
  return (
    <div className="alerts-card-actions" role="group" aria-label="Confirm expiry">
      <span>Expire this silence now?</span>
      <button type="button" className="primary" onClick={() => void expire()} autoFocus>
        Yes, expire
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {error !== undefined && <ErrorMessage error={error} />}
    </div>
  );
}
