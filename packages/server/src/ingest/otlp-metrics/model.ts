/** OTLP metrics in a decoder-neutral form: the JSON and protobuf decoders both produce it. */
import type { Labels } from '../model.ts';

export const TEMPORALITY_DELTA = 1;
export const TEMPORALITY_CUMULATIVE = 2;
/** DataPointFlags.NO_RECORDED_VALUE: becomes a staleness marker. */
export const FLAG_NO_RECORDED_VALUE = 1;

export interface PointBase {
  attributes: Labels;
  timeNs: bigint;
  flags: number;
}
export interface NumberPoint extends PointBase {
  value: number;
}
export interface HistogramPoint extends PointBase {
  count: number;
  sum: number | undefined;
  bucketCounts: number[];
  bounds: number[];
}
export interface SummaryPoint extends PointBase {
  count: number;
  sum: number;
  quantiles: Array<{ quantile: number; value: number }>;
}

export type MetricData =
  | { kind: 'gauge'; points: NumberPoint[] }
  | { kind: 'sum'; temporality: number; monotonic: boolean; points: NumberPoint[] }
  | { kind: 'histogram'; temporality: number; points: HistogramPoint[] }
  | { kind: 'summary'; points: SummaryPoint[] }
  | { kind: 'exponential_histogram'; points: number }
  | { kind: 'none' };

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  data: MetricData;
}

export interface OtlpScopeMetrics {
  scopeName: string;
  scopeVersion: string;
  metrics: OtlpMetric[];
}

export interface OtlpResourceMetrics {
  attributes: Labels;
  scopes: OtlpScopeMetrics[];
}
