/**
 * Alertmanager's `http_config` (Prometheus' common HTTP client config): the
 * auth parts Vigil honours, the transport parts it does not yet (TLS,
 * proxies, OAuth 2) rejected by name so a config never silently loses them.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { authorizationSchema as authorization, basicAuthSchema as basicAuth } from '../config/http-auth.ts';

/** A key Alertmanager knows that Vigil does not implement yet. */
export function unsupported(what: string) {
  return z
    .unknown()
    .refine((v) => v === undefined, { error: `${what} is supported by Alertmanager but not by Vigil yet; remove it` })
    .optional();
}

const unsupportedKeys = ['tls_config', 'oauth2', 'proxy_url', 'no_proxy', 'proxy_from_environment', 'proxy_connect_header', 'http_headers'] as const;

export const httpConfigSchema = z
  .object({
    basic_auth: basicAuth.optional(),
    authorization: authorization.optional(),
    bearer_token: z.string().optional(),
    bearer_token_file: z.string().min(1).optional(),
    follow_redirects: z.boolean().default(true),
    /** Accepted for compatibility; fetch picks the protocol. */
    enable_http2: z.boolean().default(true),
    ...(Object.fromEntries(unsupportedKeys.map((key) => [key, unsupported(`http_config.${key}`)])) as Record<
      (typeof unsupportedKeys)[number],
      ReturnType<typeof unsupported>
    >),
  })
  .strict()
  .superRefine((c, ctx) => {
    const auths = (['basic_auth', 'authorization', 'bearer_token', 'bearer_token_file'] as const).filter((k) => c[k] !== undefined);
    if (auths.length > 1) ctx.addIssue({ code: 'custom', path: [auths[1]], message: `at most one of ${auths.join(', ')} may be set` });
  });

export type HttpConfig = z.output<typeof httpConfigSchema>;

/** Secrets in files are read at send time, as Alertmanager does, so a rotated file needs no reload. */
function readSecret(path: string): string {
  return readFileSync(path, 'utf8').trim();
}

/** The Authorization header value for a config, or undefined when it has no auth. */
export function authorizationHeader(config: HttpConfig | undefined): string | undefined {
  if (!config) return undefined;
  if (config.basic_auth) {
    const { username, password, password_file } = config.basic_auth;
    return basicAuthHeader(username, password_file ? readSecret(password_file) : (password ?? ''));
  }
  if (config.authorization) {
    const { type, credentials, credentials_file } = config.authorization;
    return `${type} ${credentials_file ? readSecret(credentials_file) : (credentials ?? '')}`;
  }
  if (config.bearer_token !== undefined) return `Bearer ${config.bearer_token}`;
  if (config.bearer_token_file) return `Bearer ${readSecret(config.bearer_token_file)}`;
  return undefined;
}

export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
