/**
 * The one core the node:http, Express and Fastify adapters share: for each
 * request, a request id (kept or made) echoed in `x-request-id`, the rest of
 * the request run inside the request context, and the RED metrics recorded
 * when the response closes. Adapters only say where the route template is.
 */
import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
// Imported, not the global: Node 20's global `performance` is a lazy getter, run on every access.
import { performance } from 'node:perf_hooks';
import { acceptedOrNewRequestId, runWithContext, type RequestContext } from '../context/index.ts';
import { sendMetrics } from '../metrics/index.ts';
import { echoRequestId } from './echo-request-id.ts';
import type { ResolvedObserveOptions } from './options.ts';

/** Status recorded when the client went away before the response was complete (nginx's code). */
export const CLIENT_CLOSED_STATUS = 499;

const kObservation = Symbol('vigil.observation');

type ObservedResponse = ServerResponse & { [kObservation]?: Observation };

// A class, not an object literal per request: one hidden class, and the
// close listener below is shared instead of a closure per request.
class Observation {
  constructor(
    readonly options: ResolvedObserveOptions,
    readonly req: IncomingMessage,
    readonly context: RequestContext,
    readonly route: string | undefined,
    readonly start: number, // performance.now(), ms: a double, no BigInt per request
  ) {}
}

/**
 * Observes one request and runs `next` inside its context. `route` is the
 * template when the framework knows it up front (Fastify routes before its
 * hooks); otherwise `options.route(req)` is asked when the response ends.
 */
export function observeRequest<T>(
  options: ResolvedObserveOptions,
  req: IncomingMessage,
  res: ServerResponse,
  route: string | undefined,
  next: () => T,
): T {
  // Observed already (the middleware installed twice, a sub-app): count once.
  if ((res as ObservedResponse)[kObservation] !== undefined) return next();
  const raw = req.rawHeaders;
  const context: RequestContext = { requestId: acceptedOrNewRequestId(headerValue(raw, 'x-request-id')) };
  if (options.tenant !== undefined) {
    const tenant = callUserFunction(options.tenant, req, 'tenant');
    if (tenant) context.tenant = tenant;
  }
  echoRequestId(res, context.requestId);
  (res as ObservedResponse)[kObservation] = new Observation(options, req, context, route, performance.now());
  res.on('close', onClose);
  if (!hasBody(raw)) return runWithContext(context, next);
  return runWithContext(context, () => {
    // The parser emits a body's 'end' (where body parsers go on to the
    // handler) from the socket's context, not this request's: binding emit
    // here keeps the request id in handlers that run after the body arrives.
    req.emit = AsyncResource.bind(req.emit, 'VIGIL_REQUEST', req);
    return next();
  });
}

/** Whether this request asks for the exposed metrics endpoint. */
export function isMetricsRequest(options: ResolvedObserveOptions, req: IncomingMessage): boolean {
  if (!options.exposeMetrics || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const url = req.url ?? '';
  const path = options.metricsPath;
  return url === path || (url.startsWith(path) && url.charCodeAt(path.length) === 63 /* ? */);
}

/** Answers the metrics endpoint inside the observed request (it is recorded like any route). */
export function serveMetrics(options: ResolvedObserveOptions, req: IncomingMessage, res: ServerResponse): void {
  observeRequest(options, req, res, options.metricsPath, () => sendMetrics(options.metrics, res));
}

function onClose(this: ObservedResponse): void {
  const observation = this[kObservation];
  if (observation === undefined) return;
  const seconds = (performance.now() - observation.start) / 1000;
  const { options, req, context } = observation;
  let route = observation.route;
  if (route === undefined && options.route !== undefined) route = callUserFunction(options.route, req, 'route');
  const status = this.writableFinished ? this.statusCode : CLIENT_CLOSED_STATUS;
  options.metrics.http.record(req.method ?? '', route, status, context.tenant, seconds);
}

// Headers are read from rawHeaders: Node builds req.headers lazily, and
// building it costs more than these scans when the handler never asks.

/** The first value of a header; `name` in lower case. */
function headerValue(raw: string[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i];
    if (key.length === name.length && (key === name || key.toLowerCase() === name)) return raw[i + 1];
  }
  return undefined;
}

function hasBody(raw: string[]): boolean {
  const length = headerValue(raw, 'content-length');
  return (length !== undefined && length !== '0') || headerValue(raw, 'transfer-encoding') !== undefined;
}

const warned = new Set<string>();

/** The SDK never throws into the app: a failing or odd user function counts as "unknown", with one warning. */
function callUserFunction(fn: (req: IncomingMessage) => unknown, req: IncomingMessage, option: string): string | undefined {
  let value: unknown;
  try {
    value = fn(req);
  } catch (error) {
    warnOnce(option, `middleware option ${option} threw (${error instanceof Error ? error.message : String(error)}); recorded as unknown`);
    return undefined;
  }
  if (value === undefined || typeof value === 'string') return value;
  warnOnce(option, `middleware option ${option} must return a string or undefined, got a ${typeof value}; recorded as unknown`);
  return undefined;
}

function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(message, { code: 'VIGIL_MIDDLEWARE_OPTION' });
}
