/**
 * The effective `global` and `scrape_configs` as `/api/v1/status/config`
 * shows them: defaults filled in, durations written as Prometheus writes
 * them, and secrets replaced by `<secret>` as Prometheus does.
 */
import { stringify } from 'yaml';
import { formatDurationMs } from '../../config/index.ts';
import { effectiveTiming, type ScrapeConfig, type ScrapeSection } from '../../scrape/index.ts';

const SECRET = '<secret>';

function maskedAuth(job: ScrapeConfig): Partial<Record<'basic_auth' | 'authorization' | 'bearer_token', unknown>> {
  const out: Partial<Record<'basic_auth' | 'authorization' | 'bearer_token', unknown>> = {};
  if (job.basic_auth) out.basic_auth = { ...job.basic_auth, ...(job.basic_auth.password === undefined ? {} : { password: SECRET }) };
  if (job.authorization) {
    out.authorization = { ...job.authorization, ...(job.authorization.credentials === undefined ? {} : { credentials: SECRET }) };
  }
  if (job.bearer_token !== undefined) out.bearer_token = SECRET;
  return out;
}

function effectiveJob(section: ScrapeSection, job: ScrapeConfig): Record<string, unknown> {
  const { intervalMs, timeoutMs } = effectiveTiming(section.global, job);
  const { job_name, ...rest } = job;
  return {
    job_name,
    ...rest,
    scrape_interval: formatDurationMs(intervalMs),
    scrape_timeout: formatDurationMs(timeoutMs),
    ...maskedAuth(job),
  };
}

export function effectiveConfigYaml(section: ScrapeSection): string {
  const { global } = section;
  const doc = {
    global: {
      ...global,
      scrape_interval: formatDurationMs(global.scrape_interval),
      scrape_timeout: formatDurationMs(global.scrape_timeout ?? Math.min(10_000, global.scrape_interval)),
      evaluation_interval: formatDurationMs(global.evaluation_interval),
      rule_query_offset: global.rule_query_offset === undefined ? undefined : formatDurationMs(global.rule_query_offset),
    },
    scrape_configs: section.scrape_configs.map((job) => effectiveJob(section, job)),
  };
  return stringify(doc);
}
