/** Shared first step of the JSON push decoders. */
import { isUtf8 } from 'node:buffer';
import { VigilError } from '../errors.ts';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses a JSON body. Invalid UTF-8 is refused up front: `toString()` would
 * quietly turn it into U+FFFD and store lines that differ from what was sent.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (!isUtf8(body)) {
    throw new VigilError('VIGIL_ERR_BODY_MALFORMED', 'body is not valid UTF-8, so it is not JSON');
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new VigilError('VIGIL_ERR_BODY_MALFORMED', `body is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
