/** Notification metrics, named as Alertmanager's with Vigil's prefix. Label `integration` is the type (webhook, slack…). */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface NotifyMetrics {
  sent: Counter<'receiver' | 'integration'>;
  failed: Counter<'receiver' | 'integration'>;
  latency: Histogram<'integration'>;
}

/** Reuses metrics already on the registry, so a second Notifier on one registry (tests, restarts) does not throw. */
function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

export function notifyMetrics(registry: Registry): NotifyMetrics {
  const labelNames = ['receiver', 'integration'] as const;
  return {
    sent:
      existing(registry, 'vigil_notifications_total') ??
      new Counter({ name: 'vigil_notifications_total', help: 'Notifications sent or tried, by receiver and integration type.', labelNames, registers: [registry] }),
    failed:
      existing(registry, 'vigil_notifications_failed_total') ??
      new Counter({
        name: 'vigil_notifications_failed_total',
        help: 'Notifications that failed after every retry, by receiver and integration type.',
        labelNames,
        registers: [registry],
      }),
    latency:
      existing(registry, 'vigil_notification_latency_seconds') ??
      new Histogram({
        name: 'vigil_notification_latency_seconds',
        help: 'Time to deliver one notification, retries included, by integration type.',
        labelNames: ['integration'] as const,
        buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers: [registry],
      }),
  };
}
