/**
 * Puts an AuthBlocker in front of login routes: while the client's IP or the
 * principal being tried is blocked, answer 429 with Retry-After (seconds)
 * before the handler runs. Counting failures stays with the application
 * (security.recordAuthFailure or blocker.recordFailure), because only the
 * handler knows whether a login failed.
 *
 *   const guard = createBlockerMiddleware(blocker, { principal: (req) => req.body?.username });
 *   if (guard.handle(req, res)) return;                          // node:http
 *   app.post('/login', express.json(), guard.express, login);    // Express
 *   app.post('/login', { preHandler: guard.fastifyPreHandler }, login); // Fastify, one route
 *   await app.register(guard.fastify);                           // Fastify, every route
 *
 * Framework types are structural, so neither express nor fastify is needed
 * to type-check the SDK.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AuthBlocker, BlockStatus } from './auth-blocker.ts';
import { clientIp, type TrustProxy } from './client-ip.ts';

/** What the principal function gets: node's IncomingMessage, Express' req and Fastify's request all fit. */
export interface PrincipalSource {
  headers: IncomingHttpHeaders;
  body?: unknown;
}

export interface BlockerMiddlewareOptions {
  /**
   * The principal a request tries to authenticate as, e.g.
   * `(req) => (req.body as { username?: string })?.username` after a body
   * parser, or a header. Undefined: the request is checked by IP only.
   */
  principal?: (req: PrincipalSource) => string | undefined;
  /** Number of proxies in front whose X-Forwarded-For is trusted (true = 1); default false. */
  trustProxy?: TrustProxy;
}

interface FastifyRequestLike extends PrincipalSource {
  raw: IncomingMessage;
}

interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

interface FastifyLike {
  addHook(name: 'preHandler', hook: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown;
}

type FastifyPlugin = (instance: FastifyLike, options: unknown, done: (err?: Error) => void) => void;

export interface BlockerMiddleware {
  /** node:http: answers 429 and returns true while blocked, else returns false and leaves res alone. */
  handle(req: IncomingMessage & { body?: unknown }, res: ServerResponse): boolean;
  express(req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: (err?: unknown) => void): void;
  /** Fastify preHandler hook (after body parsing, so principal can read request.body). */
  fastifyPreHandler(request: FastifyRequestLike, reply: FastifyReplyLike): Promise<unknown>;
  /** Fastify plugin adding fastifyPreHandler to the registering scope (skip-override). */
  fastify: FastifyPlugin;
}

function responseBody(status: BlockStatus): string {
  return JSON.stringify({
    error: 'too_many_requests',
    message: 'too many failed authentication attempts; retry later',
    retry_after_seconds: status.retryAfterSeconds,
  });
}

export function createBlockerMiddleware(blocker: AuthBlocker, options: BlockerMiddlewareOptions = {}): BlockerMiddleware {
  const { principal: principalOf, trustProxy = false } = options;

  function check(req: PrincipalSource, raw: IncomingMessage): BlockStatus {
    let principal: string | undefined;
    try {
      const value = principalOf?.(req);
      principal = typeof value === 'string' ? value : undefined;
    } catch {
      // A principal function that trips over an odd body still leaves the IP check.
      principal = undefined;
    }
    return blocker.isBlocked({ ip: clientIp(raw, trustProxy), principal });
  }

  function handle(req: IncomingMessage & { body?: unknown }, res: ServerResponse): boolean {
    const status = check(req, req);
    if (!status.blocked) return false;
    res.writeHead(429, {
      'retry-after': String(status.retryAfterSeconds),
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(responseBody(status));
    return true;
  }

  async function fastifyPreHandler(request: FastifyRequestLike, reply: FastifyReplyLike): Promise<unknown> {
    const status = check(request, request.raw);
    if (!status.blocked) return undefined;
    // Returning the reply after send() tells Fastify the hook answered.
    return reply
      .code(429)
      .header('retry-after', String(status.retryAfterSeconds))
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(responseBody(status));
  }

  const fastify: FastifyPlugin = (instance, _options, done) => {
    instance.addHook('preHandler', fastifyPreHandler);
    done();
  };
  // skip-override: the hook applies to the scope that registers the plugin, not only inside it.
  Object.assign(fastify, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'vigil-auth-blocker' });

  return {
    handle,
    express(req, res, next) {
      if (!handle(req, res)) next();
    },
    fastifyPreHandler,
    fastify,
  };
}
