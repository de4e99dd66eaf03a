/**
 * The small shapes the security helpers meet the rest of the SDK through. The
 * logger is pino's shape (only `warn` is used), passed in so this folder never
 * imports the logger module.
 */

export interface SecurityLogger {
  warn(obj: Record<string, unknown>, msg?: string): void;
}

/** Why a webhook signature was refused. */
export type VerifyFailure = 'invalid' | 'stale' | 'malformed' | 'missing';

/**
 * Result of every signature check: never thrown, so a forged request cannot
 * turn into a 500. `detail` says what was wrong in words safe to log (it
 * never holds the secret, the signature or the body).
 */
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure; detail?: string };

/** Raw request body exactly as received: signatures are over bytes, not parsed JSON. */
export type RawBody = string | Buffer | Uint8Array;

/** Logs a security event; a throwing logger must not turn a refusal into a crash. */
export function logSecurityEvent(logger: SecurityLogger | undefined, fields: Record<string, unknown>, msg: string): void {
  if (!logger) return;
  try {
    logger.warn({ category: 'security', ...fields }, msg);
  } catch {
    // Nothing sensible to do: the caller's answer (401/429) matters more than this line.
  }
}

export function rawBodyBytes(body: unknown): Buffer | undefined {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

export const PARSED_BODY_DETAIL = 'body must be the raw request body (string or Buffer), not parsed JSON or form fields';
