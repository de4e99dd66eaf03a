/** One HTTP delivery, with Alertmanager's retry classification: 5xx, 429 and network errors retry; other 4xx do not. */
import { authorizationHeader, type HttpConfig } from '../http-config.ts';
import { DeliveryError, type IntegrationContext } from './integration.ts';

export interface DeliveryRequest {
  /** e.g. "slack": starts every error message. */
  what: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  followRedirects?: boolean;
}

const ERROR_BODY_CHARS = 200;

/** Headers of a JSON POST, with the Authorization that http_config gives (read at each send: secrets in files rotate). */
export function jsonHeaders(httpConfig: HttpConfig | undefined): Record<string, string> {
  const auth = authorizationHeader(httpConfig);
  return { 'Content-Type': 'application/json', 'User-Agent': 'Vigil', ...(auth ? { Authorization: auth } : {}) };
}

export async function deliver(ctx: IntegrationContext, request: DeliveryRequest, signal: AbortSignal): Promise<void> {
  const host = new URL(request.url).host;
  let response: Response;
  try {
    response = await ctx.fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal,
      redirect: request.followRedirects === false ? 'manual' : 'follow',
    });
  } catch (err) {
    throw requestError(request.what, host, err, signal);
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const text = await responseText(response);
  const retryable = response.status === 429 || response.status >= 500;
  throw new DeliveryError(`${request.what}: HTTP ${response.status} from ${host}${text ? `: ${text}` : ''}`, retryable);
}

function requestError(what: string, host: string, err: unknown, signal: AbortSignal): DeliveryError {
  if (signal.aborted) return new DeliveryError(`${what}: no answer from ${host} in time (${reasonText(signal.reason)})`, true, { cause: err });
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (err as Error).message;
  return new DeliveryError(`${what}: request to ${host} failed: ${detail}`, true, { cause: err });
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

async function responseText(response: Response): Promise<string> {
  try {
    return (await response.text()).slice(0, ERROR_BODY_CHARS).trim();
  } catch {
    return '';
  }
}
