/**
 * Vigil's configuration: every key, its default (units in the name or the
 * comment), and its validation. A file may leave out anything; unknown keys
 * are errors so that a typo is never silently ignored.
 */
import { z } from 'zod';
import { checkScrapeSection, scrapeSectionShape } from '../scrape/index.ts';
import { parseDurationMs } from './duration.ts';
import { oncallConfigSchema } from '../oncall/config.ts';

/** Checked with a refinement, not inside the transform, so it is reported beside every other problem. */
const duration = z
  .string()
  .refine((text) => parseDurationMs(text) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not a duration; use e.g. 30s, 5m, 1h, 30d`,
  })
  .transform((text) => parseDurationMs(text)!);

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'g');
    return true;
  } catch {
    return false;
  }
}

const listen = z.string({ error: 'use HOST:PORT, e.g. 127.0.0.1:9700' }).regex(/^[^\s:]+:\d{1,5}$/, 'use HOST:PORT, e.g. 127.0.0.1:9700');

const server = z
  .object({
    listen: listen.default('127.0.0.1:9700'),
    data_dir: z.string().min(1).default('./data'),
    /** Largest request body accepted, after decompression too. */
    max_body_bytes: z.number().int().positive().default(10 * 1024 * 1024),
    /** How users reach Vigil: links in notifications and `$externalURL` in templates. Default: http://<listen>. */
    external_url: z.url({ error: 'use an absolute URL, e.g. https://vigil.example.com' }).optional(),
  })
  .strict();

const limits = z
  .object({
    max_labels_per_stream: z.number().int().positive().default(15),
    max_label_name_length: z.number().int().positive().default(1024),
    max_label_value_length: z.number().int().positive().default(2048),
    max_line_bytes: z.number().int().positive().default(256 * 1024),
    max_streams_per_tenant: z.number().int().positive().default(10_000),
    /** How far in the future a timestamp may be (clock skew allowance). */
    future_grace: duration.prefault('10m'),
  })
  .strict();

const retention = z
  .object({
    standard: duration.prefault('30d'),
    security: duration.prefault('90d'),
    audit: duration.prefault('90d'),
    /** The alert ledger: alert state changes, notifications, silences. */
    alert_ledger: duration.prefault('90d'),
    /** How often the retention pass runs (it also runs at start). */
    interval: duration.prefault('1h'),
  })
  .strict();

const extraPattern = z
  .object({
    name: z.string().min(1),
    regex: z.string().min(1).max(1000).refine(compiles, 'not a valid regular expression'),
    replacement: z.string().default('[REDACTED]'),
  })
  .strict();

const redaction = z
  .object({
    enabled: z.boolean().default(true),
    /** Field names whose values are replaced, besides the built-in ones. */
    extra_fields: z.array(z.string().min(1)).default([]),
    extra_patterns: z.array(extraPattern).default([]),
    /** Built-in patterns to switch off: email, phone, ssn, card, jwt, bearer. */
    disable_patterns: z.array(z.enum(['email', 'phone', 'ssn', 'card', 'jwt', 'bearer'])).default([]),
  })
  .strict();

const metrics = z
  .object({
    /** How long metric samples are kept; whole days are dropped. */
    retention: duration.prefault('30d'),
    max_series_per_tenant: z.number().int().positive().default(150_000),
    max_labels_per_series: z.number().int().positive().default(30),
    /** Samples in one remote-write or OTLP request; a larger one is refused whole (400). */
    max_samples_per_request: z.number().int().positive().default(200_000),
  })
  .strict();

const query = z
  .object({
    /** Worker threads that run queries off the ingest event loop. */
    workers: z.number().int().min(1).max(16).default(1),
    timeout: duration.prefault('30s'),
    max_entries_limit: z.number().int().positive().default(5000),
  })
  .strict();

const rules = z
  .object({
    /** Load the built-in rule pack (rules/ in the repo) besides `rule_files`. */
    pack: z.boolean().default(true),
    /** The tenant whose data rules query and into which recording rules write. */
    tenant: z.string().min(1).default('default'),
    /** A firing alert is re-sent to the dispatcher at most this often (Prometheus' --rules.alert.resend-delay). */
    resend_delay: duration.prefault('1m'),
  })
  .strict();

const dashboards = z
  .object({
    /** Show the built-in dashboards (dashboards/ in the repository). */
    builtin: z.boolean().default(true),
    /** Folders of dashboard files (YAML or JSON), relative to this file; reloaded when a file changes. */
    dirs: z.array(z.string().min(1)).default([]),
  })
  .strict();

const logging = z
  .object({
    level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Also store Vigil's own logs in its store, under service="vigil". */
    self_ingest: z.boolean().default(true),
  })
  .strict();

export const configSchema = z
  .object({
    // prometheus.yml's own keys, so a team's scrape section pastes in unchanged
    ...scrapeSectionShape,
    /** prometheus.yml's rule_files: paths and globs, relative to this file. */
    rule_files: z.array(z.string().min(1)).default([]),
    /** An Alertmanager configuration (global, route, receivers, inhibit_rules, time_intervals, templates). */
    alertmanager: z.record(z.string(), z.unknown()).optional(),
    /** Or an existing alertmanager.yml, loaded unchanged (relative to this file). */
    alertmanager_config_file: z.string().min(1).optional(),
    rules: rules.prefault({}),
    dashboards: dashboards.prefault({}),
    server: server.prefault({}),
    limits: limits.prefault({}),
    retention: retention.prefault({}),
    redaction: redaction.prefault({}),
    metrics: metrics.prefault({}),
    query: query.prefault({}),
    logging: logging.prefault({}),
    oncall: oncallConfigSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    checkScrapeSection({ global: config.global, scrape_configs: config.scrape_configs }, ctx);
    if (config.alertmanager !== undefined && config.alertmanager_config_file !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['alertmanager_config_file'], message: 'give either alertmanager or alertmanager_config_file, not both' });
    }
  });

export type VigilConfig = z.output<typeof configSchema>;
