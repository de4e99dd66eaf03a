/**
 * Liveness and readiness for a service, as load balancers and orchestrators
 * poll them every 30–120 s:
 *
 *   liveness()   the process answers; never touches dependencies, so a
 *                database outage does not get every replica restarted
 *   readiness()  every check in parallel, each with its own timeout; status
 *                "failing" (HTTP 503) when a critical check fails
 *
 * A non-critical check (critical: false) is reported as "fail" without making
 * the service unready: for dependencies the service can limp along without.
 */
import { describeValue } from '../redact/describe-value.ts';
import { createHandlers, type HealthHandlers } from './handlers.ts';
import { runCheck, type CheckResult, type HealthCheckFn } from './run-check.ts';

export interface CheckOptions {
  /** Per-check timeout in ms; default the health's timeoutMs. */
  timeoutMs?: number;
  /** Whether a failure makes readiness "failing" (503); default true. */
  critical?: boolean;
}

export interface CheckDefinition extends CheckOptions {
  check: HealthCheckFn;
}

export interface HealthOptions {
  /** Reported in every response; default $npm_package_version, else "unknown". */
  version?: string;
  /** Checks by name, as addCheck would add them. */
  checks?: Record<string, HealthCheckFn | CheckDefinition>;
  /** Default per-check timeout in ms; default 2000. */
  timeoutMs?: number;
  /** Clock for timestamps and uptime, ms since the epoch; default Date.now. */
  now?: () => number;
}

export interface LivenessReport {
  status: 'ok';
  version: string;
  timestamp: string;
  uptime_seconds: number;
}

export interface ReadinessReport {
  status: 'ok' | 'failing';
  version: string;
  timestamp: string;
  checks: Record<string, CheckResult>;
}

export interface Health extends HealthHandlers {
  addCheck(name: string, check: HealthCheckFn, options?: CheckOptions): Health;
  liveness(): LivenessReport;
  /** Never rejects. Concurrent calls share one run, so a burst of pollers does not multiply the load on dependencies. */
  readiness(): Promise<ReadinessReport>;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

export function readinessHttpStatus(report: Pick<ReadinessReport, 'status'>): 200 | 503 {
  return report.status === 'ok' ? 200 : 503;
}

function timeoutOption(where: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${where} timeoutMs must be a positive number of milliseconds, got ${describeValue(value)}`);
  }
  return value;
}

interface RegisteredCheck {
  check: HealthCheckFn;
  timeoutMs: number;
  critical: boolean;
}

export function createHealth(options: HealthOptions = {}): Health {
  const version = options.version ?? process.env.npm_package_version ?? 'unknown';
  if (typeof version !== 'string') throw new TypeError(`createHealth option version must be a string, got ${describeValue(version)}`);
  const defaultTimeout = timeoutOption('createHealth option', options.timeoutMs, DEFAULT_CHECK_TIMEOUT_MS);
  const now = options.now ?? Date.now;
  // Uptime is the process's, read through the same clock so tests can move it.
  const startedAt = now() - process.uptime() * 1000;
  const checks = new Map<string, RegisteredCheck>();
  let inflight: Promise<ReadinessReport> | undefined;

  function liveness(): LivenessReport {
    const at = now();
    return { status: 'ok', version, timestamp: new Date(at).toISOString(), uptime_seconds: Math.max(0, Math.floor((at - startedAt) / 1000)) };
  }

  async function runAll(): Promise<ReadinessReport> {
    const entries = [...checks];
    const results = await Promise.all(entries.map(([, entry]) => runCheck(entry.check, entry.timeoutMs)));
    const report: ReadinessReport = { status: 'ok', version, timestamp: new Date(now()).toISOString(), checks: {} };
    entries.forEach(([name, entry], i) => {
      report.checks[name] = results[i];
      if (results[i].status === 'fail' && entry.critical) report.status = 'failing';
    });
    return report;
  }

  function readiness(): Promise<ReadinessReport> {
    inflight ??= runAll().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  const health: Health = {
    addCheck(name, check, checkOptions = {}) {
      if (typeof name !== 'string' || name === '') throw new TypeError(`addCheck name must be a non-empty string, got ${describeValue(name)}`);
      if (checks.has(name)) throw new TypeError(`addCheck: a check named ${JSON.stringify(name)} already exists`);
      if (typeof check !== 'function') throw new TypeError(`addCheck(${JSON.stringify(name)}) check must be a function, got ${describeValue(check)}`);
      const critical = checkOptions.critical ?? true;
      if (typeof critical !== 'boolean') throw new TypeError(`addCheck(${JSON.stringify(name)}) critical must be a boolean, got ${describeValue(critical)}`);
      checks.set(name, { check, critical, timeoutMs: timeoutOption(`addCheck(${JSON.stringify(name)})`, checkOptions.timeoutMs, defaultTimeout) });
      return health;
    },
    liveness,
    readiness,
    ...createHandlers({ liveness, readiness }),
  };
  for (const [name, definition] of Object.entries(options.checks ?? {})) {
    if (typeof definition === 'function') health.addCheck(name, definition);
    else health.addCheck(name, definition?.check, definition);
  }
  return health;
}
