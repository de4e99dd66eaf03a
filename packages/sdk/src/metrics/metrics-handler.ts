/**
 * `/metrics` for node:http (and anything built on it): the registry in the
 * Prometheus text format. A failing collector answers 500 with its message
 * instead of throwing into the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './create-metrics.ts';

export function metricsHandler(metrics: Metrics): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    sendMetrics(metrics, res);
  };
}

export function sendMetrics(metrics: Metrics, res: ServerResponse): void {
  metrics.render().then(
    (body) => {
      res.statusCode = 200;
      res.setHeader('content-type', metrics.contentType);
      res.setHeader('cache-control', 'no-store');
      res.end(body);
    },
    (error: unknown) => {
      res.statusCode = 500;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(`collecting metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  );
}
