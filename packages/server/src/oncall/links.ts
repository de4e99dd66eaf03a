/**
 * Signed, expiring acknowledge and resolve links for pages. A token is
 *   base64url(JSON {i: incident id, a: action, p: person, e: expiry in unix seconds}) "." base64url(HMAC-SHA256)
 * so a link works from any mail or chat client without a login, and
 * cannot be altered (another incident, another action, a later expiry)
 * without the secret.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type LinkAction = 'ack' | 'resolve';

export interface LinkClaim {
  incidentId: string;
  action: LinkAction;
  /** The person the link was sent to: acknowledgements through it are theirs. */
  person: string;
  /** ms since the epoch. */
  expiresAt: number;
}

export type LinkCheck = { ok: true; claim: LinkClaim } | { ok: false; reason: 'invalid' | 'expired' };

export const DEFAULT_LINK_TTL_MS = 24 * 3_600_000;
const ACTIONS: readonly string[] = ['ack', 'resolve'];

export function signLink(secret: string, claim: LinkClaim): string {
  const payload = Buffer.from(JSON.stringify({ i: claim.incidentId, a: claim.action, p: claim.person, e: Math.floor(claim.expiresAt / 1000) })).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The signature is compared in constant time before the payload is read; expiry is checked last. */
export function verifyLink(secret: string, token: string, nowMs: number): LinkCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  const claim = parseClaim(payload);
  if (!claim) return { ok: false, reason: 'invalid' };
  return claim.expiresAt <= nowMs ? { ok: false, reason: 'expired' } : { ok: true, claim };
}

function parseClaim(payload: string): LinkClaim | undefined {
  try {
    const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { i, a, p, e } = raw;
    if (typeof i !== 'string' || typeof a !== 'string' || !ACTIONS.includes(a) || typeof p !== 'string' || typeof e !== 'number') return undefined;
    return { incidentId: i, action: a as LinkAction, person: p, expiresAt: e * 1000 };
  } catch {
    return undefined;
  }
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** A fresh secret, for when the config gives none (the caller keeps it, so links survive restarts). */
export function generateLinkSecret(): string {
  return randomBytes(32).toString('base64url');
}
