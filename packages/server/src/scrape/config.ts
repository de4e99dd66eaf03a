/**
 * The `global` and `scrape_configs` sections of prometheus.yml, in
 * Prometheus' own keys and defaults, so a team's scrape section pastes in
 * unchanged. Durations come out in milliseconds. Keys Prometheus has but
 * Vigil does not implement are errors that say so, rather than being ignored.
 */
import { z } from 'zod';
import { authorizationSchema as authorization, basicAuthSchema as basicAuth } from '../config/http-auth.ts';
import { relabelConfigSchema } from './relabel.ts';

const UNIT_MS = [
  ['y', 31_536_000_000],
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
] as const;

/** Prometheus' model.ParseDuration: units in the order y w d h m s ms, each at most once; "0" is zero. */
export function parsePromDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '' || text.length > 64) return undefined;
  let total = 0;
  let i = 0;
  let nextUnit = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    if (j === i) return undefined;
    const amount = Number(text.slice(i, j));
    let unit = -1;
    for (let u = nextUnit; u < UNIT_MS.length; u++) {
      const name = UNIT_MS[u][0];
      // "m" must not swallow the "m" of "ms".
      if (text.startsWith(name, j) && !(name === 'm' && text[j + 1] === 's')) {
        unit = u;
        break;
      }
    }
    if (unit < 0) return undefined;
    total += amount * UNIT_MS[unit][1];
    i = j + UNIT_MS[unit][0].length;
    nextUnit = unit + 1;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

export const promDuration = z
  .string({ error: 'use a duration such as 15s, 1m, 1h30m' })
  .refine((text) => parsePromDuration(text) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not a Prometheus duration; use e.g. 500ms, 15s, 1m, 1h30m`,
  })
  .transform((text) => parsePromDuration(text)!);

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)');
const labelValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const labelSet = z.record(labelName, labelValue);

/** A key Prometheus knows that Vigil does not implement yet. */
function unsupported(what: string) {
  return z.unknown().refine((v) => v === undefined, { error: `${what} is supported by Prometheus but not by Vigil yet; remove it` }).optional();
}

const unsupportedScrapeKeys = [
  'file_sd_configs', 'http_sd_configs', 'dns_sd_configs', 'kubernetes_sd_configs', 'consul_sd_configs',
  'ec2_sd_configs', 'azure_sd_configs', 'gce_sd_configs', 'docker_sd_configs', 'dockerswarm_sd_configs',
  'openstack_sd_configs', 'nomad_sd_configs', 'eureka_sd_configs', 'hetzner_sd_configs', 'linode_sd_configs',
  'digitalocean_sd_configs', 'marathon_sd_configs', 'serverset_sd_configs', 'triton_sd_configs',
  'tls_config', 'oauth2', 'proxy_url', 'no_proxy', 'proxy_from_environment', 'proxy_connect_header',
  'scrape_protocols', 'scrape_classic_histograms', 'always_scrape_classic_histograms', 'native_histogram_bucket_limit',
  'native_histogram_min_bucket_factor', 'convert_classic_histograms_to_nhcb', 'track_timestamps_staleness',
  'keep_dropped_targets', 'metric_name_validation_scheme', 'metric_name_escaping_scheme', 'scrape_failure_log_file',
  'fallback_scrape_protocol', 'enable_compression', 'http_headers', 'label_limit', 'label_name_length_limit',
  'label_value_length_limit', 'target_limit', 'scrape_config_files',
] as const;

const staticConfig = z
  .object({
    targets: z.array(z.string().min(1, 'a target is HOST:PORT')).default([]),
    labels: labelSet.default({}),
  })
  .strict();

export const globalConfigSchema = z
  .object({
    scrape_interval: promDuration.prefault('1m'),
    /** Undefined here: Prometheus defaults it to min(10s, scrape_interval). */
    scrape_timeout: promDuration.optional(),
    evaluation_interval: promDuration.prefault('1m'),
    external_labels: labelSet.default({}),
    rule_query_offset: promDuration.optional(),
    query_log_file: unsupported('global.query_log_file'),
    scrape_failure_log_file: unsupported('global.scrape_failure_log_file'),
    scrape_protocols: unsupported('global.scrape_protocols'),
    body_size_limit: unsupported('global.body_size_limit'),
    sample_limit: z.number().int().min(0).optional(),
    label_limit: unsupported('global.label_limit'),
    label_name_length_limit: unsupported('global.label_name_length_limit'),
    label_value_length_limit: unsupported('global.label_value_length_limit'),
    target_limit: unsupported('global.target_limit'),
    keep_dropped_targets: unsupported('global.keep_dropped_targets'),
    metric_name_validation_scheme: unsupported('global.metric_name_validation_scheme'),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.scrape_timeout !== undefined && g.scrape_timeout > g.scrape_interval) {
      ctx.addIssue({
        code: 'custom',
        path: ['scrape_timeout'],
        message: `global.scrape_timeout (${g.scrape_timeout}ms) is greater than global.scrape_interval (${g.scrape_interval}ms); make scrape_timeout at most scrape_interval`,
      });
    }
  });

export type GlobalConfig = z.output<typeof globalConfigSchema>;

export const scrapeConfigSchema = z
  .object({
    job_name: z.string().min(1, 'every scrape config needs a job_name'),
    /** Undefined: inherited from `global`. */
    scrape_interval: promDuration.optional(),
    scrape_timeout: promDuration.optional(),
    metrics_path: z.string().startsWith('/', 'metrics_path starts with /').default('/metrics'),
    scheme: z.enum(['http', 'https'], { error: 'use http or https' }).default('http'),
    params: z.record(z.string(), z.array(z.string())).default({}),
    honor_labels: z.boolean().default(false),
    honor_timestamps: z.boolean().default(true),
    sample_limit: z.number().int().min(0).optional(),
    body_size_limit: z.string().optional().refine((v) => v === undefined || parseSize(v) !== undefined, {
      error: 'use a size such as 10MB, 512KB or 0 (no limit)',
    }),
    follow_redirects: z.boolean().default(true),
    enable_http2: z.boolean().default(true),
    basic_auth: basicAuth.optional(),
    authorization: authorization.optional(),
    bearer_token: z.string().optional(),
    bearer_token_file: z.string().optional(),
    static_configs: z.array(staticConfig).default([]),
    relabel_configs: z.array(relabelConfigSchema).default([]),
    metric_relabel_configs: z.array(relabelConfigSchema).default([]),
    ...(Object.fromEntries(unsupportedScrapeKeys.map((key) => [key, unsupported(key)])) as Record<
      (typeof unsupportedScrapeKeys)[number],
      ReturnType<typeof unsupported>
    >),
  })
  .strict()
  .superRefine((c, ctx) => {
    const auths = (['basic_auth', 'authorization', 'bearer_token', 'bearer_token_file'] as const).filter((k) => c[k] !== undefined);
    if (auths.length > 1) {
      ctx.addIssue({ code: 'custom', path: [auths[1]], message: `at most one of ${auths.join(', ')} may be set` });
    }
  });

export type ScrapeConfig = z.output<typeof scrapeConfigSchema>;

/** `10MB`, `512KiB`, `0`: Prometheus' units.Base2Bytes (KB = 1024 bytes). */
export function parseSize(text: string): number | undefined {
  if (text === '0') return 0;
  const m = /^(\d+)(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB)$/.exec(text);
  if (!m) return undefined;
  const power = { B: 0, KB: 1, KiB: 1, MB: 2, MiB: 2, GB: 3, GiB: 3, TB: 4, TiB: 4 }[m[2]]!;
  return Number(m[1]) * 1024 ** power;
}

/** Interval and timeout of a job, defaulted from `global` as Prometheus does. */
export function effectiveTiming(global: GlobalConfig, job: ScrapeConfig): { intervalMs: number; timeoutMs: number } {
  const globalTimeout = global.scrape_timeout ?? Math.min(10_000, global.scrape_interval);
  const intervalMs = job.scrape_interval ?? global.scrape_interval;
  const timeoutMs = job.scrape_timeout ?? Math.min(globalTimeout, intervalMs);
  return { intervalMs, timeoutMs };
}

/** Cross-field checks of the section: timeouts within intervals, unique job names. */
export function checkScrapeSection(section: { global: GlobalConfig; scrape_configs: ScrapeConfig[] }, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  section.scrape_configs.forEach((job, i) => {
    const first = seen.get(job.job_name);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['scrape_configs', i, 'job_name'],
        message: `job_name "${job.job_name}" is already used by scrape_configs.${first}; job names must be unique`,
      });
    } else {
      seen.set(job.job_name, i);
    }
    const { intervalMs, timeoutMs } = effectiveTiming(section.global, job);
    if (timeoutMs > intervalMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['scrape_configs', i, 'scrape_timeout'],
        message:
          `scrape_timeout (${job.scrape_timeout === undefined ? 'from global, ' : ''}${timeoutMs}ms) is greater than scrape_interval (${intervalMs}ms) ` +
          `for job "${job.job_name}"; make scrape_timeout at most scrape_interval`,
      });
    }
  });
}

/** The fields to put beside Vigil's own top-level keys, as in prometheus.yml. */
export const scrapeSectionShape = {
  global: globalConfigSchema.prefault({}),
  scrape_configs: z.array(scrapeConfigSchema).default([]),
};

/** `global` + `scrape_configs`, checked together. */
export const scrapeSectionSchema = z.object(scrapeSectionShape).strict().superRefine(checkScrapeSection);

export type ScrapeSection = z.output<typeof scrapeSectionSchema>;
