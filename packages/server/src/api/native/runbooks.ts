/**
 * GET /docs/runbooks/<page>.md: the rule pack's runbooks, served so that a
 * notification's runbook_url ({{ $externalURL }}/docs/runbooks/…) opens.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { VigilError } from '../../errors.ts';

const runbookDir = fileURLToPath(new URL('../../../../../docs/runbooks/', import.meta.url));

export function registerRunbooks(app: FastifyInstance): void {
  // only names listed at start are served: a request never builds a path
  const pages = new Map(readdirSync(runbookDir).filter((name) => name.endsWith('.md')).map((name) => [name, readFileSync(runbookDir + name, 'utf8')]));
  app.get<{ Params: { page: string } }>('/docs/runbooks/:page', async (request, reply) => {
    const text = pages.get(request.params.page);
    if (text === undefined) throw new VigilError('VIGIL_ERR_NOT_FOUND', `no runbook "${request.params.page}"; see /docs/runbooks/README.md`);
    return reply.type('text/markdown; charset=utf-8').send(text);
  });
}
