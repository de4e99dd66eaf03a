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
