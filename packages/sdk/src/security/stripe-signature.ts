/**
 * Stripe webhook signatures (https://stripe.com/docs/webhooks/signatures):
 *
 *   Stripe-Signature: t=1492774577,v1=5257a869…,v1=…,v0=…
 *
 * v1 is hex(HMAC-SHA256(endpointSecret, `${t}.${rawBody}`)). Several v1 values
 * appear while a secret is being rolled, so any match is accepted; v0 is a
 * test-mode scheme and ignored, as Stripe's own libraries do.
 */
import { createHmac } from 'node:crypto';
import { decodeHex, safeEqualAny } from './timing-safe.ts';
import { PARSED_BODY_DETAIL, rawBodyBytes, type RawBody, type VerifyResult } from './types.ts';

export interface StripeVerifyInput {
  /** The raw body, byte for byte as received. */
  payload: RawBody;
  /** The Stripe-Signature header value (an array when repeated: then refused as malformed). */
  header: string | string[] | undefined;
  /** The endpoint's signing secret, `whsec_…`, used as is. */
  secret: string;
  /** Accepted distance between `t` and now, both ways, in seconds; default 300. 0 switches the check off. */
  toleranceSeconds?: number;
  /** Clock in milliseconds since the epoch; default Date.now. */
  now?: () => number;
}

export const DEFAULT_STRIPE_TOLERANCE_SECONDS = 300;

/** Generous: real headers are ~150 characters; anything far longer is not Stripe's. */
const MAX_HEADER_LENGTH = 4096;

interface ParsedHeader {
  timestamp: number;
  signatures: Buffer[];
}

function parseHeader(header: string): ParsedHeader | string {
  if (header.length > MAX_HEADER_LENGTH) return 'header too long';
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  let v1Count = 0;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return 'header element without key=value';
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return 'timestamp t is not one unix time in seconds';
      timestamp = Number(value);
    } else if (key === 'v1') {
      v1Count++;
      // A v1 that is not hex cannot match; keep a placeholder so it still costs one comparison.
      signatures.push(decodeHex(value) ?? Buffer.alloc(0));
    }
  }
  if (timestamp === undefined) return 'no timestamp t';
  if (v1Count === 0) return 'no v1 signature';
  return { timestamp, signatures };
}

export function verifyStripeSignature(input: StripeVerifyInput): VerifyResult {
  const { header, secret } = input;
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (typeof header !== 'string') return { ok: false, reason: 'malformed', detail: 'header repeated' };
  if (typeof secret !== 'string' || secret === '') return { ok: false, reason: 'malformed', detail: 'no signing secret configured' };
  const body = rawBodyBytes(input.payload);
  if (!body) return { ok: false, reason: 'malformed', detail: PARSED_BODY_DETAIL };

  const parsed = parseHeader(header);
  if (typeof parsed === 'string') return { ok: false, reason: 'malformed', detail: parsed };

  const expected = createHmac('sha256', secret).update(`${parsed.timestamp}.`).update(body).digest();
  if (!safeEqualAny(parsed.signatures, expected)) return { ok: false, reason: 'invalid' };

  // After the MAC, as Stripe does: "stale" then means a genuine event that is
  // late or replayed, not a forgery.
  const tolerance = input.toleranceSeconds ?? DEFAULT_STRIPE_TOLERANCE_SECONDS;
  if (tolerance > 0) {
    const nowSeconds = (input.now ?? Date.now)() / 1000;
    if (Math.abs(nowSeconds - parsed.timestamp) > tolerance) {
      return { ok: false, reason: 'stale', detail: `timestamp more than ${tolerance} s from now` };
    }
  }
  return { ok: true };
}
