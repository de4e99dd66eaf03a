/**
 * The client address used as the blocking key. By default the TCP peer
 * (req.socket.remoteAddress): X-Forwarded-For is written by whoever sends
 * the request, so trusting it without a proxy in front lets any client pick
 * a fresh "IP" per attempt and never be blocked.
 *
 * trustProxy (opt-in) is the number of proxies you run in front of the app
 * (true = 1). Each proxy appends the address it received the request from,
 * so the client is the entry that many places from the right; entries
 * further left were supplied by the client and are ignored.
 */
import type { IncomingMessage } from 'node:http';

export type TrustProxy = boolean | number;

/** "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) and "10.0.0.1" are one client. */
function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

export function clientIp(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxy: TrustProxy = false): string | undefined {
  const peer = req.socket?.remoteAddress;
  const hops = trustProxy === true ? 1 : typeof trustProxy === 'number' && trustProxy > 0 ? Math.floor(trustProxy) : 0;
  if (hops > 0) {
    const header = req.headers['x-forwarded-for'];
    const list = (Array.isArray(header) ? header.join(',') : header ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (list.length > 0) return normalizeAddress(list[Math.max(0, list.length - hops)]);
  }
  return peer === undefined ? undefined : normalizeAddress(peer);
}
