/**
 * Decoded OTLP metrics → Prometheus series.
 *
 * - gauge → `<name>[_unit][_ratio]`; sum: monotonic cumulative → `_total`
 *   counter, non-monotonic cumulative → gauge;
 * - histogram → `_bucket{le}` (cumulative counts, `+Inf` = count), `_sum`, `_count`;
 *   summary → `{quantile}`, `_sum`, `_count`;
 * - resource: service.namespace/service.name → `job`, service.instance.id →
 *   `instance`, the other resource attributes on one `target_info` series;
 *   scope name/version → `otel_scope_name`/`otel_scope_version`;
 * - delta sums and histograms are rejected (counted in the partial success
 *   with a message), as Prometheus' OTLP receiver does by default: converting
 *   them needs per-series state across requests and a single-writer
 *   guarantee per stream that OTLP does not give; use the collector's
 *   `deltatocumulative` processor. Exponential histograms are rejected too
 *   (no native histograms in the store yet).
 * - a point flagged NO_RECORDED_VALUE becomes a staleness marker.
 */
import type { MetricMetadata } from '../../metadata/index.ts';
import { staleNaN, type Sample, type Series, type SeriesLabels } from '../../tsdb/model.ts';
import type { Labels } from '../model.ts';
import {
  FLAG_NO_RECORDED_VALUE,
  TEMPORALITY_CUMULATIVE,
  type HistogramPoint,
  type NumberPoint,
  type OtlpMetric,
  type OtlpResourceMetrics,
  type PointBase,
} from './model.ts';
import { prometheusLabelName, prometheusMetricName, prometheusUnit, type MetricType } from './naming.ts';

export interface OtlpMetricsResult {
  series: Series[];
  samples: number;
  /** Data points not converted (OTLP partial success `rejected_data_points`). */
  rejectedDataPoints: number;
  /** Partial success `error_message`: '' when everything was taken. */
  errorMessage: string;
  /** TYPE/HELP/UNIT of each family taken, by its Prometheus name (description → HELP). */
  metadata: Map<string, MetricMetadata>;
}

const IDENTITY = new Set(['service.name', 'service.namespace', 'service.instance.id']);

class SeriesSet {
  private readonly byKey = new Map<string, Series>();
  samples = 0;

  add(labels: SeriesLabels, t: number, v: number): void {
    const key = JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
    let s = this.byKey.get(key);
    if (s === undefined) this.byKey.set(key, (s = { labels, samples: [] }));
    s.samples.push({ t, v });
    this.samples++;
  }

  list(): Series[] {
    const out = [...this.byKey.values()];
    for (const s of out) s.samples.sort((a: Sample, b: Sample) => a.t - b.t);
    return out;
  }
}

export function translateOtlpMetrics(resources: OtlpResourceMetrics[]): OtlpMetricsResult {
  const set = new SeriesSet();
  const problems: string[] = [];
  const metadata = new Map<string, MetricMetadata>();
  let rejected = 0;
  for (const resource of resources) {
    const base = resourceLabels(resource.attributes);
    let latestMs = -Infinity;
    for (const scope of resource.scopes) {
      const scopeLabels: Labels = { ...base };
      if (scope.scopeName !== '') scopeLabels.otel_scope_name = scope.scopeName;
      if (scope.scopeVersion !== '') scopeLabels.otel_scope_version = scope.scopeVersion;
      for (const metric of scope.metrics) {
        const outcome = translateMetric(metric, scopeLabels, set);
        if (typeof outcome === 'number') {
          latestMs = Math.max(latestMs, outcome);
          addMetadata(metadata, metric);
        } else {
          rejected += outcome.points;
          problems.push(outcome.problem);
        }
      }
    }
    const info = targetInfo(resource.attributes, base);
    if (info !== undefined && latestMs !== -Infinity) set.add(info, latestMs, 1);
  }
  const errorMessage =
    problems.length === 0 ? '' : problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : '');
  return { series: set.list(), samples: set.samples, rejectedDataPoints: rejected, errorMessage, metadata };
}

function typeOf(metric: OtlpMetric): MetricType | undefined {
  const data = metric.data;
  if (data.kind === 'sum') return data.monotonic ? 'counter' : 'gauge';
  if (data.kind === 'gauge' || data.kind === 'histogram' || data.kind === 'summary') return data.kind;
  return undefined;
}

function addMetadata(metadata: Map<string, MetricMetadata>, metric: OtlpMetric): void {
  const type = typeOf(metric);
  if (type === undefined) return;
  const family = prometheusMetricName(metric.name, metric.unit, type);
  metadata.set(family, { type, help: metric.description, unit: prometheusUnit(metric.unit, type) });
}

function resourceLabels(attributes: Labels): Labels {
  const out: Labels = {};
  const name = attributes['service.name'];
  const ns = attributes['service.namespace'];
  if (name !== undefined && name !== '') out.job = ns ? `${ns}/${name}` : name;
  const instance = attributes['service.instance.id'];
  if (instance !== undefined && instance !== '') out.instance = instance;
  return out;
}

function targetInfo(attributes: Labels, base: Labels): SeriesLabels | undefined {
  const labels: SeriesLabels = { __name__: 'target_info' };
  let any = false;
  for (const key of Object.keys(attributes)) {
    if (IDENTITY.has(key) || attributes[key] === '') continue;
    addLabel(labels, prometheusLabelName(key), attributes[key]);
    any = true;
  }
  if (!any) return undefined;
  return { ...labels, ...base };
}

/** Colliding sanitised names join their values with ';', as the OTel translator does. */
function addLabel(labels: SeriesLabels, name: string, value: string): void {
  const existing = labels[name];
  labels[name] = existing === undefined ? value : `${existing};${value}`;
}

function pointLabels(name: string, p: PointBase, scopeLabels: Labels): SeriesLabels {
  const labels: SeriesLabels = {};
  for (const key of Object.keys(p.attributes)) {
    if (p.attributes[key] !== '') addLabel(labels, prometheusLabelName(key), p.attributes[key]);
  }
  // Resource and scope labels win over point attributes of the same name.
  Object.assign(labels, scopeLabels);
  labels.__name__ = name;
  return labels;
}

function timeMs(p: PointBase): number {
  return Number(p.timeNs / 1_000_000n);
}

function valueOf(p: PointBase, v: number): number {
  return (p.flags & FLAG_NO_RECORDED_VALUE) !== 0 ? staleNaN() : v;
}

/** The latest sample time written, or a rejection. */
function translateMetric(
  metric: OtlpMetric,
  scopeLabels: Labels,
  set: SeriesSet,
): number | { points: number; problem: string } {
  const data = metric.data;
  let latest = -Infinity;
  const numbers = (name: string, points: NumberPoint[]): void => {
    for (const p of points) {
      const t = timeMs(p);
      latest = Math.max(latest, t);
      set.add(pointLabels(name, p, scopeLabels), t, valueOf(p, p.value));
    }
  };
  switch (data.kind) {
    case 'none':
      return { points: 0, problem: `metric ${JSON.stringify(metric.name)} has no data` };
    case 'gauge':
      numbers(prometheusMetricName(metric.name, metric.unit, 'gauge'), data.points);
      return latest;
    case 'sum':
      if (data.temporality !== TEMPORALITY_CUMULATIVE) return deltaRejection(metric, data.points.length, data.temporality);
      numbers(prometheusMetricName(metric.name, metric.unit, data.monotonic ? 'counter' : 'gauge'), data.points);
      return latest;
    case 'histogram': {
      if (data.temporality !== TEMPORALITY_CUMULATIVE) return deltaRejection(metric, data.points.length, data.temporality);
      const name = prometheusMetricName(metric.name, metric.unit, 'histogram');
      for (const p of data.points) {
        const problem = histogramProblem(p);
        if (problem !== undefined) return { points: data.points.length, problem: `histogram ${JSON.stringify(metric.name)}: ${problem}` };
      }
      for (const p of data.points) {
        const t = timeMs(p);
        latest = Math.max(latest, t);
        let cumulative = 0;
        for (let i = 0; i < p.bounds.length; i++) {
          cumulative += p.bucketCounts[i] ?? 0;
          set.add({ ...pointLabels(`${name}_bucket`, p, scopeLabels), le: formatFloat(p.bounds[i]) }, t, valueOf(p, cumulative));
        }
        set.add({ ...pointLabels(`${name}_bucket`, p, scopeLabels), le: '+Inf' }, t, valueOf(p, p.count));
        if (p.sum !== undefined) set.add(pointLabels(`${name}_sum`, p, scopeLabels), t, valueOf(p, p.sum));
        set.add(pointLabels(`${name}_count`, p, scopeLabels), t, valueOf(p, p.count));
      }
      return latest;
    }
    case 'summary': {
      const name = prometheusMetricName(metric.name, metric.unit, 'summary');
      for (const p of data.points) {
        const t = timeMs(p);
        latest = Math.max(latest, t);
        for (const q of p.quantiles) {
          set.add({ ...pointLabels(name, p, scopeLabels), quantile: formatFloat(q.quantile) }, t, valueOf(p, q.value));
        }
        set.add(pointLabels(`${name}_sum`, p, scopeLabels), t, valueOf(p, p.sum));
        set.add(pointLabels(`${name}_count`, p, scopeLabels), t, valueOf(p, p.count));
      }
      return latest;
    }
    case 'exponential_histogram':
      return {
        points: data.points,
        problem: `exponential histogram ${JSON.stringify(metric.name)} is not supported (no native histograms); configure explicit bucket histograms`,
      };
  }
}

function deltaRejection(metric: OtlpMetric, points: number, temporality: number): { points: number; problem: string } {
  const which = temporality === 1 ? 'delta' : 'unspecified';
  return {
    points,
    problem: `metric ${JSON.stringify(metric.name)} has ${which} temporality; only cumulative is accepted (set the exporter's temporality preference to cumulative, or use the collector's deltatocumulative processor)`,
  };
}

function histogramProblem(p: HistogramPoint): string | undefined {
  if (p.bucketCounts.length === 0) return undefined; // count and sum only
  if (p.bucketCounts.length !== p.bounds.length + 1) {
    return `${p.bucketCounts.length} bucket counts for ${p.bounds.length} explicit bounds (want bounds + 1)`;
  }
  for (let i = 1; i < p.bounds.length; i++) {
    if (!(p.bounds[i] > p.bounds[i - 1])) return `explicit bounds are not strictly increasing at index ${i}`;
  }
  return undefined;
}

/** Bucket bounds and quantiles as Prometheus' Go client writes them (`0.5`, `1`, `1e+06`, `+Inf`). */
function formatFloat(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e21 || abs < 1e-4)) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(v);
}
