/**
 * The event catalogue: common event names and the category and level they
 * log at, so every service reports "a login failed" the same way and the
 * server's retention (security/audit kept 90 days) and alert rules
 * (`event="auth.login_failed"`) work without per-service conventions.
 *
 *   event                          category  level
 *   auth.login_failed              security  warning
 *   auth.blocked                   security  warning   (IP or account blocked)
 *   auth.locked_out                security  warning
 *   auth.token_invalid             security  warning
 *   auth.permission_denied         security  warning
 *   auth.login_succeeded           audit     info
 *   auth.logout                    audit     info
 *   auth.password_changed          audit     info
 *   auth.mfa_enabled / _disabled   audit     info
 *   tenant.cross_access_attempt    security  error     (DESIGN: "cross-tenant access attempt > 0" pages)
 *   rate_limit.exceeded            security  warning
 *   webhook.signature_failed       security  warning
 *   webhook.received               standard  info
 *   webhook.processed              standard  info
 *   webhook.failed                 standard  error
 *   payment.failed                 audit     warning
 *   payment.*                      audit     info      (succeeded, refunded, disputed…: money moved)
 *   backup.failed                  standard  error
 *   backup.completed               standard  info
 *   audit.*                        audit     info
 *   security.*                     security  warning
 *   anything else                  standard  info
 *
 * Lookup: the exact name, then its dotted prefixes as "prefix.*", longest
 * first (payment.refund.failed → payment.refund.* → payment.*).
 */
import type { LevelName } from './levels.ts';

export type Category = 'standard' | 'security' | 'audit';
export const categories: readonly Category[] = Object.freeze(['standard', 'security', 'audit']);

export interface EventKind {
  readonly category: Category;
  readonly level: LevelName;
}

const kind = (category: Category, level: LevelName): EventKind => Object.freeze({ category, level });
const securityWarning = kind('security', 'warning');
const auditInfo = kind('audit', 'info');
const standardInfo = kind('standard', 'info');
const standardError = kind('standard', 'error');

export const eventCatalogue: ReadonlyMap<string, EventKind> = new Map<string, EventKind>([
  ['auth.login_failed', securityWarning],
  ['auth.blocked', securityWarning],
  ['auth.locked_out', securityWarning],
  ['auth.token_invalid', securityWarning],
  ['auth.permission_denied', securityWarning],
  ['auth.login_succeeded', auditInfo],
  ['auth.logout', auditInfo],
  ['auth.password_changed', auditInfo],
  ['auth.mfa_enabled', auditInfo],
  ['auth.mfa_disabled', auditInfo],
  ['tenant.cross_access_attempt', kind('security', 'error')],
  ['rate_limit.exceeded', securityWarning],
  ['webhook.signature_failed', securityWarning],
  ['webhook.received', standardInfo],
  ['webhook.processed', standardInfo],
  ['webhook.failed', standardError],
  ['payment.failed', kind('audit', 'warning')],
  ['payment.*', auditInfo],
  ['backup.failed', standardError],
  ['backup.completed', standardInfo],
  ['audit.*', auditInfo],
  ['security.*', securityWarning],
]);

export const defaultEventKind = standardInfo;

const CACHE_LIMIT = 1024;
const cache = new Map<string, EventKind>();

/** The catalogued kind of an event name, or undefined. Cached: names repeat. */
export function catalogued(name: string): EventKind | undefined {
  const hit = cache.get(name);
  if (hit !== undefined) return hit === noEntry ? undefined : hit;
  const found = lookup(name);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(name, found ?? noEntry);
  return found;
}

// Marks "looked up, not catalogued" in the cache.
const noEntry: EventKind = kind('standard', 'info');

function lookup(name: string): EventKind | undefined {
  const exact = eventCatalogue.get(name);
  if (exact !== undefined) return exact;
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
    const byPrefix = eventCatalogue.get(`${name.slice(0, dot)}.*`);
    if (byPrefix !== undefined) return byPrefix;
  }
  return undefined;
}

export function isCategory(value: unknown): value is Category {
  return value === 'standard' || value === 'security' || value === 'audit';
}
