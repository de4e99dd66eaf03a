/**
 * HTTP middleware for node:http, Express and Fastify, one core for all three
 * (observe-request.ts). Per request:
 *   - correlation: the `x-request-id` header's id when it is acceptable
 *     (printable, ≤ 128 chars), else a new UUID-shaped id
 *     (context/request-id.ts); echoed in the response's `x-request-id`
 *     (echo-request-id.ts: written with the status line, so
 *     res.getHeader does not see it; a handler's own x-request-id wins);
 *     the rest of the request (handlers, promises, timers,
 *     body events) runs inside the request context (context/), so every log
 *     line carries it;
 *   - metrics: http_requests_total and http_request_duration_seconds by
 *     method, route template, status (and tenant, opt-in) when the response
 *     closes; a client that leaves before the response is complete is
 *     recorded with status 499;
 *   - `GET /metrics` (metricsPath) when exposeMetrics is true.
 * Only the constructors throw (bad options, a TypeError naming the option).
 *
 *   http.createServer(observeHandler(handler, { route: (req) => match(req)?.template, exposeMetrics: true }))
 *   expressApp.use(observeExpress({ metrics, exposeMetrics: true }))
 *   await fastifyApp.register(observeFastify({ metrics, exposeMetrics: true }))
 *
 * API
 *   observeHandler(handler, options?: HandlerOptions): (req, res) => void
 *   observeExpress(options?: ObserveOptions): (req, res, next) => void
 *   observeFastify(options?: ObserveOptions): Fastify plugin (applies app-wide)
 *   observeRequest(resolvedOptions, req, res, route, next)   the shared core
 *   resolveObserveOptions(options, withRoute), defaultObserveOptions
 */
export { expressRoute, observeExpress, type ExpressMiddleware } from './express.ts';
export {
  observeFastify,
  type FastifyInstanceLike,
  type FastifyObservePlugin,
  type FastifyReplyLike,
  type FastifyRequestLike,
} from './fastify.ts';
export { observeHandler, type NodeHandler } from './node-http.ts';
export { CLIENT_CLOSED_STATUS, isMetricsRequest, observeRequest, serveMetrics } from './observe-request.ts';
export {
  defaultObserveOptions,
  resolveObserveOptions,
  type HandlerOptions,
  type ObserveOptions,
  type ResolvedObserveOptions,
  type RouteOf,
} from './options.ts';
