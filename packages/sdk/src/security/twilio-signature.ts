/**
 * Twilio webhook signatures (https://www.twilio.com/docs/usage/security):
 *
 *   X-Twilio-Signature = base64(HMAC-SHA1(authToken, url + k1 + v1 + k2 + v2 …))
 *
 * where url is the full URL Twilio called (scheme, host, path, query) and the
 * POST parameters are sorted by key; a repeated key contributes each distinct
 * value, sorted, as twilio-node does.
 *
 * JSON bodies (Twilio sends these for some products): the URL carries
 * `bodySHA256=<hex sha256 of the raw body>`, the signature covers the URL
 * alone, and the body is checked against that hash. Pass `body` (raw) instead
 * of `params` for those.
 *
 * Twilio is inconsistent about the default port (:443/:80) in the signed URL,
 * so both forms are accepted, as twilio-node does. There is no timestamp in
 * the scheme, so Twilio requests are never "stale".
 */
import { createHash, createHmac } from 'node:crypto';
import { decodeBase64, safeEqual } from './timing-safe.ts';
import { PARSED_BODY_DETAIL, rawBodyBytes, type RawBody, type VerifyResult } from './types.ts';

export type TwilioParams = URLSearchParams | Record<string, string | readonly string[] | undefined>;

export interface TwilioVerifyInput {
  /** The full public URL Twilio requested, as configured in the console (not what a proxy rewrote it to). */
  url: string;
  /** Form-encoded POST parameters (express.urlencoded()'s req.body, or URLSearchParams of the raw body). */
  params?: TwilioParams;
  /** Raw body, for JSON webhooks whose URL has bodySHA256. */
  body?: RawBody;
  /** The X-Twilio-Signature header value. */
  header: string | string[] | undefined;
  authToken: string;
}

const SHA1_BYTES = 20;

function sortedParamString(params: TwilioParams): string {
  const byKey = new Map<string, string[]>();
  const add = (key: string, value: string): void => {
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  };
  if (params instanceof URLSearchParams) {
    for (const [key, value] of params) add(key, value);
  } else {
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      if (typeof value === 'string') add(key, value);
      else for (const item of value) add(key, String(item));
    }
  }
  let data = '';
  // Default sort (UTF-16 code units), the order Twilio's own libraries use.
  for (const key of [...byKey.keys()].sort()) {
    for (const value of [...new Set(byKey.get(key))].sort()) data += key + value;
  }
  return data;
}

/** The URL with and without the scheme's default port: Twilio signs either. */
function urlVariants(url: URL): string[] {
  const withoutPort = new URL(url);
  withoutPort.port = '';
  const plain = withoutPort.toString();
  const defaultPort = url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '';
  if (url.port !== '' || defaultPort === '') return [url.toString(), plain];
  // URL drops default ports, so the ":443" form is built by hand.
  const withPort = `${url.protocol}//${url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : ''}${url.hostname}:${defaultPort}${url.pathname}${url.search}${url.hash}`;
  return [plain, withPort];
}

export function verifyTwilioSignature(input: TwilioVerifyInput): VerifyResult {
  const { header, authToken } = input;
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  if (typeof header !== 'string') return { ok: false, reason: 'malformed', detail: 'header repeated' };
  if (typeof authToken !== 'string' || authToken === '') return { ok: false, reason: 'malformed', detail: 'no auth token configured' };
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return { ok: false, reason: 'malformed', detail: 'url is not an absolute URL' };
  }
  const given = decodeBase64(header.trim());
  if (!given || given.length !== SHA1_BYTES) return { ok: false, reason: 'malformed', detail: 'signature is not base64 of 20 bytes' };

  const bodyHash = url.searchParams.get('bodySHA256');
  let signedParams = '';
  let bodyMatches = true;
  if (bodyHash !== null) {
    const body = rawBodyBytes(input.body);
    if (!body) return { ok: false, reason: 'malformed', detail: `bodySHA256 in url: ${PARSED_BODY_DETAIL}` };
    const actual = createHash('sha256').update(body).digest('hex');
    bodyMatches = safeEqual(Buffer.from(bodyHash.toLowerCase()), Buffer.from(actual));
  } else {
    if (input.params !== undefined && (typeof input.params !== 'object' || input.params === null)) {
      return { ok: false, reason: 'malformed', detail: 'params must be an object of form fields' };
    }
    signedParams = sortedParamString(input.params ?? {});
  }

  const candidates = urlVariants(url).map((variant) => createHmac('sha1', authToken).update(variant + signedParams, 'utf8').digest());
  let signatureMatches = false;
  for (const expected of candidates) signatureMatches = safeEqual(given, expected) || signatureMatches;
  return signatureMatches && bodyMatches ? { ok: true } : { ok: false, reason: 'invalid' };
}
