import { rejection, type SampleRejection } from './errors.ts';
import type { SeriesLabels } from './model.ts';

/** Per-tenant limits enforced at append (defaults as Grafana Mimir's). */
export interface TsdbLimits {
  /** Series with an open chunk in the head, per tenant. */
  maxSeriesPerTenant: number;
  /** Labels per series, `__name__` included. */
  maxLabelsPerSeries: number;
  /** Characters. */
  maxLabelNameLength: number;
  /** Characters. */
  maxLabelValueLength: number;
}

export const defaultTsdbLimits: Readonly<TsdbLimits> = Object.freeze({
  maxSeriesPerTenant: 150_000,
  maxLabelsPerSeries: 30,
  maxLabelNameLength: 1024,
  maxLabelValueLength: 2048,
});

/** Why a series new to the head may not be created, or undefined when it may. */
export function checkNewSeries(tenant: string, labels: SeriesLabels, limits: TsdbLimits, active: number): SampleRejection | undefined {
  const names = Object.keys(labels);
  if (names.length > limits.maxLabelsPerSeries) {
    return rejection('max_labels_per_series', labels, `series has ${names.length} labels, more than the limit max_labels_per_series=${limits.maxLabelsPerSeries}`);
  }
  for (const name of names) {
    if (name.length > limits.maxLabelNameLength) {
      return rejection('max_label_name_length', labels, `label name ${JSON.stringify(name.slice(0, 64))}… is ${name.length} characters, more than the limit max_label_name_length=${limits.maxLabelNameLength}`);
    }
    const value = labels[name];
    if (value.length > limits.maxLabelValueLength) {
      return rejection('max_label_value_length', { __name__: labels.__name__ ?? '' }, `value of label ${name} is ${value.length} characters, more than the limit max_label_value_length=${limits.maxLabelValueLength}`);
    }
  }
  if (!labels.__name__) return rejection('missing_metric_name', labels, 'series has no __name__ label');
  if (active >= limits.maxSeriesPerTenant) {
    return rejection('max_series_per_tenant', labels, `tenant ${JSON.stringify(tenant)} has ${active} active series, the limit max_series_per_tenant=${limits.maxSeriesPerTenant}`);
  }
  return undefined;
}
