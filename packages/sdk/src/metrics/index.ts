/**
 * Metrics: a prom-client Registry with the process metrics and the HTTP RED
 * metrics, and its `/metrics` rendering. Only createMetrics throws (bad
 * options: a TypeError naming the option and the value it got).
 *
 *   const metrics = createMetrics({ defaultLabels: { service: 'checkout', env: 'prod' } });
 *   new Counter({ name: 'orders_total', help: '…', registers: [metrics.registry] });
 *   http.createServer(metricsHandler(metrics))   // or the http/ middleware's exposeMetrics
 *
 * API
 *   createMetrics(options?: MetricsOptions): Metrics
 *   Metrics.registry              the prom-client Registry (add app metrics to it)
 *   Metrics.http.record(method, route, status, tenant, seconds)
 *   Metrics.render(): Promise<string>, Metrics.contentType
 *   metricsHandler(metrics)       (req, res) => void answering with render()
 *   sendMetrics(metrics, res)     the same for an already-routed response
 *   defaultMetricsOptions         frozen defaults, documented on MetricsOptions
 *
 * Series: http_requests_total and http_request_duration_seconds, labels
 * method, route, status (+ tenant with tenantLabel). route is the route
 * template; requests no route matched share route="unmatched". Past
 * maxRoutes (100) distinct routes or maxTenants (50) distinct tenants, new
 * values are recorded as "__other__" (and one process warning,
 * VIGIL_METRICS_LABEL_CAP, says so). Methods outside the standard nine and
 * statuses outside 100–599 are "__other__" too, so the series count is
 * bounded whatever the clients send.
 */
export { createMetrics, type Metrics } from './create-metrics.ts';
export { HttpMetrics, UNMATCHED_ROUTE } from './http-metrics.ts';
export { OTHER_VALUE } from './label-cap.ts';
export { metricsHandler, sendMetrics } from './metrics-handler.ts';
export { defaultMetricsOptions, type MetricsOptions, type ResolvedMetricsOptions } from './options.ts';
