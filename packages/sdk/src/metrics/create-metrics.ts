/**
 * One call gives a service its metrics: a prom-client Registry with the
 * process metrics and the HTTP RED metrics, and the `/metrics` rendering.
 * Application metrics go in the same registry (`registers: [metrics.registry]`).
 */
import { collectDefaultMetrics, type Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics.ts';
import { resolveMetricsOptions, type MetricsOptions, type ResolvedMetricsOptions } from './options.ts';

const lintFailingDefaults = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export interface Metrics {
  readonly registry: Registry;
  readonly http: HttpMetrics;
  readonly options: ResolvedMetricsOptions;
  /** The registry's exposition content type, for the `/metrics` response. */
  readonly contentType: string;
  /** The registry in the Prometheus text format. */
  render(): Promise<string>;
}

/** Throws a TypeError naming the option on bad options; never afterwards. */
export function createMetrics(options?: MetricsOptions): Metrics {
  const resolved = resolveMetricsOptions(options);
  const { registry } = resolved;
  if (Object.keys(resolved.defaultLabels).length > 0) registry.setDefaultLabels({ ...resolved.defaultLabels });
  // A shared registry (prom-client's global one) may have them already, and
  // registering a metric name twice throws.
  if (resolved.defaultMetrics && !registry.getSingleMetric('process_cpu_user_seconds_total')) {
    collectDefaultMetrics({ register: registry });
    // Gauges named *_total fail `promtool check metrics` (a _total suffix
    // promises a counter); the same figures by type remain, and their sum
    // is the total.
    for (const name of lintFailingDefaults) registry.removeSingleMetric(name);
  }
  const http = new HttpMetrics(registry, resolved);
  return Object.freeze({
    registry,
    http,
    options: resolved,
    get contentType() {
      return registry.contentType;
    },
    render: () => registry.metrics(),
  });
}
