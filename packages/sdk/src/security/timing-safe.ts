/**
 * Constant-time comparison. crypto.timingSafeEqual throws on buffers of
 * different lengths, so lengths are compared first; a mismatch still does one
 * comparison of the same size so both paths cost the same. The length of an
 * expected MAC is public (it is fixed by the algorithm), so only content timing
 * matters.
 */
import { timingSafeEqual } from 'node:crypto';

export function safeEqual(actual: Buffer, expected: Buffer): boolean {
  if (actual.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(actual, expected);
}

/** Any-of match that compares every candidate, so the time does not say which one matched. */
export function safeEqualAny(actual: readonly Buffer[], expected: Buffer): boolean {
  let matched = false;
  for (const candidate of actual) matched = safeEqual(candidate, expected) || matched;
  return matched;
}

const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export function decodeHex(text: string): Buffer | undefined {
  return text.length % 2 === 0 && HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/** Standard base64 with padding, or base64url with or without it; undefined for anything else. */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length === 0) return undefined;
  if (BASE64.test(text)) return Buffer.from(text, 'base64');
  if (BASE64URL.test(text)) return Buffer.from(text.replace(/=+$/, ''), 'base64url');
  return undefined;
}
