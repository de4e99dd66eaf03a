/**
 * Vigil's logger: pino with Vigil's field schema, five severities, PII
 * redaction (the server's rules), request correlation and event helpers.
 *
 *   const log = createLogger({ service: 'checkout' });
 *   log.info({ order_id: 'o1' }, 'order placed');
 *   log.warning('slow upstream');           // warn is the same level
 *   log.event('webhook.received', { provider: 'stripe' });
 *   log.security('auth.login_failed', { ip });
 *   runWithContext({ requestId }, () => log.info('handled'));  // carries request_id
 *
 * API
 *   createLogger(options: LoggerOptions): VigilLogger
 *   VigilLogger     a pino logger: trace debug info warn|warning error fatal|critical,
 *                   child(bindings, { level, serializers, msgPrefix }), event, security, audit
 *   eventCatalogue  the built-in event kinds (table in events.ts)
 */
export { createLogger, type ChildOptions, type VigilLogger } from './create-logger.ts';
export type { EventFields, EventMethods, EventOverride } from './event-methods.ts';
export { categories, eventCatalogue, type Category, type EventKind } from './events.ts';
export { customLevels, type LevelName, type LevelOption, type Severity } from './levels.ts';
export type { LogFormat, LoggerOptions } from './options.ts';
