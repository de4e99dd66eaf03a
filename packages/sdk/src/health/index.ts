/**
 * Health endpoints for Node services: liveness, readiness with per-check
 * timeouts, handlers for node:http, Express and Fastify, and checks for the
 * usual dependencies.
 *
 *   const health = createHealth({ version: '1.4.2' })
 *     .addCheck('postgres', postgresCheck(pool))
 *     .addCheck('redis', redisCheck(redis), { timeoutMs: 500 })
 *     .addCheck('payments', httpCheck('https://api.example.com/status'), { critical: false });
 *   http.createServer((req, res) => { if (!health.handle(req, res)) app(req, res); });
 *   app.use(health.express);          // Express
 *   await fastify.register(health.fastify);
 *
 * GET /health (/health/live): {status:"ok",version,timestamp,uptime_seconds}, 200.
 * GET /health/ready: {status:"ok"|"failing",version,timestamp,checks:{name:
 * {status:"pass"|"fail",latency_ms,error?,details?}}}, 200 or 503.
 * Check errors are stripped of credentials (URL passwords, password=…, tokens).
 */
export {
  createHealth,
  readinessHttpStatus,
  DEFAULT_CHECK_TIMEOUT_MS,
  type CheckDefinition,
  type CheckOptions,
  type Health,
  type HealthOptions,
  type LivenessReport,
  type ReadinessReport,
} from './create-health.ts';
export type { HealthHandlers } from './handlers.ts';
export type { CheckContext, CheckResult, HealthCheckFn } from './run-check.ts';
export { httpCheck, type HttpCheckOptions } from './http-check.ts';
export { postgresCheck, type PostgresCheckOptions, type Queryable } from './postgres-check.ts';
export { redisCheck, type Pingable } from './redis-check.ts';
export { diskFreeCheck, type DiskFreeOptions } from './disk-free-check.ts';
export { eventLoopLagCheck, type EventLoopLagOptions } from './event-loop-lag-check.ts';
export { describeError, redactSecrets } from './safe-error.ts';
