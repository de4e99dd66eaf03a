/**
 * Express adapter (4 and 5): a middleware to install first. The route is
 * known only after Express has routed, so it is read when the response ends:
 * `req.baseUrl + req.route.path`, e.g. `/api` + `/calls/:id`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMetricsRequest, observeRequest, serveMetrics } from './observe-request.ts';
import { resolveObserveOptions, type ObserveOptions } from './options.ts';

/** The parts of Express' request this reads (typed here so the SDK needs no @types/express). */
interface ExpressRequestFields {
  route?: { path?: unknown } | null;
  baseUrl?: string;
}

export type ExpressMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**   app.use(observeExpress({ exposeMetrics: true }))   // before the routes */
export function observeExpress(options?: ObserveOptions): ExpressMiddleware {
  const resolved = Object.freeze({ ...resolveObserveOptions(options, false), route: expressRoute });
  return function vigilObserve(req, res, next) {
    if (isMetricsRequest(resolved, req)) {
      serveMetrics(resolved, req, res);
      return;
    }
    observeRequest(resolved, req, res, undefined, next);
  };
}

/** The matched route's template, or undefined when no route handled the request (404, static files). */
export function expressRoute(req: IncomingMessage): string | undefined {
  const { route, baseUrl = '' } = req as IncomingMessage & ExpressRequestFields;
  if (route === undefined || route === null) return undefined;
  const path = route.path;
  // Express also accepts regular expressions and arrays as paths: their
  // source is still a template, bounded by the app's code.
  const template = typeof path === 'string' ? path : Array.isArray(path) ? path.map(String).join(',') : String(path);
  // router.get('/') under app.use('/api', router) serves /api.
  return template === '/' && baseUrl !== '' ? baseUrl : baseUrl + template;
}
