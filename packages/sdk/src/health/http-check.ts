/**
 * A dependency reachable over HTTP answers with an expected status. The body
 * is discarded unread, so a large page does not cost memory or time.
 */
import type { HealthCheckFn } from './run-check.ts';

export interface HttpCheckOptions {
  /** Accepted status(es); default any 2xx. */
  expectStatus?: number | readonly number[];
  /** This request's own timeout in ms; the check's timeout applies as well. */
  timeoutMs?: number;
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  // Credentials in the URL (https://user:pass@host) are sent as HTTP Basic auth.
}

export function httpCheck(url: string | URL, options: HttpCheckOptions = {}): HealthCheckFn {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TypeError('httpCheck url must be an absolute http(s) URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError(`httpCheck url must be http(s), got ${target.protocol}`);
  const { timeoutMs, method = 'GET' } = options;
  const headers = new Headers(options.headers);
  if (target.username || target.password) {
    // fetch refuses URLs with credentials; they mean HTTP Basic auth.
    const credentials = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    if (!headers.has('authorization')) headers.set('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
    target.username = '';
    target.password = '';
  }
  if (timeoutMs !== undefined && (!Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new TypeError(`httpCheck timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`);
  }
  const expected = options.expectStatus === undefined ? undefined : [options.expectStatus].flat();
  const accepts = (status: number) => (expected ? expected.includes(status) : status >= 200 && status < 300);
  const expectedText = expected ? expected.join(' or ') : '2xx';
  // Shown in errors: no credentials, no query string (where tokens often sit).
  const shown = `${method} ${target.origin}${target.pathname}`;

  return async ({ signal }) => {
    const signals = timeoutMs === undefined ? signal : AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    let response: Response;
    try {
      response = await fetch(target, { method, headers, signal: signals });
    } catch (error) {
      if ((error as Error)?.name === 'TimeoutError') throw new Error(`${shown} timed out after ${timeoutMs} ms`);
      // undici wraps every network error in "fetch failed"; the cause says what happened.
      const cause = error instanceof TypeError && error.message === 'fetch failed' && error.cause ? error.cause : error;
      throw new Error(`${shown} failed`, { cause });
    }
    await response.body?.cancel().catch(() => undefined);
    if (!accepts(response.status)) throw new Error(`${shown} answered ${response.status}, expected ${expectedText}`);
    return { status_code: response.status };
  };
}
