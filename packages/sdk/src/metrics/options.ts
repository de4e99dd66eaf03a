/**
 * Metrics options, their defaults and their validation. Everything is checked
 * once in createMetrics so the per-request path never has to.
 */
import { Registry } from 'prom-client';
import { describeValue } from '../redact/describe-value.ts';

export interface MetricsOptions {
  /** Registry to register into. Default: a new one, so two createMetrics calls never clash. */
  readonly registry?: Registry;
  /** Labels on every series of the registry, e.g. `{ service: 'checkout', env: 'prod' }`. */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /** prom-client's process metrics (CPU, memory, heap, event-loop lag, handles, GC). */
  readonly defaultMetrics?: boolean;
  /** Upper bounds of http_request_duration_seconds, in seconds, ascending. */
  readonly buckets?: readonly number[];
  /** Adds a `tenant` label to the HTTP metrics (value: the request context's tenant). */
  readonly tenantLabel?: boolean;
  /** Distinct route templates kept before new ones are recorded as `__other__`. */
  readonly maxRoutes?: number;
  /** Distinct tenants kept before new ones are recorded as `__other__`. */
  readonly maxTenants?: number;
  /** `code`: status="404"; `class`: status="4xx". */
  readonly statusLabel?: 'code' | 'class';
}

export interface ResolvedMetricsOptions {
  readonly registry: Registry;
  readonly defaultLabels: Readonly<Record<string, string>>;
  readonly defaultMetrics: boolean;
  readonly buckets: readonly number[];
  readonly tenantLabel: boolean;
  readonly maxRoutes: number;
  readonly maxTenants: number;
  readonly statusLabel: 'code' | 'class';
}

/** The defaults, frozen; each key is documented on MetricsOptions. */
export const defaultMetricsOptions = Object.freeze({
  defaultLabels: Object.freeze({}) as Readonly<Record<string, string>>,
  defaultMetrics: true,
  // Dense around 0.1–1 s so p95/p99 against a 500 ms objective interpolate
  // within one bucket; 10 s covers slow uploads and upstream time-outs.
  buckets: Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10]),
  tenantLabel: false,
  maxRoutes: 100,
  maxTenants: 50,
  statusLabel: 'code' as 'code' | 'class',
});

const OPTION_KEYS = ['registry', ...Object.keys(defaultMetricsOptions)];
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Names the HTTP metrics use themselves, or that Prometheus reserves. */
const takenLabels = new Set(['method', 'route', 'status', 'tenant', 'le', 'quantile']);

export function resolveMetricsOptions(options: unknown): ResolvedMetricsOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`metrics options must be an object or undefined, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new TypeError(`unknown metrics option ${JSON.stringify(key)}; known: ${OPTION_KEYS.join(', ')}`);
    }
  }
  // An explicit undefined means "use the default", as optional props allow it.
  const given = options as Record<string, unknown>;
  const pick = <K extends keyof typeof defaultMetricsOptions>(key: K): unknown => given[key] ?? defaultMetricsOptions[key];
  return Object.freeze({
    registry: registryOption(given.registry),
    defaultLabels: defaultLabelsOption(pick('defaultLabels')),
    defaultMetrics: booleanOption(pick('defaultMetrics'), 'defaultMetrics'),
    buckets: bucketsOption(pick('buckets')),
    tenantLabel: booleanOption(pick('tenantLabel'), 'tenantLabel'),
    maxRoutes: capOption(pick('maxRoutes'), 'maxRoutes'),
    maxTenants: capOption(pick('maxTenants'), 'maxTenants'),
    statusLabel: statusLabelOption(pick('statusLabel')),
  });
}

function registryOption(value: unknown): Registry {
  if (value === undefined) return new Registry();
  if (!(value instanceof Registry)) throw optionError('registry', "a prom-client Registry", value);
  return value;
}

function defaultLabelsOption(value: unknown): Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError('defaultLabels', 'an object of label names to strings', value);
  }
  for (const [name, labelValue] of Object.entries(value)) {
    if (!labelName.test(name) || name.startsWith('__') || takenLabels.has(name)) {
      throw optionError(`defaultLabels key`, `a Prometheus label name other than ${[...takenLabels].join(', ')}`, name);
    }
    if (typeof labelValue !== 'string') throw optionError(`defaultLabels.${name}`, 'a string', labelValue);
  }
  return Object.freeze({ ...value } as Record<string, string>);
}

function booleanOption(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean') throw optionError(option, 'a boolean', value);
  return value;
}

function bucketsOption(value: unknown): readonly number[] {
  const ascending = Array.isArray(value) && value.length > 0 && value.every(
    (b, i) => typeof b === 'number' && Number.isFinite(b) && b > 0 && (i === 0 || b > value[i - 1]),
  );
  if (!ascending) throw optionError('buckets', 'a non-empty array of ascending positive seconds', value);
  return Object.freeze([...(value as number[])]);
}

function capOption(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 10_000) {
    throw optionError(option, 'an integer from 1 to 10000', value);
  }
  return value;
}

function statusLabelOption(value: unknown): 'code' | 'class' {
  if (value !== 'code' && value !== 'class') throw optionError('statusLabel', '"code" or "class"', value);
  return value;
}

function optionError(option: string, expected: string, got: unknown): TypeError {
  return new TypeError(`metrics option ${option} must be ${expected}, got ${describeValue(got)}`);
}
