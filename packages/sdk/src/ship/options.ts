/**
 * Shipping options: one defaults object with units, validated once when the
 * shipper is made, then frozen. A bad option is the only thing that throws,
 * and the TypeError names the option and the value it got.
 */

export interface ShipOptions {
  /** Loki or Vigil base URL (`http://loki:3100`) or the full push URL. Required. */
  url: string;
  /** Labels of every stream, e.g. `{ service: 'booking', env: 'prod' }`; at least one. Keep them few and fixed. */
  labels: Record<string, string>;
  /** Label that carries each line's level name (`info`, `error`…); `false` sends one stream. */
  levelLabel?: string | false;
  /** Tenant, sent as `X-Scope-OrgID`. */
  tenant?: string;
  /** Extra request headers, e.g. `{ Authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
  /** A batch is sent once its lines reach this many bytes. */
  batchBytes?: number;
  /** …or this many lines. */
  batchLines?: number;
  /** …or when its oldest line has waited this long (ms). */
  flushIntervalMs?: number;
  /** Gzip request bodies (`Content-Encoding: gzip`). */
  gzip?: boolean;
  /** Time limit of one request (ms). */
  timeoutMs?: number;
  /** Retries of one batch on network errors, 408, 429 and 5xx before it is dropped. */
  maxRetries?: number;
  /** First backoff ceiling (ms); it doubles per retry up to maxBackoffMs, full jitter below it. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Memory bound of lines waiting or in flight; beyond it the oldest waiting lines are dropped. */
  maxBufferBytes?: number;
  maxBufferLines?: number;
  /** How long flush() and close() wait for the server (ms); keep it under thread-stream's 10 s end(). */
  closeTimeoutMs?: number;
  /** At most one stderr report of dropped lines per this interval (ms) while drops go on. */
  dropReportIntervalMs?: number;
  /** Where warnings go (default: one line on stderr). In-process only: functions do not reach a worker. */
  onWarning?: (message: string) => void;
}

export interface ResolvedShipOptions {
  readonly pushUrl: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly levelLabel: string | false;
  readonly headers: Readonly<Record<string, string>>;
  readonly batchBytes: number;
  readonly batchLines: number;
  readonly flushIntervalMs: number;
  readonly gzip: boolean;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxBufferBytes: number;
  readonly maxBufferLines: number;
  readonly closeTimeoutMs: number;
  readonly dropReportIntervalMs: number;
  readonly onWarning: (message: string) => void;
}

export const defaultShipOptions = Object.freeze({
  levelLabel: 'level' as string | false,
  batchBytes: 1024 * 1024, // bytes
  batchLines: 10_000,
  flushIntervalMs: 1000, // ms
  gzip: true,
  timeoutMs: 10_000, // ms
  maxRetries: 10, // with the backoffs below a batch is given up after at most ~2.5 min (~1.3 on average)
  minBackoffMs: 500, // ms
  maxBackoffMs: 30_000, // ms
  maxBufferBytes: 8 * 1024 * 1024, // bytes
  maxBufferLines: 100_000,
  closeTimeoutMs: 4000, // ms
  dropReportIntervalMs: 60_000, // ms
});

export const shipOptionNames: ReadonlySet<string> = new Set(['url', 'labels', 'levelLabel', 'tenant', 'headers', 'batchBytes', 'batchLines', 'flushIntervalMs', 'gzip', 'timeoutMs',
  'maxRetries', 'minBackoffMs', 'maxBackoffMs', 'maxBufferBytes', 'maxBufferLines', 'closeTimeoutMs', 'dropReportIntervalMs', 'onWarning']);

/** Prometheus/Loki label names. */
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Loki's rule for tenant ids. */
const tenantPattern = /^[A-Za-z0-9!\-_.*'()]{1,150}$/;
const pushPath = '/loki/api/v1/push';

export function resolveShipOptions(options: ShipOptions): ResolvedShipOptions {
  if (options === null || typeof options !== 'object') fail('options', options, 'an object with at least { url }');
  // a misspelt option would otherwise be ignored in silence
  const unknown = Object.keys(options).filter((name) => !shipOptionNames.has(name));
  if (unknown.length > 0) throw new TypeError(`vigil ship: unknown option ${unknown.join(', ')}; the options are ${[...shipOptionNames].join(', ')}`);
  const o = { ...defaultShipOptions, ...withoutUndefined(options) } as typeof defaultShipOptions & ShipOptions;
  const labels = checkLabels(o.labels);
  if (o.levelLabel !== false && (typeof o.levelLabel !== 'string' || !labelName.test(o.levelLabel))) {
    fail('levelLabel', o.levelLabel, 'a label name (letters, digits, _) or false');
  }
  if (o.levelLabel !== false && o.levelLabel in labels) {
    fail('levelLabel', o.levelLabel, `a name not in labels (labels.${o.levelLabel} is fixed; set levelLabel: false to keep it)`);
  }
  const headers: Record<string, string> = { ...checkHeaders(o.headers) };
  if (o.tenant !== undefined) {
    if (typeof o.tenant !== 'string' || !tenantPattern.test(o.tenant)) {
      fail('tenant', o.tenant, "a tenant id of at most 150 letters, digits and !-_.*'()");
    }
    headers['X-Scope-OrgID'] = o.tenant;
  }
  if (typeof o.gzip !== 'boolean') fail('gzip', o.gzip, 'true or false');
  for (const name of ['batchBytes', 'batchLines', 'flushIntervalMs', 'timeoutMs', 'minBackoffMs', 'maxBackoffMs', 'maxBufferBytes', 'maxBufferLines', 'closeTimeoutMs', 'dropReportIntervalMs'] as const) {
    positiveInteger(name, o[name]);
  }
  if (!Number.isInteger(o.maxRetries) || o.maxRetries < 0) fail('maxRetries', o.maxRetries, 'an integer ≥ 0');
  // a batch in flight must leave room for new lines, or every write would drop
  if (o.batchBytes * 2 > o.maxBufferBytes) fail('batchBytes', o.batchBytes, `at most half of maxBufferBytes (${o.maxBufferBytes})`);
  if (o.batchLines * 2 > o.maxBufferLines) fail('batchLines', o.batchLines, `at most half of maxBufferLines (${o.maxBufferLines})`);
  if (o.minBackoffMs > o.maxBackoffMs) fail('minBackoffMs', o.minBackoffMs, `at most maxBackoffMs (${o.maxBackoffMs})`);
  if (o.onWarning !== undefined && typeof o.onWarning !== 'function') fail('onWarning', o.onWarning, 'a function');
  return Object.freeze({
    pushUrl: pushUrlOf(o.url),
    labels: Object.freeze(labels),
    levelLabel: o.levelLabel,
    headers: Object.freeze(headers),
    batchBytes: o.batchBytes,
    batchLines: o.batchLines,
    flushIntervalMs: o.flushIntervalMs,
    gzip: o.gzip,
    timeoutMs: o.timeoutMs,
    maxRetries: o.maxRetries,
    minBackoffMs: o.minBackoffMs,
    maxBackoffMs: o.maxBackoffMs,
    maxBufferBytes: o.maxBufferBytes,
    maxBufferLines: o.maxBufferLines,
    closeTimeoutMs: o.closeTimeoutMs,
    dropReportIntervalMs: o.dropReportIntervalMs,
    onWarning: o.onWarning ?? writeWarningToStderr,
  });
}

function pushUrlOf(url: unknown): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return fail('url', url, 'an http(s) URL such as http://localhost:3100');
  }
  if (typeof url !== 'string' || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    fail('url', url, 'an http(s) URL such as http://localhost:3100');
  }
  // a base URL gets Loki's push path; a full path (behind a proxy prefix) is kept
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = pushPath;
  return parsed.href;
}

function checkLabels(labels: unknown): Record<string, string> {
  if (labels === null || typeof labels !== 'object') return fail('labels', labels, 'an object of label name to string');
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (!labelName.test(name)) fail(`labels.${name}`, name, 'a label name of letters, digits and _, not starting with a digit');
    if (typeof value !== 'string' || value === '') fail(`labels.${name}`, value, 'a non-empty string');
    checked[name] = value;
  }
  if (Object.keys(checked).length === 0) fail('labels', labels, "at least one label, e.g. { service: 'api' } (Loki refuses streams without labels)");
  return checked;
}

function checkHeaders(headers: unknown): Record<string, string> {
  if (headers === undefined) return {};
  if (headers === null || typeof headers !== 'object') return fail('headers', headers, 'an object of header name to string');
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') fail(`headers.${name}`, value, 'a string');
  }
  return headers as Record<string, string>;
}

function positiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) fail(name, value, 'a positive integer');
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function fail(name: string, got: unknown, expected: string): never {
  // never echo header values: they may be credentials
  const shown = name.startsWith('headers.') ? typeof got : describe(got);
  throw new TypeError(`vigil ship: option ${name} must be ${expected}; got ${shown}`);
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value)?.slice(0, 100) ?? String(value);
  } catch {
    return String(value);
  }
}

function writeWarningToStderr(message: string): void {
  try {
    process.stderr.write(`vigil ship: ${message}\n`);
  } catch {
    // stderr closed: nothing else to tell
  }
}
