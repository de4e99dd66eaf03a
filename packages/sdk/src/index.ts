/**
 * @vigil/sdk: what a Node service adds on day one. Today it has the PII
 * redaction that Vigil's server also applies at ingestion; the logger,
 * metrics, health checks and middleware come with the SDK issue.
 */
export { createRedactor, defaultRedactOptions, patternNames, REDACTION_FAILED } from './redact/index.ts';
export type { ExtraPattern, PatternName, RedactOptions, Redactor } from './redact/index.ts';
