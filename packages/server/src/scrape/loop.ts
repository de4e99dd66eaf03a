/**
 * One target's scrape loop, as Prometheus' scrapeLoop: on the target's
 * interval, starting at an offset taken from a hash of the target, GET the
 * target, parse, attach the target's labels (honor_labels), run
 * metric_relabel_configs, enforce sample_limit, write the samples with
 * staleness markers for series that went away, then the report series
 * (`up`, `scrape_duration_seconds`, …). A failed scrape writes no samples,
 * marks every series of the previous scrape stale and reports up=0.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock.ts';
import type { MetadataRecorder } from '../metadata/index.ts';
import { staleNaN, type SampleAppender, type Series, type SeriesLabels } from '../tsdb/model.ts';
import { formatOf, parseExpositionWithMetadata, SCRAPE_ACCEPT_HEADER, type ScrapedSample } from './parse.ts';
import { relabel } from './relabel.ts';
import { setLabel } from './labels.ts';
import type { ScrapeTarget } from './targets.ts';

export type TargetHealth = 'up' | 'down' | 'unknown';

export interface TargetStatus {
  target: ScrapeTarget;
  health: TargetHealth;
  lastError: string;
  /** Unix ms of the last scrape's start; 0 before the first. */
  lastScrapeMs: number;
  lastDurationSeconds: number;
}

export interface ScrapeFailure {
  target: ScrapeTarget;
  error: Error;
}

export interface LoopOptions {
  appender: SampleAppender;
  tenant: string;
  clock: Clock;
  /** vigil_scrape_failures_total{job}. */
  failures?: { inc(labels: { job: string }): void };
  onFailure?(failure: ScrapeFailure): void;
  /** Where each scrape's TYPE/HELP/UNIT per family go (Prometheus' scrape cache metadata). */
  metadata?: MetadataRecorder;
}

const REPORT_NAMES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

const USER_AGENT = 'Vigil/0.1 (Prometheus-compatible scraper)';

/** Series seen by a loop, carried to its replacement when only settings change. */
export interface SeriesState {
  /** Every series of the last scrape, by key. */
  seen: Set<string>;
  /** Series of the last scrape without their own timestamp: these get staleness markers. */
  tracked: Map<string, SeriesLabels>;
  /** Whether report series were written (they get staleness markers when the target goes away). */
  reported: boolean;
}

class ScrapeError extends Error {}

/** Milliseconds from `now` to the target's first scrape: its slot within the interval. */
export function firstScrapeDelay(target: ScrapeTarget, now: number): number {
  const hash = createHash('sha256').update(target.key).digest().readBigUInt64BE(0);
  const offset = Number(hash % BigInt(target.intervalMs));
  return (offset - (now % target.intervalMs) + target.intervalMs) % target.intervalMs;
}

export class ScrapeLoop {
  readonly target: ScrapeTarget;
  private readonly options: LoopOptions;
  private state: SeriesState = { seen: new Set(), tracked: new Map(), reported: false };
  private timer: { stop(): void } | undefined;
  private running: Promise<void> | undefined;
  private abort = new AbortController();
  private stopped = false;
  private status: Omit<TargetStatus, 'target'> = { health: 'unknown', lastError: '', lastScrapeMs: 0, lastDurationSeconds: 0 };

  constructor(target: ScrapeTarget, options: LoopOptions, inherited?: SeriesState) {
    this.target = target;
    this.options = options;
    if (inherited) this.state = inherited;
  }

  start(): void {
    const { clock } = this.options;
    const delay = firstScrapeDelay(this.target, clock.now());
    const begin = () => {
      if (this.stopped) return;
      this.timer = clock.setInterval(() => this.tick(), this.target.intervalMs);
      this.tick();
    };
    if (delay === 0) {
      begin();
      return;
    }
    // The clock has no one-shot timer: an interval stopped at its first tick.
    const once = clock.setInterval(() => {
      once.stop();
      if (this.timer === once) this.timer = undefined;
      begin();
    }, delay);
    this.timer = once;
  }

  /** Stops the loop; with `markStale`, writes staleness markers for all its series (the target went away). */
  async stop(markStale: boolean): Promise<SeriesState> {
    this.stopped = true;
    this.timer?.stop();
    this.timer = undefined;
    this.abort.abort();
    await this.running;
    if (markStale) this.writeEndOfRunStaleness();
    return this.state;
  }

  /** Resolves when no scrape is in flight. */
  async idle(): Promise<void> {
    await this.running;
  }

  snapshot(): TargetStatus {
    return { target: this.target, ...this.status };
  }

  private tick(): void {
    if (this.running || this.stopped) return; // the previous scrape is still in flight
    this.running = this.scrapeOnce().finally(() => {
      this.running = undefined;
    });
  }

  /** One scrape and its writes; never throws. */
  async scrapeOnce(): Promise<void> {
    const target = this.target;
    const startMs = this.options.clock.now();
    const t0 = performance.now();
    let error: Error | undefined;
    let scraped = 0;
    let postRelabel = 0;
    let out: Series[] = [];
    const current: SeriesState = { seen: new Set(), tracked: new Map(), reported: true };
    try {
      const { body, contentType } = await this.fetchBody();
      if (this.stopped) return;
      const { samples, metadata } = parseExpositionWithMetadata(body, formatOf(contentType));
      for (const [family, entry] of metadata) this.options.metadata?.record(this.options.tenant, family, entry);
      scraped = samples.length;
      out = this.toSeries(samples, startMs, current);
      postRelabel = out.length;
      if (target.sampleLimit > 0 && postRelabel > target.sampleLimit) {
        throw new ScrapeError(`sample_limit exceeded: ${postRelabel} samples after metric relabeling, the limit is ${target.sampleLimit}`);
      }
    } catch (err) {
      if (this.stopped) return;
      error = err instanceof Error ? err : new Error(String(err));
      out = [];
      current.seen.clear();
      current.tracked.clear();
    }
    const durationSeconds = (performance.now() - t0) / 1000;

    let added = 0;
    for (const key of current.seen) if (!this.state.seen.has(key)) added++;
    const stale = staleNaN();
    for (const [key, labels] of this.state.tracked) {
      if (!current.tracked.has(key)) out.push({ labels, samples: [{ t: startMs, v: stale }] });
    }
    const report = [error ? 0 : 1, durationSeconds, scraped, postRelabel, error ? 0 : added];
    REPORT_NAMES.forEach((name, i) => out.push({ labels: this.reportLabels(name), samples: [{ t: startMs, v: report[i] }] }));
    this.state = current;

    this.status = {
      health: error ? 'down' : 'up',
      lastError: error ? error.message : '',
      lastScrapeMs: startMs,
      lastDurationSeconds: durationSeconds,
    };
    if (error) {
      this.options.failures?.inc({ job: target.job });
      this.options.onFailure?.({ target, error });
    }
    this.write(out);
  }

  private write(series: Series[]): void {
    try {
      this.options.appender.append(this.options.tenant, series);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.options.onFailure?.({ target: this.target, error: new Error(`writing the scrape failed: ${error.message}`, { cause: err }) });
    }
  }

  private writeEndOfRunStaleness(): void {
    if (this.state.tracked.size === 0 && !this.state.reported) return;
    const t = this.options.clock.now();
    const stale = staleNaN();
    const out: Series[] = [];
    for (const labels of this.state.tracked.values()) out.push({ labels, samples: [{ t, v: stale }] });
    if (this.state.reported) for (const name of REPORT_NAMES) out.push({ labels: this.reportLabels(name), samples: [{ t, v: stale }] });
    this.state = { seen: new Set(), tracked: new Map(), reported: false };
    this.write(out);
  }

  private reportLabels(name: string): SeriesLabels {
    const labels: SeriesLabels = { __name__: name };
    for (const [k, v] of Object.entries(this.target.labels)) setLabel(labels, k, v);
    return labels;
  }

  /** Target labels, metric relabeling, timestamps; duplicates in one scrape keep the first. */
  private toSeries(samples: ScrapedSample[], startMs: number, current: SeriesState): Series[] {
    const target = this.target;
    const out: Series[] = [];
    const targetLabels = Object.entries(target.labels);
    for (const sample of samples) {
      const lb = new Map<string, string>();
      for (const name in sample.labels) {
        const v = sample.labels[name];
        if (v !== '') lb.set(name, v);
      }
      if (target.honorLabels) {
        for (const [name, value] of targetLabels) if (!lb.get(name)) lb.set(name, value);
      } else {
        let conflicts: [string, string][] | undefined;
        for (const [name, value] of targetLabels) {
          const existing = lb.get(name);
          if (existing) (conflicts ??= []).push([name, existing]);
          lb.set(name, value);
        }
        if (conflicts) {
          conflicts.sort((a, b) => a[0].length - b[0].length);
          for (const [name, value] of conflicts) {
            let exported = name;
            do exported = 'exported_' + exported;
            while (lb.get(exported));
            lb.set(exported, value);
          }
        }
      }
      if (target.metricRelabel.length > 0 && !relabel(lb, target.metricRelabel)) continue;
      if (lb.size === 0) continue;
      if (!lb.get('__name__')) throw new ScrapeError('metric_relabel_configs removed __name__ from a series');
      const names = [...lb.keys()].sort();
      const labels: SeriesLabels = {};
      let key = '';
      for (const name of names) {
        const value = lb.get(name)!;
        setLabel(labels, name, value);
        key += name + '\xff' + value + '\xfe';
      }
      if (current.seen.has(key)) continue;
      current.seen.add(key);
      const own = target.honorTimestamps ? sample.timestampMs : undefined;
      if (own === undefined) current.tracked.set(key, labels);
      out.push({ labels, samples: [{ t: own ?? startMs, v: sample.value }] });
    }
    return out;
  }

  private async fetchBody(): Promise<{ body: string; contentType: string | null }> {
    const target = this.target;
    const headers: Record<string, string> = {
      Accept: SCRAPE_ACCEPT_HEADER,
      'Accept-Encoding': 'gzip',
      'User-Agent': USER_AGENT,
      'X-Prometheus-Scrape-Timeout-Seconds': String(target.timeoutMs / 1000),
    };
    const auth = target.auth;
    if (auth.basic) {
      const password = auth.basic.passwordFile ? (await readFile(auth.basic.passwordFile, 'utf8')).trim() : (auth.basic.password ?? '');
      headers.Authorization = 'Basic ' + Buffer.from(`${auth.basic.username}:${password}`).toString('base64');
    } else if (auth.authorization) {
      const a = auth.authorization;
      const credentials = a.credentialsFile ? (await readFile(a.credentialsFile, 'utf8')).trim() : (a.credentials ?? '');
      headers.Authorization = `${a.type} ${credentials}`;
    }
    const timeout = AbortSignal.timeout(target.timeoutMs);
    const signal = AbortSignal.any([timeout, this.abort.signal]);
    try {
      const response = await fetch(target.url, { headers, signal, redirect: target.followRedirects ? 'follow' : 'manual' });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new ScrapeError(`server returned HTTP status ${response.status} ${response.statusText}`.trimEnd());
      }
      const body = await readLimited(response, target.bodySizeLimit);
      return { body, contentType: response.headers.get('content-type') };
    } catch (err) {
      if (timeout.aborted) throw new ScrapeError(`scrape timed out after ${target.timeoutMs}ms`, { cause: err });
      if (err instanceof ScrapeError) throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ScrapeError(`GET ${target.url} failed: ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
    }
  }
}

async function readLimited(response: Response, limit: number): Promise<string> {
  if (limit <= 0 || !response.body) return response.text();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) {
      throw new ScrapeError(`body_size_limit exceeded: the response is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
