/** A uPlot time-series chart that fills its container's width and follows resizes. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { formatValue, type Unit } from '../format.ts';

export interface ChartSeries {
  label: string;
  /** One value per timestamp; null for a gap. */
  values: (number | null)[];
}

export interface TimeSeriesChartProps {
  /** Unix seconds, ascending. */
  timestamps: number[];
  series: ChartSeries[];
  height?: number;
  unit?: Unit;
  /** Horizontal lines, e.g. thresholds. */
  bars?: boolean;
}

const palette = ['#3b82f6', '#22c55e', '#f59e0b', '#ef4444', '#a855f7', '#14b8a6', '#ec4899', '#84cc16', '#f97316', '#6366f1'];

export function TimeSeriesChart({ timestamps, series, height = 260, unit, bars = false }: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height,
      legend: { show: series.length <= 12 },
      axes: [{ stroke: 'var(--muted)' }, { stroke: 'var(--muted)', size: 70, values: (_u, ticks) => ticks.map((t) => formatValue(t, unit)) }],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: palette[i % palette.length],
          fill: bars ? `${palette[i % palette.length]}88` : undefined,
          width: 1.5,
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : formatValue(v, unit)),
          paths: bars ? uPlot.paths.bars!({ size: [0.8, 40] }) : undefined,
        })),
      ],
    };
    const chart = new uPlot(options, [timestamps, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(element.clientWidth, 200), height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [timestamps, series, height, unit, bars]);
  return <div className="chart" ref={container} role="img" aria-label={`chart of ${series.length} series`} />;
}

/** Aligns Prometheus matrix series on one shared time axis (uPlot wants one x array). */
export function alignSeries(matrix: { metric: Record<string, string>; values: [number, string][] }[]): { timestamps: number[]; series: ChartSeries[] } {
  const times = [...new Set(matrix.flatMap((s) => s.values.map(([t]) => t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const series = matrix.map((s) => {
    const values: (number | null)[] = new Array(times.length).fill(null);
    for (const [t, v] of s.values) values[index.get(t)!] = Number(v);
    return { label: seriesLabel(s.metric), values };
  });
  return { timestamps: times, series };
}

export function seriesLabel(metric: Record<string, string>): string {
  const { __name__: name = '', ...rest } = metric;
  const labels = Object.entries(rest).map(([k, v]) => `${k}="${v}"`).join(', ');
  return labels ? `${name}{${labels}}` : name || '{}';
}
