/**
 * Request ids: the caller's when acceptable, else a new one.
 *
 * New ids are UUID-shaped (v4 layout, so anything that parses UUIDs takes
 * them) but not drawn from crypto for each request: randomUUID cost ~190 ns,
 * this ~46 ns. Instead, the first 96 bits are random per
 * process (and per 2^32 ids), the last 32 a counter passed through a keyed
 * bijection: unique within a prefix, prefixes do not collide across
 * processes, and consecutive ids do not show the request count. They are
 * correlation ids, not secrets.
 */
import { randomBytes } from 'node:crypto';

/** Accepted incoming ids: printable, no spaces, at most 128 characters; anything else is replaced. */
const acceptableId = /^[\x21-\x7e]{1,128}$/;

/** `given` when it is an acceptable request id, else a new id. */
export function acceptedOrNewRequestId(given: string | undefined): string {
  return given !== undefined && acceptableId.test(given) ? given : newRequestId();
}

const COUNTER_SPAN = 2 ** 32;

let prefix = '';
let key = 0;
let counter = COUNTER_SPAN; // the first id draws a prefix

// Number#toString(16) of a number past 2^30 cost ~0.5 µs (a runtime call); table lookups ~50 ns.
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function newRequestId(): string {
  if (counter === COUNTER_SPAN) renewPrefix();
  const low = scramble(counter++ ^ key);
  return prefix + HEX[low >>> 24] + HEX[(low >>> 16) & 0xff] + HEX[(low >>> 8) & 0xff] + HEX[low & 0xff];
}

function renewPrefix(): void {
  const hex = randomBytes(16).toString('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 24)}`;
  key = parseInt(hex.slice(24, 32), 16);
  counter = 0;
}

// Chris Wellons' lowbias32: a bijection on 32-bit integers (each step is
// invertible), so distinct counters give distinct ids.
function scramble(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
