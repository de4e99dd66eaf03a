/**
 * Runs one check so that it can neither hang the endpoint (a timer races it)
 * nor crash the process (sync throws, rejections and late rejections after
 * the timeout are all caught).
 */
import { performance } from 'node:perf_hooks';
import { createRedactor } from '../redact/index.ts';
import { describeError, redactSecrets } from './safe-error.ts';

/** What a check gets: `signal` aborts when its time is up, so it can stop its work. */
export interface CheckContext {
  signal: AbortSignal;
}

/** Any function that resolves (pass) or throws (fail); a returned string or object is shown as `details`. */
export type HealthCheckFn = (context: CheckContext) => Promise<unknown> | unknown;

export interface CheckResult {
  status: 'pass' | 'fail';
  latency_ms: number;
  error?: string;
  details?: unknown;
}

const redactor = createRedactor();

function detailsOf(output: unknown): unknown {
  if (output === undefined || output === null) return undefined;
  if (typeof output === 'string') return redactSecrets(output);
  try {
    return redactor.redactObject(output);
  } catch {
    return undefined;
  }
}

export async function runCheck(fn: HealthCheckFn, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  // then() turns a synchronous throw into a rejection.
  const work = Promise.resolve().then(() => fn({ signal: controller.signal }));
  // A check that fails after its timeout must not become an unhandled rejection.
  work.catch(() => undefined);
  try {
    const output = await Promise.race([work, timeout]);
    const details = detailsOf(output);
    return details === undefined ? { status: 'pass', latency_ms: elapsed() } : { status: 'pass', latency_ms: elapsed(), details };
  } catch (error) {
    return { status: 'fail', latency_ms: elapsed(), error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}
