/**
 * What a panel fetches for its type: a range (timeseries, bar over time, stat
 * with its sparkline), an instant (table, gauge, and bar when the query
 * aggregates over `$__range`), or log lines.
 */
import {
  logQueryInstant,
  logQueryRange,
  promQuery,
  promQueryRange,
  type DashboardPanelSpec,
  type LogStream,
  type PromSample,
  type PromSeries,
} from '../../api/client.ts';
import { stepFor } from '../../time/range.ts';
import { durationText, legendFor, substitute, type VariableValues } from './variables.ts';
import { seriesLabel } from '../../components/TimeSeriesChart.tsx';

export interface LabelledSeries extends PromSeries {
  label: string;
}
export interface LabelledSample extends PromSample {
  label: string;
}

export type PanelData =
  | { kind: 'range'; series: LabelledSeries[] }
  | { kind: 'instant'; samples: LabelledSample[] }
  | { kind: 'logs'; lines: LogLine[] };

export interface LogLine {
  timeNs: string;
  line: string;
  labels: Record<string, string>;
}

export interface Window {
  startMs: number;
  endMs: number;
}

export function isInstantPanel(panel: DashboardPanelSpec): boolean {
  if (panel.type === 'table' || panel.type === 'gauge') return true;
  // a bar panel over `[$__range]` has one value per series: horizontal bars
  return panel.type === 'bar' && panel.queries.some((q) => /\$\{?__range\b/.test(q.expr));
}

/** The panel's queries with variables and `$__range` / `$__interval` filled in. */
export function panelQueries(panel: DashboardPanelSpec, values: VariableValues, window: Window): string[] {
  const stepMs = stepFor(window.startMs, window.endMs, pointsFor(panel));
  const builtins = { __range: durationText(window.endMs - window.startMs), __interval: durationText(stepMs) };
  return panel.queries.map((q) => substitute(q.expr, values, builtins));
}

/** A stat's sparkline needs few points; fewer points keep `[$__range]` queries cheap. */
function pointsFor(panel: DashboardPanelSpec): number {
  return panel.type === 'stat' ? 60 : 200;
}

export async function loadPanel(panel: DashboardPanelSpec, queries: string[], window: Window): Promise<PanelData> {
  if (panel.type === 'logs') return { kind: 'logs', lines: await loadLogLines(queries, window) };
  const legends = panel.queries.map((q) => q.legend);
  if (isInstantPanel(panel)) {
    const results = await Promise.all(queries.map((q) => instant(panel, q, window.endMs)));
    const samples = results.flatMap((list, i) => list.map((s) => ({ ...s, label: legendFor(legends[i], s.metric, seriesLabel(s.metric)) })));
    return { kind: 'instant', samples };
  }
  const stepMs = stepFor(window.startMs, window.endMs, pointsFor(panel));
  const results = await Promise.all(queries.map((q) => range(panel, q, window, stepMs)));
  const series = results.flatMap((list, i) => list.map((s) => ({ ...s, label: legendFor(legends[i], s.metric, seriesLabel(s.metric)) })));
  return { kind: 'range', series };
}

async function instant(panel: DashboardPanelSpec, query: string, timeMs: number): Promise<PromSample[]> {
  if (panel.datasource === 'logs') return logQueryInstant(query, timeMs);
  return (await promQuery(query, timeMs)).samples;
}

async function range(panel: DashboardPanelSpec, query: string, window: Window, stepMs: number): Promise<PromSeries[]> {
  if (panel.datasource === 'metrics') return (await promQueryRange(query, window.startMs, window.endMs, stepMs)).series;
  const data = await logQueryRange(query, window.startMs, window.endMs, { stepMs });
  return data.resultType === 'matrix' ? (data.result as PromSeries[]) : [];
}

async function loadLogLines(queries: string[], window: Window): Promise<LogLine[]> {
  const results = await Promise.all(queries.map((q) => logQueryRange(q, window.startMs, window.endMs, { limit: 200 })));
  const lines = results.flatMap((data) =>
    data.resultType === 'streams' ? (data.result as LogStream[]).flatMap((s) => s.values.map(([timeNs, line]) => ({ timeNs, line, labels: s.stream }))) : [],
  );
  // newest first across streams; nanosecond strings of equal length compare as numbers
  return lines.sort((a, b) => (a.timeNs.length - b.timeNs.length || (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0)) * -1).slice(0, 200);
}

export function isEmpty(data: PanelData): boolean {
  if (data.kind === 'logs') return data.lines.length === 0;
  if (data.kind === 'instant') return data.samples.every((s) => !Number.isFinite(Number(s.value[1])));
  // 0/0 gives NaN: a ratio of no traffic is no data, not a line at nothing
  return data.series.every((s) => s.values.every(([, v]) => !Number.isFinite(Number(v))));
}
