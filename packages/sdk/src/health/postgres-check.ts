/**
 * PostgreSQL answers a query through the application's own pool or client,
 * so the check sees what the app sees (pool exhaustion included). pg is an
 * optional peer: it is never imported; anything with pg's query() fits.
 *
 * A pg Client or Pool emits 'error' when the server goes away; without a
 * listener that crashes the process whatever the health check does, so the
 * application should attach one (pool.on('error', …)).
 */
import type { HealthCheckFn } from './run-check.ts';

/** pg.Pool, pg.Client and pg.PoolClient all fit. */
export interface Queryable {
  query(text: string): Promise<unknown>;
}

export interface PostgresCheckOptions {
  /** default "SELECT 1" */
  query?: string;
}

export function postgresCheck(db: Queryable, options: PostgresCheckOptions = {}): HealthCheckFn {
  if (typeof db?.query !== 'function') throw new TypeError('postgresCheck needs a pg Pool or Client (an object with query())');
  const sql = options.query ?? 'SELECT 1';
  return async () => {
    await db.query(sql);
  };
}
