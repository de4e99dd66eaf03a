/** Values and colours of a panel: its unit and decimals, its thresholds. */
import type { DashboardPanelSpec, ThresholdColor } from '../../api/client.ts';
import { formatValue } from '../../format.ts';

const colors: Record<ThresholdColor, string> = { green: 'var(--ok)', amber: 'var(--warn)', red: 'var(--bad)' };

export function formatPanelValue(value: number, panel: Pick<DashboardPanelSpec, 'unit' | 'decimals'>): string {
  const { unit, decimals } = panel;
  if (decimals === undefined || !Number.isFinite(value)) return formatValue(value, unit === 'short' ? undefined : unit);
  if (unit === 'percentunit') return `${(value * 100).toFixed(decimals)}%`;
  if (unit === 'percent') return `${value.toFixed(decimals)}%`;
  if (unit === undefined || unit === 'short') return value.toFixed(decimals);
  return formatValue(value, unit);
}

/** The colour of the highest threshold at or below the value; undefined without thresholds. */
export function thresholdColor(value: number, thresholds: DashboardPanelSpec['thresholds']): string | undefined {
  const reached = [...thresholds].sort((a, b) => a.value - b.value).filter((t) => value >= t.value);
  const last = reached.at(-1) ?? (thresholds.length ? [...thresholds].sort((a, b) => a.value - b.value)[0] : undefined);
  return last ? colors[last.color] : undefined;
}

/** The last non-null value of a series' samples. */
export function lastValue(values: [number, string][]): number | undefined {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = Number(values[i][1]);
    if (!Number.isNaN(v)) return v;
  }
  return undefined;
}
