/**
 * Redis answers PING through the application's client (ioredis or
 * node-redis: both have a promise-returning ping()).
 *
 * ioredis queues commands while it reconnects, so a ping during an outage
 * would only end at the timeout; its `status` says so at once.
 */
import type { HealthCheckFn } from './run-check.ts';

export interface Pingable {
  ping(): Promise<unknown>;
  /** ioredis' connection state. */
  status?: string;
}

const DOWN_STATES = new Set(['reconnecting', 'close', 'end']);

export function redisCheck(client: Pingable): HealthCheckFn {
  if (typeof client?.ping !== 'function') throw new TypeError('redisCheck needs an ioredis or node-redis client (an object with ping())');
  return async () => {
    if (typeof client.status === 'string' && DOWN_STATES.has(client.status)) throw new Error(`redis connection is ${client.status}`);
    await client.ping();
  };
}
