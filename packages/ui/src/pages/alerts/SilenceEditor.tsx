/**
 * The "New silence" form: matcher rows, start, duration or end, creator
 * (remembered in this browser), a required comment, and a live preview of
 * the alerts the silence would mute. The server's refusals are shown in
 * the form.
 */
import { useState, type FormEvent } from 'react';
import { navigate } from '../../app/router.ts';
import { createSilence } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { MatcherRows } from './MatcherRows.tsx';
import { SilencePreview } from './SilencePreview.tsx';
import { parseMatcherText, toSilenceMatcher, type MatcherRow } from './matchers.ts';
import { durationText, localInputValue, parseDuration } from '../../components/time-text.ts';

const CREATOR_KEY = 'vigil.silence.createdBy';
/** Unless the URL's `duration` says otherwise. */
const DEFAULT_DURATION = '2h';

function initialRows(params: URLSearchParams): MatcherRow[] {
  const rows = params.getAll('matcher').map(parseMatcherText).filter((row) => row !== undefined);
  return rows.length > 0 ? rows : [{ name: '', op: '=', value: '' }];
}

function rememberedCreator(): string {
  try {
    return localStorage.getItem(CREATOR_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberCreator(name: string): void {
  try {
    localStorage.setItem(CREATOR_KEY, name);
  } catch {
    // storage may be off (private mode); the field is then simply not remembered
  }
}

export function SilenceEditor({ params }: { params: URLSearchParams }) {
  const [rows, setRows] = useState(() => initialRows(params));
  const [start, setStart] = useState(() => localInputValue(Date.now()));
  const [duration, setDuration] = useState(params.get('duration') ?? DEFAULT_DURATION);
  const [end, setEnd] = useState(() => localInputValue(Date.now() + (parseDuration(duration) ?? 0)));
  const [createdBy, setCreatedBy] = useState(rememberedCreator);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const startMs = new Date(start).getTime();
  const endMs = new Date(end).getTime();
  const back = params.get('from') === 'alerts' ? '/alerts' : '/silences';

  const changeStart = (value: string) => {
    setStart(value);
    const ms = parseDuration(duration);
    if (ms !== undefined && Number.isFinite(new Date(value).getTime())) setEnd(localInputValue(new Date(value).getTime() + ms));
  };
  const changeDuration = (value: string) => {
    setDuration(value);
    const ms = parseDuration(value);
    if (ms !== undefined && Number.isFinite(startMs)) setEnd(localInputValue(startMs + ms));
  };
  const changeEnd = (value: string) => {
    setEnd(value);
    const ms = new Date(value).getTime() - startMs;
    if (ms > 0) setDuration(durationText(ms));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = formProblem(rows, startMs, endMs, comment);
    if (problem) return setError(new Error(problem));
    setSaving(true);
    setError(undefined);
    try {
      rememberCreator(createdBy.trim());
      const matchers = rows.filter((row) => row.name.trim() !== '').map(toSilenceMatcher);
      const { silenceID } = await createSilence({
        matchers,
        startsAt: new Date(startMs).toISOString(),
        endsAt: new Date(endMs).toISOString(),
        createdBy: createdBy.trim(),
        comment: comment.trim(),
      });
      navigate(back, back === '/silences' ? { id: silenceID } : undefined);
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  return (
    <div className="alerts-page">
      <h1>New silence</h1>
      <form className="panel alerts-form" onSubmit={(e) => void submit(e)} aria-label="New silence">
        <MatcherRows rows={rows} onChange={setRows} />
        <div className="alerts-form-row">
          <label className="alerts-field">
            Start
            <input type="datetime-local" value={start} onChange={(e) => changeStart(e.target.value)} required />
          </label>
          <label className="alerts-field">
            Duration
            <input type="text" value={duration} onChange={(e) => changeDuration(e.target.value)} placeholder="e.g. 2h, 1d, 30m" aria-invalid={parseDuration(duration) === undefined} />
          </label>
          <label className="alerts-field">
            End
            <input type="datetime-local" value={end} onChange={(e) => changeEnd(e.target.value)} required />
          </label>
        </div>
        <label className="alerts-field">
          Created by
          <input type="text" value={createdBy} onChange={(e) => setCreatedBy(e.target.value)} autoComplete="name" required />
        </label>
        <label className="alerts-field">
          Comment
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={3} required placeholder="Why, and a ticket if there is one" />
        </label>
        {error !== undefined && <ErrorMessage error={error} />}
        <div className="alerts-toolbar">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Creating…' : 'Create silence'}
          </button>
          <button type="button" onClick={() => navigate(back)}>
            Cancel
          </button>
        </div>
      </form>
      <SilencePreview rows={rows} />
    </div>
  );
}

/** What the browser's `required` checks cannot see; the server checks the rest (regexes, times in the past). */
function formProblem(rows: MatcherRow[], startMs: number, endMs: number, comment: string): string | undefined {
  if (!rows.some((row) => row.name.trim() !== '')) return 'Add at least one matcher with a label name.';
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) return 'Start and end must both be set.';
  if (endMs <= startMs) return 'The end must be after the start.';
  if (!comment.trim()) return 'A comment is required: say why the alerts are silenced.';
  return undefined;
}
