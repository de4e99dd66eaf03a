/**
 * Fastify adapter (4 and 5): a plugin that applies to the whole app without
 * the fastify-plugin dependency (`skip-override`, which fastify-plugin sets).
 * Fastify routes before its onRequest hooks, so the template
 * (`request.routeOptions.url`) is known when the request starts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { observeRequest } from './observe-request.ts';
import { resolveObserveOptions, type ObserveOptions } from './options.ts';

/** The parts of Fastify this uses (typed here so the SDK does not import fastify). */
export interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  readonly routeOptions?: { readonly url?: string };
}
export interface FastifyReplyLike {
  readonly raw: ServerResponse;
  header(name: string, value: string): unknown;
}
export interface FastifyInstanceLike {
  addHook(name: 'onRequest', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) => void): unknown;
  get(path: string, handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<string>): unknown;
}

export type FastifyObservePlugin = (instance: FastifyInstanceLike, options: unknown, done: (err?: Error) => void) => void;

/**   await app.register(observeFastify({ exposeMetrics: true }))   // before the routes */
export function observeFastify(options?: ObserveOptions): FastifyObservePlugin {
  const resolved = resolveObserveOptions(options, false);
  const plugin: FastifyObservePlugin = (instance, _options, done) => {
    instance.addHook('onRequest', (request, reply, next) => {
      observeRequest(resolved, request.raw, reply.raw, request.routeOptions?.url, next);
    });
    if (resolved.exposeMetrics) {
      const { metrics } = resolved;
      instance.get(resolved.metricsPath, (_request, reply) => {
        reply.header('content-type', metrics.contentType);
        return metrics.render();
      });
    }
    done();
  };
  // Hooks of an encapsulated plugin would only see its own routes.
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'vigil-observe',
  });
}
