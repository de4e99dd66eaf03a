/**
 * The web UI (packages/ui, built by Vite into packages/ui/dist) served at
 * `/`. Files are read when asked for, so a rebuild while Vigil runs is
 * served at once; a request can only name a file directly inside dist/ or
 * dist/assets/ (the name is checked, never joined as a path).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { VigilError } from '../../errors.ts';

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

/** A plain file name with a known extension: no slashes, no `..`, nothing a path could hide in. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

export function registerUi(app: FastifyInstance, dist = UI_DIST): void {
  const send = (reply: FastifyReply, path: string, immutable: boolean) => {
    if (!existsSync(path)) throw new VigilError('VIGIL_ERR_NOT_FOUND', 'no such file in the UI');
    return reply
      .type(types[extname(path)] ?? 'application/octet-stream')
      // hashed asset names never change content; index.html must be re-read to pick up new builds
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(readFileSync(path));
  };
  const checked = (name: string) => {
    if (!FILE_NAME.test(name) || types[extname(name)] === undefined) throw new VigilError('VIGIL_ERR_NOT_FOUND', 'no such file in the UI');
    return name;
  };
  app.get('/', async (_request, reply) => {
    if (!existsSync(join(dist, 'index.html'))) {
      return reply.code(503).type('text/plain').send('The UI is not built: run `npm run build -w packages/ui` (npm start does it).\n');
    }
    return send(reply, join(dist, 'index.html'), false);
  });
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => send(reply, join(dist, 'assets', checked(request.params.file)), true));
}
