/**
 * Attempts with exponential backoff and full jitter (each wait is random in
 * [0, min(max, base·2^n))): many Vigil instances retrying one endpoint
 * spread out instead of hammering it in step.
 */
import { DeliveryError } from './integrations/integration.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1), as Math.random. */
  random: () => number;
}

export interface AttemptOutcome {
  ok: boolean;
  attempts: number;
  error?: string;
}

function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

/** Runs `attempt` until it succeeds, fails for good (a DeliveryError that is not retryable) or runs out of attempts. */
export async function withRetries(policy: RetryPolicy, attempt: () => Promise<void>): Promise<AttemptOutcome> {
  let error = '';
  for (let n = 1; n <= policy.maxAttempts; n++) {
    try {
      await attempt();
      return { ok: true, attempts: n };
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      // Anything but a retryable delivery error (a template error, a missing secret file) fails the same way again.
      const retryable = err instanceof DeliveryError && err.retryable;
      if (!retryable || n === policy.maxAttempts) return { ok: false, attempts: n, error };
      await policy.sleep(backoffDelayMs(policy, n));
    }
  }
  return { ok: false, attempts: policy.maxAttempts, error };
}
