/**
 * Generic webhook signatures: HMAC-SHA256 over the raw body, sent in a header
 * as hex or base64, optionally prefixed `sha256=` (GitHub's
 * X-Hub-Signature-256, Shopify's X-Shopify-Hmac-Sha256, many others).
 */
import { createHmac } from 'node:crypto';
import { decodeBase64, decodeHex, safeEqual } from './timing-safe.ts';
import { PARSED_BODY_DETAIL, rawBodyBytes, type RawBody, type VerifyResult } from './types.ts';

export interface HmacVerifyInput {
  payload: RawBody;
  /** The signature header value. */
  header: string | string[] | undefined;
  secret: string | Buffer;
}

const SHA256_BYTES = 32;
const PREFIX = /^sha256=/i;

/** Hex is tried first: 64 hex digits are also valid base64 characters, but decode to 48 bytes there. */
function decodeSignature(value: string): Buffer | undefined {
  const text = value.trim().replace(PREFIX, '');
  if (text.length === SHA256_BYTES * 2) {
    const hex = decodeHex(text);
    if (hex) return hex;
  }
  return decodeBase64(text);
}

export function verifyHmacSignature(input: HmacVerifyInput): VerifyResult {
  const { header, secret } = input;
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (typeof header !== 'string') return { ok: false, reason: 'malformed', detail: 'header repeated' };
  if (secret === undefined || secret === null || secret.length === 0) {
    return { ok: false, reason: 'malformed', detail: 'no signing secret configured' };
  }
  const body = rawBodyBytes(input.payload);
  if (!body) return { ok: false, reason: 'malformed', detail: PARSED_BODY_DETAIL };
  const given = decodeSignature(header);
  if (!given) return { ok: false, reason: 'malformed', detail: 'signature is neither hex nor base64' };
  const expected = createHmac('sha256', secret).update(body).digest();
  return safeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'invalid' };
}
