/**
 * Middleware options, their defaults and their validation: checked once when
 * the middleware is built, so a bad option fails at start-up, naming itself.
 */
import type { IncomingMessage } from 'node:http';
import { createMetrics, HttpMetrics, type Metrics } from '../metrics/index.ts';
import { describeValue } from '../redact/describe-value.ts';

export interface ObserveOptions {
  /** Where requests are recorded (from createMetrics). Default: a new createMetrics(). */
  readonly metrics?: Metrics;
  /** Answer `GET <metricsPath>` with the registry in the Prometheus text format. */
  readonly exposeMetrics?: boolean;
  /** Path of the metrics endpoint, when exposed. */
  readonly metricsPath?: string;
  /**
   * The request's tenant, e.g. from a header; put on the request context (so
   * log lines carry it) and on the `tenant` label when metrics have
   * `tenantLabel`. Default: whatever the app sets with setContextValue('tenant', …).
   */
  readonly tenant?: (req: IncomingMessage) => string | undefined;
}

export interface HandlerOptions extends ObserveOptions {
  /**
   * node:http has no router: the route TEMPLATE of a request (`/calls/:id`),
   * asked when the response ends; undefined when no route matched. Without
   * it every request is recorded under the unmatched route.
   */
  readonly route?: (req: IncomingMessage) => string | undefined;
}

export type RouteOf = (req: IncomingMessage) => string | undefined;

export interface ResolvedObserveOptions {
  readonly metrics: Metrics;
  readonly exposeMetrics: boolean;
  readonly metricsPath: string;
  readonly tenant: ((req: IncomingMessage) => string | undefined) | undefined;
  readonly route: RouteOf | undefined;
}

export const defaultObserveOptions = Object.freeze({
  exposeMetrics: false,
  metricsPath: '/metrics',
});

const OPTION_KEYS = ['metrics', 'exposeMetrics', 'metricsPath', 'tenant'];

export function resolveObserveOptions(options: unknown, withRoute: boolean): ResolvedObserveOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`middleware options must be an object or undefined, got ${describeValue(options)}`);
  }
  const known = withRoute ? [...OPTION_KEYS, 'route'] : OPTION_KEYS;
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`unknown middleware option ${JSON.stringify(key)}; known: ${known.join(', ')}`);
    }
  }
  const given = options as Record<string, unknown>;
  const exposeMetrics = given.exposeMetrics ?? defaultObserveOptions.exposeMetrics;
  if (typeof exposeMetrics !== 'boolean') throw optionError('exposeMetrics', 'a boolean', exposeMetrics);
  const metricsPath = given.metricsPath ?? defaultObserveOptions.metricsPath;
  if (typeof metricsPath !== 'string' || !/^\/[^?#\s]*$/.test(metricsPath)) {
    throw optionError('metricsPath', 'a path starting with "/" (no query, no spaces)', metricsPath);
  }
  return Object.freeze({
    metrics: metricsOption(given.metrics),
    exposeMetrics,
    metricsPath,
    tenant: functionOption(given.tenant, 'tenant'),
    route: functionOption(given.route, 'route'),
  });
}

function metricsOption(value: unknown): Metrics {
  if (value === undefined) return createMetrics();
  if (typeof value !== 'object' || value === null || !((value as Metrics).http instanceof HttpMetrics)) {
    throw optionError('metrics', 'the result of createMetrics()', value);
  }
  return value as Metrics;
}

function functionOption(value: unknown, option: string): RouteOf | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw optionError(option, 'a function (req) => string | undefined', value);
  return value as RouteOf;
}

function optionError(option: string, expected: string, got: unknown): TypeError {
  return new TypeError(`middleware option ${option} must be ${expected}, got ${describeValue(got)}`);
}
