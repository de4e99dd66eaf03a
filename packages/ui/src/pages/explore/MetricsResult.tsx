/** A PromQL query's result: a chart over the time range, or a table of the values at its end. */
import { useMemo, type ReactNode } from 'react';
import { promQuery, promQueryRange } from '../../api/client.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { TimeSeriesChart, alignSeries, seriesLabel } from '../../components/TimeSeriesChart.tsx';
import { resolveRange, stepFor, type TimeRange } from '../../time/range.ts';
import { useLoad, type Loaded } from './use-load.ts';

export type MetricsView = 'chart' | 'table';

interface Props {
  query: string;
  range: TimeRange;
  view: MetricsView;
  /** Changes on every run and auto-refresh, to query again. */
  version: string;
}

export function MetricsResult(props: Props) {
  return props.view === 'table' ? <MetricsTable {...props} /> : <MetricsChart {...props} />;
}

function MetricsChart({ query, range, version }: Props) {
  const result = useLoad(() => {
    const { startMs, endMs } = resolveRange(range);
    return promQueryRange(query, startMs, endMs, stepFor(startMs, endMs));
  }, [query, range.from, range.to, version]);
  const aligned = useMemo(() => result.data && alignSeries(result.data.series), [result.data]);
  return (
    <ResultFrame result={result} query={query}>
      {aligned && (aligned.series.length === 0 ? <NoData /> : <TimeSeriesChart timestamps={aligned.timestamps} series={aligned.series} />)}
    </ResultFrame>
  );
}

function MetricsTable({ query, range, version }: Props) {
  const result = useLoad(() => promQuery(query, resolveRange(range).endMs), [query, range.from, range.to, version]);
  const samples = result.data?.samples;
  return (
    <ResultFrame result={result} query={query}>
      {samples &&
        (samples.length === 0 ? (
          <NoData />
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Series</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {samples.map((sample) => (
                  <tr key={seriesLabel(sample.metric)}>
                    <td className="explore-series">{seriesLabel(sample.metric)}</td>
                    <td>{sample.value[1]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </ResultFrame>
  );
}

/** Loading state, the server's warnings, and the error where the result would be. */
function ResultFrame({ result, query, children }: { result: Loaded<{ warnings: string[] }>; query: string; children: ReactNode }) {
  if (result.error) return <ErrorMessage error={result.error} query={query} />;
  return (
    <div className="explore-result" aria-busy={result.loading}>
      {result.loading && !result.data && <p className="muted">Running the query…</p>}
      {result.data?.warnings.map((warning) => (
        <div key={warning} className="warning" role="status">
          Warning: {warning}
        </div>
      ))}
      {children}
    </div>
  );
}

function NoData() {
  return <p className="muted">No data for this query in the selected time range.</p>;
}
