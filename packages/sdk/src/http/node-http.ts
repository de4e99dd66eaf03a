/**
 * node:http adapter: wraps a `(req, res)` handler. node:http has no router,
 * so the route template comes from `options.route(req)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMetricsRequest, observeRequest, serveMetrics } from './observe-request.ts';
import { resolveObserveOptions, type HandlerOptions } from './options.ts';

export type NodeHandler<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> =
  (req: Req, res: Res) => unknown;

/**
 *   http.createServer(observeHandler(app, { route: (req) => router.match(req)?.template }))
 */
export function observeHandler<Req extends IncomingMessage, Res extends ServerResponse>(
  handler: NodeHandler<Req, Res>,
  options?: HandlerOptions,
): (req: Req, res: Res) => void {
  if (typeof handler !== 'function') throw new TypeError(`observeHandler needs a (req, res) handler, got ${typeof handler}`);
  const resolved = resolveObserveOptions(options, true);
  return function observedHandler(req, res) {
    if (isMetricsRequest(resolved, req)) {
      serveMetrics(resolved, req, res);
      return;
    }
    observeRequest(resolved, req, res, undefined, () => handler(req, res));
  };
}
