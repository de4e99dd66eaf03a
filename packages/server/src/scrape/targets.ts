/**
 * From a parsed scrape section to the targets to scrape, as Prometheus'
 * PopulateLabels does: each static target gets `__address__`, its group's
 * labels, then `job`, `__scheme__`, `__metrics_path__`,
 * `__scrape_interval__`, `__scrape_timeout__` and `__param_<name>` unless
 * already set; relabel_configs run; `instance` defaults to `__address__`;
 * labels starting with `__` stay out of the samples' labels.
 */
import { createHash } from 'node:crypto';
import type { SeriesLabels } from '../tsdb/model.ts';
import { effectiveTiming, parsePromDuration, parseSize, type ScrapeConfig, type ScrapeSection } from './config.ts';
import { setLabel } from './labels.ts';
import { compileRelabelConfigs, relabel, type CompiledRelabel } from './relabel.ts';

export interface ScrapeAuth {
  basic?: { username: string; password?: string; passwordFile?: string };
  /** Sent as `Authorization: <type> <credentials>`. */
  authorization?: { type: string; credentials?: string; credentialsFile?: string };
}

export interface ScrapeTarget {
  job: string;
  /** Put on every sample of the target: after relabeling, no `__` labels, `instance` defaulted. */
  labels: SeriesLabels;
  /** The labels before relabeling (Prometheus' "discovered labels"). */
  discoveredLabels: SeriesLabels;
  url: string;
  intervalMs: number;
  timeoutMs: number;
  honorLabels: boolean;
  honorTimestamps: boolean;
  /** 0: no limit. */
  sampleLimit: number;
  /** 0: no limit. */
  bodySizeLimit: number;
  followRedirects: boolean;
  auth: ScrapeAuth;
  metricRelabel: CompiledRelabel[];
  /** Job, labels and URL: the same target across reloads. */
  key: string;
  /** The key plus every setting: equal when nothing about the scrape changed. */
  fingerprint: string;
}

export interface DroppedTarget {
  job: string;
  discoveredLabels: SeriesLabels;
  reason: string;
}

/** Prometheus' model.Duration.String(): `1m`, `1h30m`, `500ms`, `0s`. */
export function formatPromDuration(ms: number): string {
  if (ms === 0) return '0s';
  let out = '';
  let rest = ms;
  for (const [unit, size] of [['y', 31_536_000_000], ['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

export function targetsFromConfig(section: ScrapeSection, dropped?: (d: DroppedTarget) => void): ScrapeTarget[] {
  const out: ScrapeTarget[] = [];
  for (const job of section.scrape_configs) {
    const relabelSteps = compileRelabelConfigs(job.relabel_configs);
    const metricRelabel = compileRelabelConfigs(job.metric_relabel_configs);
    const seen = new Set<string>();
    for (const group of job.static_configs) {
      for (const address of group.targets) {
        const discovered = new Map<string, string>(Object.entries(group.labels));
        discovered.set('__address__', address);
        const result = populate(section, job, discovered, relabelSteps, metricRelabel);
        if (typeof result === 'string') {
          if (result) dropped?.({ job: job.job_name, discoveredLabels: toLabels(discovered, true), reason: result });
          continue;
        }
        if (seen.has(result.key)) continue;
        seen.add(result.key);
        out.push(result);
      }
    }
  }
  return out;
}

/** A target, or the reason it was dropped ("" when relabeling dropped it, which is normal). */
function populate(
  section: ScrapeSection,
  job: ScrapeConfig,
  discovered: Map<string, string>,
  steps: CompiledRelabel[],
  metricRelabel: CompiledRelabel[],
): ScrapeTarget | string {
  const { intervalMs, timeoutMs } = effectiveTiming(section.global, job);
  const defaults: [string, string][] = [
    ['job', job.job_name],
    ['__scrape_interval__', formatPromDuration(intervalMs)],
    ['__scrape_timeout__', formatPromDuration(timeoutMs)],
    ['__metrics_path__', job.metrics_path],
    ['__scheme__', job.scheme],
  ];
  for (const [name, values] of Object.entries(job.params)) {
    if (values.length > 0) defaults.push([`__param_${name}`, values[0]]);
  }
  for (const [name, value] of defaults) if (!discovered.has(name)) discovered.set(name, value);
  const discoveredLabels = toLabels(discovered, true);

  const labels = new Map(discovered);
  if (!relabel(labels, steps)) return '';
  const address = labels.get('__address__');
  if (!address) return 'no __address__ label after relabeling';
  const interval = parsePromDuration(labels.get('__scrape_interval__') ?? '');
  const timeout = parsePromDuration(labels.get('__scrape_timeout__') ?? '');
  if (!interval) return `__scrape_interval__ "${labels.get('__scrape_interval__')}" is not a positive duration`;
  if (!timeout) return `__scrape_timeout__ "${labels.get('__scrape_timeout__')}" is not a positive duration`;
  if (timeout > interval) return `__scrape_timeout__ (${timeout}ms) is greater than __scrape_interval__ (${interval}ms)`;

  const scheme = labels.get('__scheme__') ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') return `__scheme__ "${scheme}" is not http or https`;
  let url: URL;
  try {
    url = new URL(`${scheme}://${address}`);
  } catch {
    return `__address__ "${address}" is not HOST:PORT`;
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || address.includes('/')) {
    return `__address__ "${address}" is not HOST:PORT`;
  }
  url.pathname = labels.get('__metrics_path__') ?? '/metrics';
  const params = new Map<string, string[]>(Object.entries(job.params).map(([k, v]) => [k, [...v]]));
  for (const [name, value] of labels) {
    if (!name.startsWith('__param_')) continue;
    const param = name.slice('__param_'.length);
    const existing = params.get(param);
    if (existing && existing.length > 0) existing[0] = value;
    else params.set(param, [value]);
  }
  for (const [name, values] of params) for (const v of values) url.searchParams.append(name, v);

  if (!labels.has('instance')) labels.set('instance', address);
  const publicLabels = toLabels(labels, false);
  const urlText = url.toString();
  const key = stableJson([job.job_name, publicLabels, urlText]);
  const settings = {
    intervalMs: interval,
    timeoutMs: timeout,
    honorLabels: job.honor_labels,
    honorTimestamps: job.honor_timestamps,
    sampleLimit: job.sample_limit ?? section.global.sample_limit ?? 0,
    bodySizeLimit: job.body_size_limit === undefined ? 0 : parseSize(job.body_size_limit)!,
    followRedirects: job.follow_redirects,
    auth: authOf(job),
  };
  return {
    job: job.job_name,
    labels: publicLabels,
    discoveredLabels,
    url: urlText,
    ...settings,
    metricRelabel,
    key,
    fingerprint: createHash('sha256').update(stableJson([key, settings, job.metric_relabel_configs])).digest('hex'),
  };
}

function authOf(job: ScrapeConfig): ScrapeAuth {
  if (job.basic_auth) {
    return { basic: { username: job.basic_auth.username, password: job.basic_auth.password, passwordFile: job.basic_auth.password_file } };
  }
  if (job.authorization) {
    const a = job.authorization;
    return { authorization: { type: a.type, credentials: a.credentials, credentialsFile: a.credentials_file } };
  }
  if (job.bearer_token !== undefined) return { authorization: { type: 'Bearer', credentials: job.bearer_token } };
  if (job.bearer_token_file !== undefined) return { authorization: { type: 'Bearer', credentialsFile: job.bearer_token_file } };
  return {};
}

/** A plain object of labels, sorted by name; `__`-prefixed ones only when asked. */
export function toLabels(labels: Map<string, string>, withInternal: boolean): SeriesLabels {
  const out: SeriesLabels = {};
  for (const name of [...labels.keys()].sort()) {
    if (!withInternal && name.startsWith('__')) continue;
    setLabel(out, name, labels.get(name)!);
  }
  return out;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}
