/** One panel: its header (title, links, Open in Explore) and its data, loaded on its own. */
import { useEffect, useId, useMemo, useState, type CSSProperties } from 'react';
import type { DashboardPanelSpec } from '../../api/client.ts';
import { routeHref } from '../../app/router.ts';
import { ErrorMessage } from '../../components/ErrorMessage.tsx';
import { alignSeries, TimeSeriesChart } from '../../components/TimeSeriesChart.tsx';
import type { TimeRange } from '../../time/range.ts';
import { isEmpty, loadPanel, panelQueries, type LabelledSeries, type PanelData, type Window } from './panel-data.ts';
import { GaugeView, HorizontalBarsView, LogsView, StatView, TableView } from './PanelViews.tsx';
import { substituteLink, type VariableValues } from './variables.ts';

interface PanelProps {
  panel: DashboardPanelSpec;
  values: VariableValues;
  window: Window;
  range: TimeRange;
}

type State = { status: 'loading' } | { status: 'error'; error: unknown; query: string } | { status: 'done'; data: PanelData };

export function Panel({ panel, values, window, range }: PanelProps) {
  const queries = useMemo(() => panelQueries(panel, values, window), [panel, values, window]);
  const state = usePanelData(panel, queries, window);
  const headingId = useId();
  return (
    <section className="panel dash-panel" style={{ '--span': panel.width } as CSSProperties} aria-labelledby={headingId} data-state={state.status}>
      <header className="dash-panel-header">
        <h2 id={headingId} title={panel.description}>
          {panel.title}
        </h2>
        <nav className="dash-panel-links" aria-label={`${panel.title} links`}>
          {panel.links.map((link) => (
            <a key={link.title} href={substituteLink(link.url, values)}>
              {link.title}
            </a>
          ))}
          <a href={exploreHref(panel, queries[0], range)}>Open in Explore</a>
        </nav>
      </header>
      <div className="dash-panel-body" style={{ minHeight: panel.height }}>
        <PanelBody panel={panel} state={state} window={window} />
      </div>
    </section>
  );
}

function usePanelData(panel: DashboardPanelSpec, queries: string[], window: Window): State {
  const [state, setState] = useState<State>({ status: 'loading' });
  const key = JSON.stringify([queries, window]);
  useEffect(() => {
    let current = true;
    loadPanel(panel, queries, window).then(
      (data) => current && setState({ status: 'done', data }),
      (error: unknown) => current && setState({ status: 'error', error, query: queries[0] }),
    );
    return () => {
      current = false;
    };
    // the key covers queries and window; panel is stable for a loaded dashboard
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, panel]);
  return state;
}

function PanelBody({ panel, state, window }: { panel: DashboardPanelSpec; state: State; window: Window }) {
  if (state.status === 'loading') return <p className="muted">Loading…</p>;
  if (state.status === 'error') return <ErrorMessage error={state.error} query={state.query} />;
  const { data } = state;
  if (isEmpty(data)) return <p className="dash-no-data muted">No data</p>;
  if (data.kind === 'logs') return <LogsView lines={data.lines} height={panel.height} />;
  if (data.kind === 'instant') {
    if (panel.type === 'gauge') return <GaugeView panel={panel} samples={data.samples} />;
    if (panel.type === 'bar') return <HorizontalBarsView panel={panel} samples={data.samples} />;
    return <TableView panel={panel} samples={data.samples} />;
  }
  if (panel.type === 'stat') return <StatView panel={panel} series={data.series} />;
  return <RangeChart panel={panel} series={data.series} window={window} />;
}

function RangeChart({ panel, series, window }: { panel: DashboardPanelSpec; series: LabelledSeries[]; window: Window }) {
  const aligned = useMemo(() => {
    const { timestamps, series: chartSeries } = alignSeries(series);
    // empty ends pin the x axis to the dashboard's range: a series that began a minute ago must not fill the width
    const [first, last] = [window.startMs / 1000, window.endMs / 1000];
    const before = timestamps[0] > first ? [first] : [];
    const after = timestamps.at(-1)! < last ? [last] : [];
    return {
      timestamps: [...before, ...timestamps, ...after],
      series: chartSeries.map((s, i) => ({ label: series[i].label, values: [...before.map(() => null), ...s.values, ...after.map(() => null)] })),
    };
  }, [series, window]);
  const unit = panel.unit === 'short' ? undefined : panel.unit;
  return <TimeSeriesChart timestamps={aligned.timestamps} series={aligned.series} height={panel.height} unit={unit} bars={panel.type === 'bar'} />;
}

function exploreHref(panel: DashboardPanelSpec, query: string, range: TimeRange): string {
  return routeHref('/explore', { mode: panel.datasource, query, from: range.from, to: range.to });
}
