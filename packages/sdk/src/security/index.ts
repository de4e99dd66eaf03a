/**
 * Security telemetry for Node services: failed logins, webhook signature
 * checks (Stripe, Twilio, generic HMAC-SHA256, all constant-time) and
 * temporary blocking after repeated failures, with metrics and
 * security-category log lines.
 *
 *   const security = createSecurity({ logger, registry, blocking: { maxFailures: 10 } });
 *   const check = security.verifyStripe({ payload: rawBody, header: req.headers['stripe-signature'], secret });
 *   if (!check.ok) return res.status(400).end();
 *   security.recordAuthFailure({ reason: 'bad_password', principal: username, ip });
 *   const guard = createBlockerMiddleware(security.blocker!, { principal: (req) => req.body?.username });
 *
 * Metrics: auth_failures_total{reason}, auth_blocks_total{key_type},
 * webhook_signature_verifications_total{provider,result}.
 * Log events (category "security"): auth.login_failed, auth.blocked,
 * webhook.signature_failed.
 */
export { createSecurity, type AuthFailure, type Security, type SecurityOptions } from './create-security.ts';
export {
  createAuthBlocker,
  defaultAuthBlockerOptions,
  type AuthBlocker,
  type AuthBlockerOptions,
  type AuthKeys,
  type BlockStatus,
  type KeyType,
} from './auth-blocker.ts';
export { createBlockerMiddleware, type BlockerMiddleware, type BlockerMiddlewareOptions, type PrincipalSource } from './blocker-middleware.ts';
export { clientIp, type TrustProxy } from './client-ip.ts';
export { verifyStripeSignature, DEFAULT_STRIPE_TOLERANCE_SECONDS, type StripeVerifyInput } from './stripe-signature.ts';
export { verifyTwilioSignature, type TwilioParams, type TwilioVerifyInput } from './twilio-signature.ts';
export { verifyHmacSignature, type HmacVerifyInput } from './hmac-signature.ts';
export type { RawBody, SecurityLogger, VerifyFailure, VerifyResult } from './types.ts';
