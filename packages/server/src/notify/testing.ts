/** Test kit: a loopback HTTP server that records requests, and sample notifications. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { fingerprint, type Notification, type NotificationAlert } from '../dispatch/model.ts';
import { globalSchema, receiverSchema } from './config.ts';
import { Notifier, type NotifierOptions } from './notifier.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Answers each request with the next status of `statuses` (the last one repeats); `null` never answers. */
export async function recordingServer(statuses: (number | null)[] = [200]): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = statuses[Math.min(requests.length - 1, statuses.length - 1)];
      if (status !== null) res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : `status ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sampleAlert(labels: Record<string, string>, annotations: Record<string, string> = {}, status: 'firing' | 'resolved' = 'firing'): NotificationAlert {
  return {
    status,
    labels,
    annotations,
    startsAt: '2026-11-30T08:00:00.000Z',
    endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-11-30T08:05:00.000Z',
    generatorURL: 'http://vigil.test/graph?g0.expr=up',
    fingerprint: fingerprint(labels),
  };
}

export function sampleNotification(overrides: Partial<Notification> = {}): Notification {
  const alerts = overrides.alerts ?? [
    sampleAlert(
      { alertname: 'HighLatency', service: 'api', severity: 'critical', instance: 'a:1' },
      { summary: 'p99 latency above 1s', runbook_url: 'https://runbooks.test/latency', dashboard_url: 'https://grafana.test/d/api' },
    ),
    sampleAlert({ alertname: 'HighLatency', service: 'api', severity: 'critical', instance: 'b:1' }, { summary: 'p99 latency above 1s' }),
  ];
  const status = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
  return {
    receiver: 'team',
    status,
    alerts,
    groupLabels: { alertname: 'HighLatency' },
    commonLabels: { alertname: 'HighLatency', service: 'api', severity: 'critical' },
    commonAnnotations: { summary: 'p99 latency above 1s' },
    externalURL: 'http://vigil.test',
    groupKey: '{}:{alertname="HighLatency"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

/** A Notifier over parsed config, with instant backoff. */
export function testNotifier(
  receivers: unknown[],
  global: unknown = {},
  extra: Partial<NotifierOptions> = {},
): { notifier: Notifier; registry: Registry; sleeps: number[] } {
  const registry = new Registry();
  const sleeps: number[] = [];
  const notifier = new Notifier({
    global: globalSchema.parse(global),
    receivers: receivers.map((r) => receiverSchema.parse(r)),
    registry,
    externalURL: 'http://vigil.test',
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...extra,
  });
  return { notifier, registry, sleeps };
}

export async function counterValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const matching = metric?.values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return matching?.value ?? 0;
}

