/**
 * The dashboard file format (docs/reference/dashboards.md): a title, variables
 * and panels on a 12-column grid. Strict objects so that a typo in a key is an
 * error naming the field, never a silently ignored setting.
 */
import { z } from 'zod';

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and _ (e.g. service)');

/** `label_values(<metric or selector>, <label>)` or `label_values(<label>)`, as in Grafana. */
export const labelValuesPattern = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/;

const variable = z
  .object({
    name: variableName,
    label: z.string().optional(),
    query: z.string().regex(labelValuesPattern, 'use label_values(<metric or selector>, <label>)').optional(),
    values: z.array(z.string()).min(1).optional(),
    include_all: z.boolean().default(false),
    /** A value, or `all` when include_all is set; default: all when included, else the first value. */
    default: z.string().optional(),
  })
  .strict()
  .refine((v) => (v.query === undefined) !== (v.values === undefined), { error: 'give either query or values, not both' });

const query = z.object({ expr: z.string().min(1), legend: z.string().optional() }).strict();

const threshold = z.object({ value: z.number(), color: z.enum(['green', 'amber', 'red']) }).strict();

const link = z.object({ title: z.string().min(1), url: z.string().min(1) }).strict();

export const panelTypes = ['timeseries', 'stat', 'gauge', 'table', 'bar', 'logs'] as const;
export const units = ['s', 'ms', 'bytes', 'percent', 'percentunit', 'reqps', 'short'] as const;

const panel = z
  .object({
    title: z.string().min(1),
    description: z.string().optional(),
    type: z.enum(panelTypes),
    /** metrics: PromQL; logs: LogQL (a log query for `logs` panels, a metric query otherwise). */
    datasource: z.enum(['metrics', 'logs']).optional(),
    query: z.string().min(1).optional(),
    legend: z.string().optional(),
    queries: z.array(query).min(1).optional(),
    unit: z.enum(units).optional(),
    decimals: z.number().int().min(0).max(10).optional(),
    thresholds: z.array(threshold).default([]),
    min: z.number().optional(),
    max: z.number().optional(),
    links: z.array(link).default([]),
    /** Grid columns out of 12. */
    width: z.number().int().min(1).max(12).default(6),
    /** Pixels of the panel body. */
    height: z.number().int().min(80).max(1200).default(220),
  })
  .strict()
  .refine((p) => (p.query === undefined) !== (p.queries === undefined), { error: 'give either query or queries, not both' })
  .transform(({ query: single, legend, queries, datasource, ...rest }) => ({
    ...rest,
    datasource: datasource ?? (rest.type === 'logs' ? ('logs' as const) : ('metrics' as const)),
    queries: queries ?? [{ expr: single!, legend }],
  }))
  .refine((p) => p.type !== 'logs' || p.datasource === 'logs', { error: 'a logs panel needs datasource: logs', path: ['datasource'] });

const timeText = z.string().regex(/^(now(-\d+[smhdw])?|\d{10,13})$/, 'use now, now-<duration> (e.g. now-6h) or Unix ms');

export const dashboardSchema = z
  .object({
    title: z.string().min(1),
    description: z.string().default(''),
    tags: z.array(z.string()).default([]),
    /** Auto-refresh: off, or one of the UI's choices. */
    refresh: z.enum(['', 'off', '10s', '30s', '1m']).default(''),
    time: z.object({ from: timeText.default('now-1h'), to: timeText.default('now') }).strict().prefault({}),
    variables: z.array(variable).default([]),
    panels: z.array(panel).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.variables.forEach((v, i) => {
      if (seen.has(v.name)) ctx.addIssue({ code: 'custom', message: `variable "${v.name}" is defined twice`, path: ['variables', i, 'name'] });
      seen.add(v.name);
    });
  });

export type Dashboard = z.output<typeof dashboardSchema>;
export type DashboardPanel = Dashboard['panels'][number];
export type DashboardVariable = Dashboard['variables'][number];

/** Each problem as `field.path: message`, so the file's author finds the line. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`).join('; ');
}
