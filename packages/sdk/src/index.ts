/**
 * @vigil/sdk: what a Node service adds on day one, built on pino,
 * prom-client and AsyncLocalStorage. Each area is also importable alone
 * (`@vigil/sdk/redact`, `@vigil/sdk/ship`).
 *
 *   logger/    createLogger: Vigil's levels and fields, redaction, correlation, events
 *   context/   the request context (request id, tenant, principal, OTel ids)
 *   metrics/   a Registry with process and HTTP RED metrics, /metrics
 *   http/      middleware for node:http, Express, Fastify (correlation + metrics)
 *   security/  webhook signatures, auth failures, temporary blocking
 *   health/    /health and /health/ready with built-in checks
 *   ship/      a pino transport that ships to Vigil's (or Loki's) push API
 *   redact/    the PII redaction shared with Vigil's server
 */
export { createLogger, eventCatalogue, categories, customLevels } from './logger/index.ts';
export type {
  Category,
  ChildOptions,
  EventFields,
  EventKind,
  LevelName,
  LogFormat,
  LoggerOptions,
  Severity,
  VigilLogger,
} from './logger/index.ts';
export {
  bindContext,
  contextFields,
  currentContext,
  fetchWithContext,
  propagationHeaders,
  requestIdFrom,
  runWithContext,
  setContextValue,
  type RequestContext,
} from './context/index.ts';
export { createMetrics, metricsHandler, sendMetrics, type Metrics, type MetricsOptions } from './metrics/index.ts';
export { observeExpress, observeFastify, observeHandler, type HandlerOptions, type ObserveOptions } from './http/index.ts';
export {
  clientIp,
  createAuthBlocker,
  createBlockerMiddleware,
  createSecurity,
  verifyHmacSignature,
  verifyStripeSignature,
  verifyTwilioSignature,
} from './security/index.ts';
export type { AuthBlocker, AuthBlockerOptions, Security, SecurityOptions, VerifyResult } from './security/index.ts';
export {
  createHealth,
  diskFreeCheck,
  eventLoopLagCheck,
  httpCheck,
  postgresCheck,
  readinessHttpStatus,
  redisCheck,
} from './health/index.ts';
export type { Health, HealthCheckFn, HealthOptions, ReadinessReport } from './health/index.ts';
export { createShipper, createShipStream, defaultShipOptions, shipTarget } from './ship/index.ts';
export type { ShipOptions, Shipper, ShipStats } from './ship/index.ts';
export { createRedactor, defaultRedactOptions, patternNames, REDACTION_FAILED } from './redact/index.ts';
export type { ExtraPattern, PatternName, RedactOptions, Redactor } from './redact/index.ts';
