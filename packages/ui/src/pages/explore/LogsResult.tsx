/**
 * A LogQL query's result: for a log query, a histogram of matching lines
 * over time above the lines themselves (plus live tail); for a metric query,
 * its chart.
 */
import { useMemo, useState } from 'react';
import { logQueryRange, type LogStream, type PromSeries } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { TimeSeriesChart, alignSeries } from '../../components/TimeSeriesChart.tsx';
import { resolveRange, stepFor, type TimeRange } from '../../time/range.ts';
import { LogList } from './LogList.tsx';
import { histogramQuery, linesOf, mergeLines } from './log-lines.ts';
import { useLiveTail } from './use-live-tail.ts';
import { useLoad } from './use-load.ts';

/** Lines fetched per query (newest first); Loki's default. */
const lineLimit = 500;
const histogramBars = 100;

interface Props {
  query: string;
  range: TimeRange;
  /** Changes on every run and auto-refresh, to query again. */
  version: string;
  params: URLSearchParams;
}

export function LogsResult({ query, range, version, params }: Props) {
  const result = useLoad(() => {
    const { startMs, endMs } = resolveRange(range);
    return logQueryRange(query, startMs, endMs, { limit: lineLimit, stepMs: stepFor(startMs, endMs) });
  }, [query, range.from, range.to, version]);
  if (result.error) return <ErrorMessage error={result.error} query={query} />;
  if (!result.data) return <p className="muted">{result.loading ? 'Searching the logs…' : ''}</p>;
  if (result.data.resultType === 'matrix') return <MatrixChart series={result.data.result as PromSeries[]} />;
  return (
    <div className="explore-result" aria-busy={result.loading}>
      <Histogram query={query} range={range} version={version} />
      <Lines streams={result.data.result as LogStream[]} query={query} params={params} />
    </div>
  );
}

function MatrixChart({ series }: { series: PromSeries[] }) {
  const aligned = useMemo(() => alignSeries(series), [series]);
  if (aligned.series.length === 0) return <p className="muted">No data for this query in the selected time range.</p>;
  return <TimeSeriesChart timestamps={aligned.timestamps} series={aligned.series} />;
}

function Histogram({ query, range, version }: Omit<Props, 'params'>) {
  const result = useLoad(() => {
    const { startMs, endMs } = resolveRange(range);
    const stepMs = stepFor(startMs, endMs, histogramBars);
    return logQueryRange(histogramQuery(query, stepMs), startMs, endMs, { stepMs });
  }, [query, range.from, range.to, version]);
  const aligned = useMemo(() => {
    const series = (result.data?.result ?? []) as PromSeries[];
    return alignSeries(series.map((s) => ({ ...s, metric: { __name__: 'lines' } })));
  }, [result.data]);
  return (
    <section className="log-histogram" aria-label="Matching lines over time">
      {result.error ? (
        <ErrorMessage error={result.error} />
      ) : (
        aligned.series.length > 0 && <TimeSeriesChart timestamps={aligned.timestamps} series={aligned.series} bars height={120} />
      )}
    </section>
  );
}

function Lines({ streams, query, params }: { streams: LogStream[]; query: string; params: URLSearchParams }) {
  const [live, setLive] = useState(false);
  const tail = useLiveTail(query, live);
  const fetched = useMemo(() => linesOf(streams), [streams]);
  const lines = useMemo(() => mergeLines(tail.lines, fetched, fetched.length + tail.lines.length), [tail.lines, fetched]);
  return (
    <section aria-label="Log lines found">
      <div className="log-toolbar">
        <span className="muted" role="status">
          {fetched.length === lineLimit ? `The newest ${lineLimit} lines` : `${fetched.length} lines`}
          {live && `, ${tail.lines.length} live`}, newest first
        </span>
        <button type="button" aria-pressed={live} onClick={() => setLive(!live)}>
          {live ? 'Stop live tail' : 'Live tail'}
        </button>
      </div>
      {live && tail.error && (
        <div className="error" role="alert">
          {tail.error}
        </div>
      )}
      <LogList lines={lines} params={params} />
    </section>
  );
}
