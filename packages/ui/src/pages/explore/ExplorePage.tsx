/**
 * Explore: one PromQL or LogQL query over the shared time range. Mode,
 * query and view live in the URL (`mode`, `query`, `view`), so a link
 * reproduces what was on screen.
 */
import { useEffect, useState } from 'react';
import type { PageProps } from '../../app/pages.tsx';
import { setParams } from '../../app/router.ts';
import { useRefreshTick } from '../../components/TimeControls.tsx';
import { rangeFromParams } from '../../time/range.ts';
import { LogsResult } from './LogsResult.tsx';
import { MetricsResult, type MetricsView } from './MetricsResult.tsx';
import { QueryEditor } from './QueryEditor.tsx';
import './explore.css';

type Mode = 'metrics' | 'logs';

const modes: { mode: Mode; label: string; placeholder: string }[] = [
  { mode: 'metrics', label: 'Metrics (PromQL)', placeholder: 'e.g. sum by (job) (rate(http_requests_total[5m]))' },
  { mode: 'logs', label: 'Logs (LogQL)', placeholder: 'e.g. {service="api"} |= "error"' },
];

export function ExplorePage({ route }: PageProps) {
  const { params } = route;
  const mode: Mode = params.get('mode') === 'logs' ? 'logs' : 'metrics';
  const query = params.get('query') ?? '';
  const view: MetricsView = params.get('view') === 'table' ? 'table' : 'chart';
  const range = rangeFromParams(params);
  const tick = useRefreshTick();
  const [runs, setRuns] = useState(0);
  const [draft, setDraft] = useState(query);
  useEffect(() => setDraft(query), [query, mode]);

  const run = () => {
    if (draft !== query) setParams({ query: draft.trim() ? draft : undefined }, false);
    setRuns((n) => n + 1);
  };
  // The two languages share no queries, so a new mode starts empty.
  const switchMode = (next: Mode) => {
    if (next !== mode) setParams({ mode: next, query: undefined, view: undefined }, false);
  };
  const version = `${runs}:${tick}`;
  return (
    <div className="explore">
      <h1 className="sr-only">Explore</h1>
      <div className="explore-modes" role="group" aria-label="Query language">
        {modes.map((m) => (
          <button key={m.mode} type="button" aria-pressed={mode === m.mode} onClick={() => switchMode(m.mode)}>
            {m.label}
          </button>
        ))}
      </div>
      <QueryEditor
        language={mode === 'logs' ? 'logql' : 'promql'}
        value={draft}
        onChange={setDraft}
        onRun={run}
        placeholder={modes.find((m) => m.mode === mode)!.placeholder}
      />
      {mode === 'metrics' && (
        <div className="explore-views" role="group" aria-label="Result view">
          {(['chart', 'table'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => setParams({ view: v === 'chart' ? undefined : v }, false)}>
              {v === 'chart' ? 'Chart' : 'Table'}
            </button>
          ))}
        </div>
      )}
      {!query ? (
        <p className="muted">Type a {mode === 'logs' ? 'LogQL' : 'PromQL'} query and press Run (or Ctrl+Enter).</p>
      ) : mode === 'logs' ? (
        <LogsResult query={query} range={range} version={version} params={params} />
      ) : (
        <MetricsResult query={query} range={range} view={view} version={version} />
      )}
    </div>
  );
}
