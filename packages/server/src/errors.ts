/**
 * One registry of Vigil's coded errors. Every error a user can see carries a
 * stable code, an HTTP status and a message that names what was wrong.
 * The Loki, Prometheus and OTLP APIs render these in their own shapes.
 */
export const errorCodes = {
  VIGIL_ERR_CONFIG_INVALID: 400,
  VIGIL_ERR_BODY_TOO_LARGE: 413,
  VIGIL_ERR_BODY_MALFORMED: 400,
  VIGIL_ERR_ENCODING_UNSUPPORTED: 415,
  VIGIL_ERR_CONTENT_TYPE: 415,
  VIGIL_ERR_LABELS_INVALID: 400,
  VIGIL_ERR_ENTRY_INVALID: 400,
  VIGIL_ERR_TIMESTAMP_OUT_OF_RANGE: 400,
  VIGIL_ERR_LOGQL_PARSE: 400,
  VIGIL_ERR_LOGQL_UNSUPPORTED: 400,
  VIGIL_ERR_LOGQL_PIPELINE: 400,
  VIGIL_ERR_PROMQL_PARSE: 400,
  VIGIL_ERR_PROMQL_UNSUPPORTED: 400,
  VIGIL_ERR_PROMQL_EXECUTION: 422,
  VIGIL_ERR_PROMQL_TOO_MANY_SAMPLES: 422,
  VIGIL_ERR_QUERY_PARAM: 400,
  VIGIL_ERR_QUERY_TIMEOUT: 503,
  VIGIL_ERR_STORE_UNAVAILABLE: 503,
  VIGIL_ERR_NOT_FOUND: 404,
  VIGIL_ERR_TENANT_INVALID: 400,
  VIGIL_ERR_LIMIT_EXCEEDED: 400,
  VIGIL_ERR_RULES_INVALID: 400,
  VIGIL_ERR_TEMPLATE: 400,
  VIGIL_ERR_ALERTMANAGER_CONFIG: 400,
  VIGIL_ERR_ALERT_INVALID: 400,
  VIGIL_ERR_SILENCE_INVALID: 400,
  VIGIL_ERR_NOTIFY_FAILED: 502,
  VIGIL_ERR_INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigilError';
    this.code = code;
    this.status = errorCodes[code];
  }
}

export function isVigilError(err: unknown): err is VigilError {
  return err instanceof VigilError;
}
