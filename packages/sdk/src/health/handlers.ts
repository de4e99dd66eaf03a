/**
 * The health routes for node:http, Express and Fastify:
 *
 *   GET /health, /health/live   liveness, always 200
 *   GET /health/ready           readiness, 200 or 503
 *
 * HEAD is answered without a body; other methods get 405. Responses are
 * never cached: a cached "ok" during an outage is worse than none. Framework
 * types are structural, so neither express nor fastify is needed to
 * type-check the SDK.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LivenessReport, ReadinessReport } from './create-health.ts';

interface Reports {
  liveness(): LivenessReport;
  readiness(): Promise<ReadinessReport>;
}

interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
}

interface FastifyLike {
  get(path: string, handler: (request: unknown, reply: FastifyReplyLike) => Promise<unknown>): unknown;
}

type FastifyPlugin = (instance: FastifyLike, options: unknown, done: (err?: Error) => void) => void;

export interface HealthHandlers {
  /** node:http: answers the health paths and returns true; returns false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Express middleware: `app.use(health.express)` (at the root; paths are matched on req.url). */
  express(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void;
  /** Fastify plugin: `await app.register(health.fastify)`. */
  fastify: FastifyPlugin;
}

const LIVE_PATHS = new Set(['/health', '/health/live']);
const READY_PATH = '/health/ready';
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { ...HEADERS, 'content-length': Buffer.byteLength(json) });
  res.end(req.method === 'HEAD' ? undefined : json);
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export function createHandlers(reports: Reports): HealthHandlers {
  const statusOf = (report: ReadinessReport) => (report.status === 'ok' ? 200 : 503);

  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const path = pathOf(req.url);
    const live = LIVE_PATHS.has(path);
    if (!live && path !== READY_PATH) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    if (live) {
      send(req, res, 200, reports.liveness());
      return true;
    }
    reports.readiness().then(
      (report) => send(req, res, statusOf(report), report),
      // readiness() does not reject; this is the guard for the day it does.
      () => send(req, res, 503, { status: 'failing', error: 'readiness could not be evaluated' }),
    );
    return true;
  }

  const fastify: FastifyPlugin = (instance, _options, done) => {
    const live = async (_request: unknown, reply: FastifyReplyLike) => {
      reply.header('cache-control', 'no-store');
      return reports.liveness();
    };
    for (const path of LIVE_PATHS) instance.get(path, live);
    instance.get(READY_PATH, async (_request, reply) => {
      const report = await reports.readiness();
      reply.code(statusOf(report)).header('cache-control', 'no-store');
      return report;
    });
    done();
  };
  // skip-override: the routes land in the registering scope, as if declared there.
  Object.assign(fastify, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'vigil-health' });

  return {
    handle,
    express(req, res, next) {
      if (!handle(req, res)) next();
    },
    fastify,
  };
}
