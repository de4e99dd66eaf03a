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
    // most alerts are well formed: checked by hand here; the schema runs only to word a refusal
    const quick = wellFormed(item) ? toAlert(item, nowMs) : undefined;
    if (quick !== undefined && (quick.endsAt === 0 || quick.endsAt >= quick.startsAt)) {
      alerts.push(quick);
      return;
    }
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

type PostableAlert = z.output<typeof postableAlertSchema>;

interface RawAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** The schema's checks for an alert that passes them all, without building issues. */
function wellFormed(item: unknown): item is RawAlert {
  if (item === null || typeof item !== 'object') return false;
  const { labels, annotations, startsAt, endsAt, generatorURL } = item as Record<string, unknown>;
  return (
    isLabelSet(labels) &&
    Object.keys(labels as object).length > 0 &&
    (annotations === undefined || isLabelSet(annotations)) &&
    (startsAt === undefined || isTime(startsAt)) &&
    (endsAt === undefined || isTime(endsAt)) &&
    (generatorURL === undefined || typeof generatorURL === 'string')
  );
}

function isLabelSet(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const [name, text] of Object.entries(value)) if (typeof text !== 'string' || !LABEL_NAME.test(name)) return false;
  return true;
}

function isTime(value: unknown): boolean {
  return typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

function parseTime(text: string | undefined): number | undefined {
  return text === undefined ? undefined : isGoZeroTime(text) ? 0 : Date.parse(text);
}

/** Alertmanager's defaults: no start means now, or the end when only the end was given. */
function toAlert(posted: PostableAlert | RawAlert, nowMs: number): Alert {
  const endsAt = (typeof posted.endsAt === 'string' ? parseTime(posted.endsAt) : posted.endsAt) ?? 0;
  const start = typeof posted.startsAt === 'string' ? parseTime(posted.startsAt) : posted.startsAt;
  const startsAt = start || (endsAt !== 0 ? endsAt : nowMs);
  return {
    labels: posted.labels,
    annotations: posted.annotations ?? {},
    startsAt,
    endsAt,
    generatorURL: posted.generatorURL ?? '',
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
