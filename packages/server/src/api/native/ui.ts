/**
 * The web UI (packages/ui, built by Vite into packages/ui/dist) served at
 * `/`. Files are listed once at start; a request only ever picks one of
 * them by name, so no request builds a path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export const UI_DIST = fileURLToPath(new URL('../../../../ui/dist/', import.meta.url));

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

export function registerUi(app: FastifyInstance, dist = UI_DIST): void {
  if (!existsSync(join(dist, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain').send('The UI is not built: run `npm run build -w packages/ui` (npm start does it).\n'),
    );
    return;
  }
  const files = new Map(listFiles(dist).map((path) => [`/${relative(dist, path).split('\\').join('/')}`, path]));
  const send = (path: string, immutable: boolean) => async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply
      .type(types[extname(path)] ?? 'application/octet-stream')
      // hashed asset names never change content; index.html must be re-read to pick up new builds
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(readFileSync(path));
  for (const [url, path] of files) {
    if (url === '/index.html') continue;
    app.get(url, send(path, url.startsWith('/assets/')));
  }
  app.get('/', send(files.get('/index.html')!, false));
}
