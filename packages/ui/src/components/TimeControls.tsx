/** The time range picker and auto-refresh choice, both kept in the URL. */
import { useEffect, useState } from 'react';
import { setParams, useRoute } from '../app/router.ts';
import { describeRange, durationMs, presets, rangeFromParams, refreshChoices, resolveTime } from '../time/range.ts';

export function TimeControls() {
  const { params } = useRoute();
  const range = rangeFromParams(params);
  const [custom, setCustom] = useState(false);
  const isPreset = presets.some((p) => p.from === range.from && range.to === 'now');
  return (
    <div className="time-controls">
      <label>
        <span className="sr-only">Time range</span>
        <select
          aria-label="Time range"
          value={custom || !isPreset ? 'custom' : range.from}
          onChange={(e) => {
            if (e.target.value === 'custom') return setCustom(true);
            setCustom(false);
            setParams({ from: e.target.value, to: 'now' }, false);
          }}
        >
          {presets.map((p) => (
            <option key={p.from} value={p.from}>
              {p.label}
            </option>
          ))}
          <option value="custom">{isPreset ? 'Custom…' : describeRange(range)}</option>
        </select>
      </label>
      {(custom || !isPreset) && <CustomRange from={range.from} to={range.to} onDone={() => setCustom(false)} />}
      <label>
        <span className="sr-only">Auto-refresh</span>
        <select aria-label="Auto-refresh" value={params.get('refresh') ?? ''} onChange={(e) => setParams({ refresh: e.target.value }, false)}>
          {refreshChoices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.value ? `Refresh every ${c.label}` : 'Auto-refresh off'}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function toLocalInput(text: string): string {
  const ms = resolveTime(text, Date.now()) ?? Date.now();
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function CustomRange({ from, to, onDone }: { from: string; to: string; onDone: () => void }) {
  const [start, setStart] = useState(toLocalInput(from));
  const [end, setEnd] = useState(toLocalInput(to));
  const startMs = new Date(start).getTime();
  const endMs = new Date(end).getTime();
  const valid = Number.isFinite(startMs) && Number.isFinite(endMs) && startMs < endMs;
  return (
    <form
      className="custom-range"
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        setParams({ from: String(startMs), to: String(endMs) }, false);
        onDone();
      }}
    >
      <input type="datetime-local" aria-label="From" value={start} onChange={(e) => setStart(e.target.value)} />
      <input type="datetime-local" aria-label="To" value={end} onChange={(e) => setEnd(e.target.value)} />
      <button type="submit" disabled={!valid}>
        Apply
      </button>
    </form>
  );
}

/** Re-runs `load` every `refresh` (from the URL) while the page is visible; returns a counter to put in effect deps. */
export function useRefreshTick(): number {
  const { params } = useRoute();
  const every = durationMs(params.get('refresh') ?? '');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!every) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, every);
    return () => clearInterval(timer);
  }, [every]);
  return tick;
}
