/**
 * The slow dependency the booking route calls: a stand-in for a calendar
 * provider, with latency and a failure rate that the load script can see in
 * p95 latency and 502s.
 */
import { createServer, type Server } from 'node:http';

export interface CalendarOptions {
  /** Extra latency per request, ms: uniform in [minMs, maxMs]. */
  minMs?: number;
  maxMs?: number;
  /** Share of bookings answered 503. */
  failureRate?: number;
  random?: () => number;
}

export function startCalendar(port: number, options: CalendarOptions = {}): Promise<Server> {
  const { minMs = 20, maxMs = 400, failureRate = 0.05, random = Math.random } = options;
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    setTimeout(() => {
      const failed = random() < failureRate;
      res.writeHead(failed ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(failed ? { error: 'calendar unavailable' } : { slot: 'confirmed', request_id: req.headers['x-request-id'] }));
    }, minMs + random() * (maxMs - minMs));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
