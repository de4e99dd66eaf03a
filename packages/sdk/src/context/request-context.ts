/**
 * Correlation: the request being handled, kept in AsyncLocalStorage so every
 * line logged while handling it carries its request id, wherever the code
 * runs (timers, promises, streams, event emitters).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { activeSpanIds } from './otel.ts';
import { acceptedOrNewRequestId } from './request-id.ts';

export interface RequestContext {
  requestId: string;
  tenant?: string;
  principal?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * `fn` bound to the current request context. AsyncLocalStorage follows the
 * code that triggers a callback, not the code that registered it: a
 * listener on a shared EventEmitter, emitted later from outside the
 * request, would otherwise run without (or with another request's) context.
 */
// any[], not unknown[]: a callback with typed parameters must still fit F.
export function bindContext<F extends (...args: any[]) => unknown>(fn: F): F {
  return AsyncLocalStorage.bind(fn);
}

/** Sets tenant or principal on the current request once they are known (after auth). */
export function setContextValue(key: 'tenant' | 'principal', value: string): void {
  const context = storage.getStore();
  if (context) context[key] = value;
}

/** The `x-request-id` header's id when acceptable (printable, no spaces, ≤ 128 chars), else a new UUID-shaped id. */
export function requestIdFrom(headers: Record<string, string | string[] | undefined>): string {
  const raw = headers['x-request-id'];
  return acceptedOrNewRequestId(Array.isArray(raw) ? raw[0] : raw);
}

/** The fields every log line gets while a request is handled, plus the active span's ids. */
export function contextFields(): Record<string, string> {
  const context = storage.getStore();
  const span = activeSpanIds();
  if (!context && !span) return {};
  const fields: Record<string, string> = {};
  if (context) {
    fields.request_id = context.requestId;
    if (context.tenant) fields.tenant = context.tenant;
    if (context.principal) fields.principal = context.principal;
  }
  if (span) Object.assign(fields, span);
  return fields;
}

/** Headers that carry the current request id to the next service. */
export function propagationHeaders(): Record<string, string> {
  const context = storage.getStore();
  return context ? { 'x-request-id': context.requestId } : {};
}

/** `fetch` that passes the current request id on (headers the caller set win). */
export function fetchWithContext(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(propagationHeaders())) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return fetch(input, { ...init, headers });
}
