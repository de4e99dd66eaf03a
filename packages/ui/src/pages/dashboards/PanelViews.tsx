/** How each panel type draws its data (charts are in TimeSeriesChart). */
import type { DashboardPanelSpec } from '../../api/client.ts';
import type { LabelledSample, LabelledSeries, LogLine } from './panel-data.ts';
import { formatPanelValue, lastValue, thresholdColor } from './panel-format.ts';

type PanelProps = { panel: DashboardPanelSpec };

export function StatView({ panel, series }: PanelProps & { series: LabelledSeries[] }) {
  return (
    <div className="dash-stats">
      {series.slice(0, 6).map((s, i) => {
        const value = lastValue(s.values);
        return (
          <div key={i} className="dash-stat" style={{ color: value === undefined ? undefined : thresholdColor(value, panel.thresholds) }}>
            <span className="dash-stat-value">{value === undefined ? '—' : formatPanelValue(value, panel)}</span>
            {series.length > 1 && <span className="dash-stat-label muted">{s.label}</span>}
            <Sparkline values={s.values} />
          </div>
        );
      })}
    </div>
  );
}

/** A cheap SVG line: a stat needs the trend, not axes. */
function Sparkline({ values }: { values: [number, string][] }) {
  const points = values.map(([t, v]) => [t, Number(v)] as const).filter(([, v]) => Number.isFinite(v));
  if (points.length < 2) return null;
  const [t0, t1] = [points[0][0], points.at(-1)![0]];
  const vs = points.map(([, v]) => v);
  const [lo, hi] = [Math.min(...vs), Math.max(...vs)];
  const path = points.map(([t, v]) => `${(((t - t0) / (t1 - t0 || 1)) * 100).toFixed(2)},${(28 - ((v - lo) / (hi - lo || 1)) * 26).toFixed(2)}`).join(' ');
  return (
    <svg className="dash-sparkline" viewBox="0 0 100 30" preserveAspectRatio="none" aria-hidden="true">
      <polyline points={path} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

/** A 240° arc from min to max, the value's part coloured by thresholds. */
export function GaugeView({ panel, samples }: PanelProps & { samples: LabelledSample[] }) {
  return (
    <div className="dash-gauges">
      {samples.slice(0, 4).map((s, i) => {
        const value = Number(s.value[1]);
        const min = panel.min ?? 0;
        const max = panel.max ?? defaultMax(panel, value);
        const share = Math.min(1, Math.max(0, (value - min) / (max - min || 1)));
        const color = thresholdColor(value, panel.thresholds) ?? 'var(--accent)';
        return (
          <figure key={i} className="dash-gauge" aria-label={`${s.label || panel.title}: ${formatPanelValue(value, panel)}`}>
            <svg viewBox="0 0 120 100" aria-hidden="true">
              <path d={arc(1)} className="dash-gauge-track" />
              {share > 0 && <path d={arc(share)} stroke={color} className="dash-gauge-value" />}
              <text x="60" y="62" textAnchor="middle" fill={color} className="dash-gauge-text">
                {formatPanelValue(value, panel)}
              </text>
              <text x="22" y="96" textAnchor="middle" className="dash-gauge-bound">
                {formatPanelValue(min, panel)}
              </text>
              <text x="98" y="96" textAnchor="middle" className="dash-gauge-bound">
                {formatPanelValue(max, panel)}
              </text>
            </svg>
            {samples.length > 1 && <figcaption className="muted">{s.label}</figcaption>}
          </figure>
        );
      })}
    </div>
  );
}

function defaultMax(panel: DashboardPanelSpec, value: number): number {
  if (panel.unit === 'percentunit') return 1;
  if (panel.unit === 'percent') return 100;
  return value > 0 ? 10 ** Math.ceil(Math.log10(value * 1.01)) : 1;
}

/** The SVG path of the arc's first `share` (0–1), starting at the lower left. */
function arc(share: number): string {
  const [cx, cy, r, start, sweep] = [60, 58, 46, (150 * Math.PI) / 180, (240 * Math.PI) / 180];
  const end = start + sweep * share;
  const point = (a: number) => `${(cx + r * Math.cos(a)).toFixed(2)} ${(cy + r * Math.sin(a)).toFixed(2)}`;
  return `M ${point(start)} A ${r} ${r} 0 ${sweep * share > Math.PI ? 1 : 0} 1 ${point(end)}`;
}

export function TableView({ panel, samples }: PanelProps & { samples: LabelledSample[] }) {
  const labels = [...new Set(samples.flatMap((s) => Object.keys(s.metric)))].sort((a, b) => (a === '__name__' ? -1 : b === '__name__' ? 1 : a.localeCompare(b)));
  return (
    <div className="table-wrap">
      <table className="dash-table">
        <thead>
          <tr>
            {labels.map((l) => (
              <th key={l} scope="col">
                {l === '__name__' ? 'metric' : l}
              </th>
            ))}
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {samples.slice(0, 500).map((s, i) => {
            const value = Number(s.value[1]);
            return (
              <tr key={i}>
                {labels.map((l) => (
                  <td key={l}>{s.metric[l] ?? ''}</td>
                ))}
                <td className="dash-table-value" style={{ color: thresholdColor(value, panel.thresholds) }}>
                  {formatPanelValue(value, panel)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** One bar per series of an instant vector, longest first. */
export function HorizontalBarsView({ panel, samples }: PanelProps & { samples: LabelledSample[] }) {
  const rows = samples.map((s) => ({ label: s.label || '{}', value: Number(s.value[1]) })).sort((a, b) => b.value - a.value);
  const top = Math.max(...rows.map((r) => Math.abs(r.value)), Number.MIN_VALUE);
  return (
    <ul className="dash-hbars">
      {rows.slice(0, 50).map((row, i) => (
        <li key={i}>
          <span className="dash-hbar-label" title={row.label}>
            {row.label}
          </span>
          <span className="dash-hbar-track">
            <span className="dash-hbar" style={{ width: `${(Math.abs(row.value) / top) * 100}%`, background: thresholdColor(row.value, panel.thresholds) }} />
          </span>
          <span className="dash-hbar-value">{formatPanelValue(row.value, panel)}</span>
        </li>
      ))}
    </ul>
  );
}

export function LogsView({ lines, height }: { lines: LogLine[]; height: number }) {
  return (
    <ol className="dash-logs" style={{ maxHeight: height }} tabIndex={0} aria-label="Log lines">
      {lines.map((l, i) => (
        <li key={i} className={`severity-${severityOf(l)}`}>
          <time className="muted">{new Date(Number(BigInt(l.timeNs) / 1_000_000n)).toLocaleTimeString()}</time> {l.line}
        </li>
      ))}
    </ol>
  );
}

/** The stream's level label, else the line's JSON `severity`/`level` (the SDK writes both). */
function severityOf(line: LogLine): string {
  const fromLabels = line.labels.severity ?? line.labels.level ?? line.labels.detected_level;
  if (fromLabels) return fromLabels.toLowerCase();
  const match = /"(?:severity|level)"\s*:\s*"([A-Za-z]+)"/.exec(line.line);
  return match ? match[1].toLowerCase() : 'info';
}
