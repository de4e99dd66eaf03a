/**
 * Typed append errors. The store accepts what it can and then throws one
 * TsdbAppendError listing every rejected series or sample, so the caller
 * answers 4xx (status from the error) while the accepted samples are durable,
 * as Prometheus' remote-write receiver does.
 */
import { VigilError } from '../errors.ts';

export type RejectionReason =
  | 'out_of_order_sample'
  | 'duplicate_sample_for_timestamp'
  | 'sample_too_old'
  | 'invalid_timestamp'
  | 'max_series_per_tenant'
  | 'max_labels_per_series'
  | 'max_label_name_length'
  | 'max_label_value_length'
  | 'missing_metric_name';

export interface SampleRejection {
  reason: RejectionReason;
  /** The series in Prometheus notation, e.g. `http_requests_total{job="api"}`. */
  series: string;
  message: string;
}

/** Limits are 400 like other per-series validation (Mimir does the same for per-series limits). */
export class TsdbAppendError extends VigilError {
  readonly rejections: SampleRejection[];
  readonly accepted: number;

  constructor(rejections: SampleRejection[], accepted: number) {
    const first = rejections[0];
    const more = rejections.length > 1 ? ` (and ${rejections.length - 1} more rejections)` : '';
    super('VIGIL_ERR_ENTRY_INVALID', `${first.message}${more}; ${accepted} samples accepted`);
    this.name = 'TsdbAppendError';
    this.rejections = rejections;
    this.accepted = accepted;
  }

  /** The reason of the first rejection, e.g. to pick 400 vs 429 or a metric label. */
  get reason(): RejectionReason {
    return this.rejections[0].reason;
  }
}

export function formatSeries(labels: Record<string, string>): string {
  const name = labels.__name__ ?? '';
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${rest.join(', ')}}`;
}

export function rejection(reason: RejectionReason, labels: Record<string, string>, message: string): SampleRejection {
  const series = formatSeries(labels);
  return { reason, series, message: `${message}, series ${series}` };
}
