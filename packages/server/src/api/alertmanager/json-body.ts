/** Request bodies arrive as raw buffers (see src/api/app.ts); these routes take JSON. */
import type { FastifyRequest } from 'fastify';
import { VigilError } from '../../errors.ts';
import { decodeBody } from '../../ingest/body.ts';

/** The request body as JSON; a body that is not JSON is a 400 naming the problem. */
export function jsonBody(request: FastifyRequest, maxBodyBytes: number): unknown {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const text = decodeBody(raw, request.headers['content-encoding'], { maxBytes: maxBodyBytes }).toString('utf8');
  if (text.trim() === '') throw new VigilError('VIGIL_ERR_BODY_MALFORMED', 'the request body is empty; send JSON');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new VigilError('VIGIL_ERR_BODY_MALFORMED', `the request body is not valid JSON: ${(err as Error).message}`);
  }
}
