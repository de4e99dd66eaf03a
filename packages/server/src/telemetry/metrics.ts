/**
 * Vigil's own metrics, exposed at /metrics in the Prometheus text format.
 * Names follow vigil_<subsystem>_<name>_<unit>.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface StoreStats {
  diskUsage(): { index: number; logs: number; partitions: number };
  readonly streamCount: number;
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  // gauges named like counters fail `promtool check metrics`; the per-type ones stay
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  const metrics = {
    registry,
    ingestLines: new Counter({
      name: 'vigil_ingest_lines_total',
      help: 'Log lines accepted and stored, by protocol.',
      labelNames: ['protocol'] as const,
      registers: [registry],
    }),
    ingestBytes: new Counter({
      name: 'vigil_ingest_bytes_total',
      help: 'Bytes of log lines accepted, by protocol.',
      labelNames: ['protocol'] as const,
      registers: [registry],
    }),
    ingestSamples: new Counter({
      name: 'vigil_ingest_samples_total',
      help: 'Metric samples received, by protocol.',
      labelNames: ['protocol'] as const,
      registers: [registry],
    }),
    ingestRejected: new Counter({
      name: 'vigil_ingest_rejected_total',
      help: 'Log lines or whole requests rejected, by reason.',
      labelNames: ['protocol', 'reason'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'vigil_http_request_duration_seconds',
      help: 'HTTP request durations by route template and status code.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    retentionDropped: new Counter({
      name: 'vigil_store_partitions_dropped_total',
      help: 'Partitions deleted by retention, by category.',
      labelNames: ['category'] as const,
      registers: [registry],
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Store sizes are read when scraped, not kept up to date on every write. */
export function registerStoreGauges(metrics: Metrics, store: StoreStats): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'vigil_store_bytes',
    help: 'Bytes on disk of the embedded store, by kind.',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      const usage = store.diskUsage();
      this.set({ kind: 'index' }, usage.index);
      this.set({ kind: 'logs' }, usage.logs);
    },
  });
  new Gauge({
    name: 'vigil_store_partitions',
    help: 'Log partitions (one per category and day) on disk.',
    registers,
    collect() {
      this.set(store.diskUsage().partitions);
    },
  });
  new Gauge({
    name: 'vigil_store_streams',
    help: 'Log streams known, all tenants.',
    registers,
    collect() {
      this.set(store.streamCount);
    },
  });
}
