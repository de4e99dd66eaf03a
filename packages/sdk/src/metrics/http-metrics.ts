/**
 * The RED metrics of every route: http_requests_total and
 * http_request_duration_seconds by method, route template and status (and,
 * opt-in, tenant). Every label value is normalised and capped here, so no
 * caller can create unbounded series.
 */
import type { Registry } from 'prom-client';
import { LabelCap, OTHER_VALUE } from './label-cap.ts';
import type { ResolvedMetricsOptions } from './options.ts';
import { registerSeriesMetrics, Series } from './series-metric.ts';

/** The route label of requests no route matched (404s, scans): one series, whatever the paths. */
export const UNMATCHED_ROUTE = 'unmatched';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE'];
const methodIndex = new Map(methods.map((m, i) => [m, i]));
const methodLabels = [...methods, OTHER_VALUE];

// Index 0 is "out of range"; precomputed so the hot path never formats a number.
const statusCodeLabels = Array.from({ length: 600 }, (_, code) => (code < 100 ? OTHER_VALUE : String(code)));
const statusClassLabels = [OTHER_VALUE, '1xx', '2xx', '3xx', '4xx', '5xx'];

/** Series of one route and tenant, by method and status: key = method index * 1000 + status index. */
type SeriesByKey = Map<number, Series>;

export class HttpMetrics {
  readonly tenantLabel: boolean;
  readonly #bounds: readonly number[];
  readonly #routeCap: LabelCap;
  readonly #tenantCap: LabelCap;
  readonly #statusClass: boolean;
  // Route → tenant ('' without tenantLabel) → series. Keyed by capped values
  // only, so bounded: (maxRoutes + 2) × (maxTenants + 2) maps.
  readonly #byRoute = new Map<string, Map<string, SeriesByKey>>();
  #all: Series[] = [];

  constructor(registry: Registry, options: ResolvedMetricsOptions) {
    const names = { counter: 'http_requests_total', histogram: 'http_request_duration_seconds' };
    for (const name of Object.values(names)) {
      if (registry.getSingleMetric(name)) {
        throw new Error(`the registry already has ${name}: call createMetrics once per registry and share its result`);
      }
    }
    this.tenantLabel = options.tenantLabel;
    this.#bounds = options.buckets;
    this.#routeCap = new LabelCap('route', options.maxRoutes);
    this.#tenantCap = new LabelCap('tenant', options.maxTenants);
    this.#statusClass = options.statusLabel === 'class';
    registerSeriesMetrics(registry, names, {
      counter: 'HTTP requests handled, by method, route template and status code.',
      histogram: 'Time from receiving an HTTP request to the end of its response, in seconds.',
    }, this.#bounds, () => this.#all, () => this.reset());
  }

  /**
   * Counts one request and observes its duration. `route` is the route
   * TEMPLATE (`/calls/:id`), undefined when none matched; never a raw path.
   */
  record(method: string, route: string | undefined, status: number, tenant: string | undefined, seconds: number): void {
    const r = route === undefined || route === '' ? UNMATCHED_ROUTE : this.#routeCap.value(route);
    // An empty tenant is Prometheus' "no tenant" (same as an absent label).
    const t = this.tenantLabel && tenant ? this.#tenantCap.value(tenant) : '';
    let byTenant = this.#byRoute.get(r);
    if (byTenant === undefined) {
      byTenant = new Map();
      this.#byRoute.set(r, byTenant);
    }
    let byKey = byTenant.get(t);
    if (byKey === undefined) {
      byKey = new Map();
      byTenant.set(t, byKey);
    }
    const m = methodIndex.get(method) ?? methods.length;
    const s = this.#statusIndex(status);
    const key = m * 1000 + s;
    let series = byKey.get(key);
    if (series === undefined) {
      series = this.#createSeries(methodLabels[m], r, this.#statusClass ? statusClassLabels[s] : statusCodeLabels[s], t);
      byKey.set(key, series);
    }
    series.observe(seconds, this.#bounds);
  }

  /** Forgets every series (and the values the caps have seen), as prom-client's Registry.resetMetrics asks. */
  reset(): void {
    this.#byRoute.clear();
    this.#all = [];
    this.#routeCap.clear();
    this.#tenantCap.clear();
  }

  #statusIndex(status: number): number {
    if (!Number.isInteger(status) || status < 100 || status > 599) return 0;
    return this.#statusClass ? Math.floor(status / 100) : status;
  }

  #createSeries(method: string, route: string, status: string, tenant: string): Series {
    const labels: Record<string, string> = { method, route, status };
    if (this.tenantLabel) labels.tenant = tenant;
    const series = new Series(Object.freeze(labels), this.#bounds.length);
    this.#all.push(series);
    return series;
  }
}
