/**
 * `POST /api/v2/alerts` bodies: an array of postableAlert. As Alertmanager,
 * valid alerts are kept even when others in the same request are refused,
 * and a missing startsAt is the time of receipt.
 */
import { z } from 'zod';
import type { Alert } from '../../dispatch/model.ts';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const labelName = z.string().regex(LABEL_NAME, { error: (issue) => `"${String(issue.input)}" is not a valid label name` });

/** Go's zero time, which some senders use for "not set". */
function isGoZeroTime(text: string): boolean {
  return text.startsWith('0001-01-01T');
}

const time = z
  .string()
  .refine((text) => RFC3339.test(text) && !Number.isNaN(Date.parse(text)), {
    error: (issue) => `"${String(issue.input)}" is not an RFC 3339 time, e.g. 2026-01-02T15:04:05Z`,
  })
  .transform((text) => (isGoZeroTime(text) ? 0 : Date.parse(text)));

/** Unknown fields are ignored, as Alertmanager does: senders other than Prometheus add their own. */
const postableAlertSchema = z.object({
  labels: z.record(labelName, z.string()).refine((labels) => Object.keys(labels).length > 0, 'at least one label is required'),
  annotations: z.record(labelName, z.string()).default({}),
  startsAt: time.optional(),
  endsAt: time.optional(),
  generatorURL: z.string().default(''),
});

export interface PostedAlerts {
  alerts: Alert[];
  /** One line per refused alert, naming its index and field. */
  problems: string[];
}

export function parsePostableAlerts(body: unknown, nowMs: number): PostedAlerts {
  if (!Array.isArray(body)) return { alerts: [], problems: ['the body must be a JSON array of alerts'] };
  const alerts: Alert[] = [];
  const problems: string[] = [];
  body.forEach((item, index) => {
    const result = postableAlertSchema.safeParse(item);
    if (!result.success) {
      problems.push(...result.error.issues.map((issue) => `alerts[${index}]${fieldPath(issue.path)}: ${messageOf(issue)}`));
      return;
    }
    const alert = toAlert(result.data, nowMs);
    if (alert.endsAt !== 0 && alert.endsAt < alert.startsAt) {
      problems.push(`alerts[${index}].endsAt: must not be before startsAt`);
      return;
    }
    alerts.push(alert);
  });
  return { alerts, problems };
}

/** Alertmanager's defaults: no start means now, or the end when only the end was given. */
function toAlert(posted: z.output<typeof postableAlertSchema>, nowMs: number): Alert {
  const endsAt = posted.endsAt ?? 0;
  const startsAt = posted.startsAt || (endsAt !== 0 ? endsAt : nowMs);
  return {
    labels: posted.labels,
    annotations: posted.annotations,
    startsAt,
    endsAt,
    generatorURL: posted.generatorURL,
    updatedAt: nowMs,
  };
}

/** A bad label name is reported by zod as a bad record key, with the reason one level down. */
function messageOf(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}
