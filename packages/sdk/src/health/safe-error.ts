/**
 * Error text for health responses. /health/ready is often reachable by load
 * balancers, status pages and whoever finds it, so a check's error must say
 * what failed without handing out credentials: drivers and URLs put
 * connection strings (postgres://app:password@db) and tokens into messages.
 */
import { createRedactor } from '../redact/index.ts';

const redactor = createRedactor();

/** Longer messages are cut: a stack of driver messages is not a health report. */
const MAX_LENGTH = 500;

/** URLs in error text; their user-info is handled here rather than by the e-mail pattern, which would eat the host. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;
/** scheme://user:password@rest; the password runs to the last '@' of the authority (unencoded '@' in passwords happen). */
const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)(?:([^\s:@/]*)(:[^\s/]*)?@)?(.*)$/is;
/** password=…, "password": "…", token: … in conninfo strings, query strings and JSON. */
const SECRET_PAIR = /((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,'"}]+)/gi;

function redactPlain(text: string): string {
  return redactor.redactString(text.replace(SECRET_PAIR, '$1***'));
}

/** scheme://user:password@host → scheme://user:***@host (the user helps debugging; the password never does). */
function redactUrl(url: string): string {
  const parts = URL_PARTS.exec(url);
  if (!parts) return redactPlain(url);
  const [, scheme, user, password, rest] = parts;
  const userInfo = user === undefined ? '' : `${user}${password === undefined ? '' : ':***'}@`;
  return scheme + userInfo + redactPlain(rest);
}

export function redactSecrets(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    out += redactPlain(text.slice(last, match.index)) + redactUrl(match[0]);
    last = match.index + match[0].length;
  }
  out += redactPlain(text.slice(last));
  return out.length > MAX_LENGTH ? `${out.slice(0, MAX_LENGTH)}…` : out;
}

function ownMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node's happy-eyeballs connect fails with an empty AggregateError message; the parts say why.
    const parts = [...new Set(error.errors.map(ownMessage).filter(Boolean))];
    return [error.message, parts.join('; ')].filter(Boolean).join(': ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return error.message || (typeof code === 'string' ? code : error.name);
  }
  if (typeof error === 'string') return error;
  return `non-Error thrown (${error === null ? 'null' : typeof error})`;
}

/** The error's message plus its causes ("fetch failed: connect ECONNREFUSED …"), secrets removed. */
export function describeError(error: unknown): string {
  let text = ownMessage(error);
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < 3; depth++) {
    const message = ownMessage(cause);
    if (message && !text.includes(message)) text += `: ${message}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return redactSecrets(text);
}
