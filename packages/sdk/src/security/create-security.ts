/**
 * The security surface an application calls from its handlers: auth failures
 * and webhook signature checks, each counted in Prometheus and written as a
 * security-category log line (kept 90 days by Vigil).
 *
 * Labels stay bounded: who failed (IP, principal) goes in the log line, never
 * in a label, and the reason and provider labels are capped in number.
 */
import { Registry } from 'prom-client';
import { describeValue } from '../redact/describe-value.ts';
import { createAuthBlocker, type AuthBlocker, type AuthBlockerOptions, type BlockStatus } from './auth-blocker.ts';
import { sharedCounter } from './counters.ts';
import { verifyHmacSignature, type HmacVerifyInput } from './hmac-signature.ts';
import { verifyStripeSignature, type StripeVerifyInput } from './stripe-signature.ts';
import { verifyTwilioSignature, type TwilioVerifyInput } from './twilio-signature.ts';
import { logSecurityEvent, type SecurityLogger, type VerifyResult } from './types.ts';

export interface SecurityOptions {
  /** pino-shaped logger for security events. */
  logger: SecurityLogger;
  /** Where the counters are registered; default a new Registry. */
  registry?: Registry;
  /**
   * Temporary blocking fed by recordAuthFailure: an AuthBlocker, or options to
   * create one with this logger and registry. Default: no blocking.
   */
  blocking?: AuthBlocker | Omit<AuthBlockerOptions, 'logger' | 'registry'>;
  /** Clock for Stripe's timestamp tolerance, ms since the epoch; default Date.now. */
  now?: () => number;
}

export interface AuthFailure {
  /** Short fixed code from your code ("bad_password", "unknown_user", "mfa_failed"): it becomes a label. */
  reason: string;
  principal?: string;
  ip?: string;
}

export interface Security {
  /** Counts and logs one failed authentication; returns the block status after it (never blocked without `blocking`). */
  recordAuthFailure(failure: AuthFailure): BlockStatus;
  verifyStripe(input: StripeVerifyInput): VerifyResult;
  verifyTwilio(input: TwilioVerifyInput): VerifyResult;
  /** Generic HMAC-SHA256; `provider` names it in the metric and log (default "hmac"). */
  verifyHmac(input: HmacVerifyInput & { provider?: string }): VerifyResult;
  readonly blocker: AuthBlocker | undefined;
  readonly registry: Registry;
}

/** Distinct values per label before further ones are counted as "other". */
const MAX_LABEL_VALUES = 50;
const RESULTS = ['valid', 'invalid', 'stale', 'malformed'] as const;
const NOT_BLOCKED: BlockStatus = Object.freeze({ blocked: false, retryAfterSeconds: 0 });

/** Keeps a label's value set small and Prometheus-friendly, warning once when code passes too many. */
function boundedLabel(label: string, logger: SecurityLogger): (value: unknown) => string {
  const seen = new Set<string>();
  let warned = false;
  return (value) => {
    const text = (typeof value === 'string' ? value : '').toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').slice(0, 64) || 'unknown';
    if (seen.has(text)) return text;
    if (seen.size < MAX_LABEL_VALUES) {
      seen.add(text);
      return text;
    }
    if (!warned) {
      warned = true;
      logSecurityEvent(logger, { event: 'sdk.label_cap', label, cap: MAX_LABEL_VALUES }, `more than ${MAX_LABEL_VALUES} distinct ${label} values; further ones are counted as "other"`);
    }
    return 'other';
  };
}

export function createSecurity(options: SecurityOptions): Security {
  const logger = options?.logger;
  if (typeof logger?.warn !== 'function') {
    throw new TypeError(`createSecurity option logger must have a warn(obj, msg) method, got ${describeValue(logger)}`);
  }
  const registry = options.registry ?? new Registry();
  const { blocking } = options;
  const blocker = blocking == null ? undefined
    : 'recordFailure' in blocking ? blocking
    : createAuthBlocker({ ...blocking, logger, registry });
  const now = options.now ?? Date.now;

  const authFailures = sharedCounter(registry, 'auth_failures_total', 'Failed authentication attempts by reason', ['reason']);
  const verifications = sharedCounter(registry, 'webhook_signature_verifications_total', 'Webhook signature checks by provider and result', ['provider', 'result']);
  const reasonLabel = boundedLabel('reason', logger);
  const providerLabel = boundedLabel('provider', logger);
  const initialized = new Set<string>();

  function recordVerification(provider: string, result: VerifyResult): VerifyResult {
    if (!initialized.has(provider)) {
      // Zero series per result, so an alert on rate(result!="valid") fires on the first failure.
      initialized.add(provider);
      for (const value of RESULTS) verifications.inc({ provider, result: value }, 0);
    }
    if (result.ok) {
      verifications.inc({ provider, result: 'valid' });
      return result;
    }
    // "missing" is a malformed request as far as dashboards go; the log line keeps the difference.
    verifications.inc({ provider, result: result.reason === 'missing' ? 'malformed' : result.reason });
    const fields: Record<string, unknown> = { event: 'webhook.signature_failed', provider, reason: result.reason };
    if (result.detail) fields.detail = result.detail;
    logSecurityEvent(logger, fields, `${provider} webhook signature ${result.reason}`);
    return result;
  }

  return {
    registry,
    blocker,
    recordAuthFailure(failure) {
      const reason = reasonLabel(failure?.reason);
      authFailures.inc({ reason });
      const fields: Record<string, unknown> = { event: 'auth.login_failed', reason };
      if (typeof failure?.principal === 'string') fields.principal = failure.principal;
      if (typeof failure?.ip === 'string') fields.ip = failure.ip;
      logSecurityEvent(logger, fields, 'authentication failed');
      return blocker ? blocker.recordFailure({ ip: failure?.ip, principal: failure?.principal }) : NOT_BLOCKED;
    },
    verifyStripe(input) {
      return recordVerification('stripe', verifyStripeSignature({ now, ...input }));
    },
    verifyTwilio(input) {
      return recordVerification('twilio', verifyTwilioSignature(input));
    },
    verifyHmac(input) {
      return recordVerification(providerLabel(input?.provider ?? 'hmac'), verifyHmacSignature(input));
    },
  };
}
