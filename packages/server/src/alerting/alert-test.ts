/**
 * `vigil alert test`: a synthetic alert through the real routing tree. Each
 * matching route's receiver gets one real notification (so a team sees
 * their Slack message or page arrive), muted routes are reported, not sent.
 */
import type { Dispatcher, NotifierPort, SendResult } from '../dispatch/index.ts';
import { fingerprint } from '../dispatch/index.ts';
import { ZERO_TIME } from '../dispatch/aggregation-group.ts';

export interface AlertTestRoute {
  receiver: string;
  groupBy: string[];
  muted: boolean;
  mutedBy?: string;
  /** Absent when muted. */
  results?: SendResult[];
}

export async function sendTestAlert(
  deps: { dispatcher: Dispatcher; notifier: NotifierPort; externalURL: string; now: number },
  labels: Record<string, string>,
  annotations: Record<string, string>,
): Promise<AlertTestRoute[]> {
  const alert = {
    status: 'firing' as const,
    labels,
    annotations,
    startsAt: new Date(deps.now).toISOString(),
    endsAt: ZERO_TIME,
    generatorURL: deps.externalURL,
    fingerprint: fingerprint(labels),
  };
  const routes = deps.dispatcher.routeTest(labels, deps.now);
  return Promise.all(
    routes.map(async (route): Promise<AlertTestRoute> => {
      const summary = { receiver: route.receiver, groupBy: route.groupBy, muted: route.muted, ...(route.mutedBy ? { mutedBy: route.mutedBy } : {}) };
      if (route.muted) return summary;
      const groupLabels = Object.fromEntries(route.groupBy.filter((name) => name in labels).map((name) => [name, labels[name]]));
      const results = await deps.notifier.send(route.receiver, {
        receiver: route.receiver,
        status: 'firing',
        alerts: [alert],
        groupLabels,
        commonLabels: labels,
        commonAnnotations: annotations,
        externalURL: deps.externalURL,
        groupKey: route.groupKey,
        truncatedAlerts: 0,
      });
      return { ...summary, results };
    }),
  );
}
